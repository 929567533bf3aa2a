package dev.clavis.keyring;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A set of named, versioned keys with a lifecycle, over one backend (the encrypted file store or a
 * PKCS#11 token). Every lifecycle change is durable when the call returns and lands in the audit
 * log. Thread-safe.
 *
 * <p>Errors: an unknown name is a {@link UnknownKeyException}; a refused use (state, expiry,
 * usage limit) a {@link KeyUsageException} naming key, version and state; an illegal transition an
 * {@link IllegalStateException} naming key, from-state and to-state; a storage failure a
 * {@link KeyringException}.
 */
public interface Keyring extends AutoCloseable {

  // ---- lifecycle ----

  /**
   * Creates key {@code name} with a generated version 1, {@code ACTIVE}.
   *
   * @param name the new key's name
   * @param algorithm what the material is for
   * @param policy the key's policy
   * @return the created key
   * @throws IllegalArgumentException for an invalid name, or an algorithm that is imported, never generated
   * @throws KeyringException if the name is taken, or the backend's write fails
   */
  KeyInfo create(String name, KeyAlgorithm algorithm, KeyPolicy policy);

  /**
   * Imports caller-supplied material (bring your own key) as a new key, or as a new primary
   * version of an existing one (a rotation). The array is copied; the caller wipes it.
   *
   * @param name the key's name
   * @param algorithm what the material is for (that of the existing key for a rotation)
   * @param material the raw key bytes, of the algorithm's length
   * @param policy the policy of a new key
   * @return the key as it is now
   * @throws IllegalArgumentException for an invalid name, a wrong material length or another algorithm
   * @throws IllegalStateException if a two-phase rotation of the key is in progress
   * @throws KeyringException if the backend's write fails
   */
  KeyInfo importKey(String name, KeyAlgorithm algorithm, byte[] material, KeyPolicy policy);

  /**
   * Imports many new keys at once (one durable write for all of them, e.g. a migration from
   * another key store). Arrays are copied; the caller wipes them.
   *
   * @param materials key name to raw material, all of {@code algorithm}
   * @param algorithm what the materials are for
   * @param policy the policy of every new key
   * @throws IllegalArgumentException for an invalid name or a wrong material length
   * @throws KeyringException if a name exists already (nothing is imported then), or the backend's write fails
   */
  default void importKeys(java.util.Map<String, byte[]> materials, KeyAlgorithm algorithm, KeyPolicy policy) {
    for (java.util.Map.Entry<String, byte[]> e : materials.entrySet()) {
      importKey(e.getKey(), algorithm, e.getValue(), policy);
    }
  }

  /**
   * One-shot rotation: a new generated version becomes the primary {@code ACTIVE}; the old one {@code DEPRECATED}.
   *
   * @param name the key to rotate
   * @param reason why, recorded on the versions and in the audit log; null for the default note
   * @return the new primary version
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if the key is scheduled for destruction or destroyed, or a two-phase rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  KeyVersionInfo rotate(String name, String reason);

  /**
   * Two-phase rotation, phase one: new version {@code PRE_ACTIVE} (decrypts), old primary {@code ROTATING} (still encrypts).
   *
   * @param name the key to rotate
   * @return the staged version
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if a rotation is staged already, or the key has no primary or is scheduled for destruction
   * @throws KeyringException if the backend's write fails
   */
  KeyVersionInfo beginRotation(String name);

  /**
   * Two-phase rotation, phase one, with the reason recorded on both versions and in the audit log.
   *
   * @param name the key to rotate
   * @param reason why the key is rotated, or null for the default note
   * @return the staged version
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if a rotation is staged already, or the key has no primary or is scheduled for destruction
   * @throws KeyringException if the backend's write fails
   */
  default KeyVersionInfo beginRotation(String name, String reason) {
    return beginRotation(name);
  }

  /**
   * Two-phase rotation, phase two: the staged version {@code ACTIVE}, the old primary {@code DEPRECATED}.
   *
   * @param name the key being rotated
   * @return the new primary version
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if no rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  KeyVersionInfo completeRotation(String name);

  /**
   * Abandons a two-phase rotation: the staged version is destroyed, the old primary {@code ACTIVE} again.
   *
   * @param name the key being rotated
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if no rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  void abortRotation(String name);

  /**
   * Suspends a version (or every live version of the key): a reversible stop.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @param reason why, recorded on the version and in the audit log
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the state machine does not allow it (for a name: for no version)
   * @throws KeyringException if the backend's write fails
   */
  void suspend(KeyRef ref, String reason);

  /**
   * Returns suspended versions to the state they were suspended from.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if no such version is suspended
   * @throws KeyringException if the backend's write fails
   */
  void resume(KeyRef ref);

  /**
   * Revokes a version (or every live version of the key) for good.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @param reason why, recorded on the version and in the audit log
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the state machine does not allow it
   * @throws KeyringException if the backend's write fails
   */
  void revoke(KeyRef ref, String reason);

  /**
   * Marks one version compromised: nothing decrypts under it except through the audited override.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @param reason why, recorded on the version and in the audit log
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the state machine does not allow it
   * @throws KeyringException if the backend's write fails
   */
  void markCompromised(KeyRef ref, String reason);

  /**
   * Schedules destruction of a version (or the whole key) after {@code after}, or after the
   * policy's deletion window when null. A whole key leaves {@link #list()} at once.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @param after the delay before the material is erased, or null for the policy's deletion window
   * @return the versions as scheduled
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if {@code after} is negative
   * @throws IllegalStateException if the version is pending destruction or destroyed already
   * @throws KeyringException if the backend's write fails
   */
  List<KeyVersionInfo> scheduleDestruction(KeyRef ref, Duration after);

  /**
   * Cancels a scheduled destruction of the key: its versions return to their earlier states.
   *
   * @param name the key
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if nothing is pending destruction (or it was destroyed already)
   * @throws KeyringException if the backend's write fails
   */
  void cancelDestruction(String name);

  /**
   * Erases the material of a version (or the whole key) now; metadata stays as a tombstone.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the version is destroyed already
   * @throws KeyringException if the backend's write fails
   */
  void destroyNow(KeyRef ref);

  /**
   * The keys that are not scheduled for destruction.
   *
   * @return the keys, by name
   * @throws KeyringException if the keyring is closed or the store cannot be read
   */
  List<KeyInfo> list();

  /**
   * The key with this name, including one scheduled for destruction.
   *
   * @param name the key's name
   * @return the key, or empty if there is none
   * @throws KeyringException if the keyring is closed or the store cannot be read
   */
  Optional<KeyInfo> find(String name);

  // ---- data under managed keys ----

  /**
   * Encrypts under the key's primary version (rotating first when its policy says it is due) and
   * returns a self-describing envelope naming key and version.
   *
   * @param name the key
   * @param plaintext the data to encrypt
   * @param associatedData authenticated with the data, not encrypted; may be null
   * @return the envelope
   * @throws UnknownKeyException if the key does not exist
   * @throws KeyUsageException if the lifecycle refuses (naming key, version and state)
   * @throws KeyringException if the backend fails
   */
  byte[] encrypt(String name, byte[] plaintext, byte[] associatedData);

  /**
   * Decrypts an envelope made by {@link #encrypt} under any version that may still decrypt.
   *
   * @param envelope an envelope made by {@link #encrypt}
   * @param associatedData the associated data it was made with; may be null
   * @return the plaintext
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  byte[] decrypt(byte[] envelope, byte[] associatedData);

  /**
   * Decrypts, allowing a {@code COMPROMISED} version when {@code allowCompromised} is true; such a
   * use is audited.
   *
   * @param envelope an envelope made by {@link #encrypt}
   * @param associatedData the associated data it was made with; may be null
   * @param allowCompromised the explicit, audited override for a {@code COMPROMISED} version
   * @return the plaintext
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  byte[] decrypt(byte[] envelope, byte[] associatedData, boolean allowCompromised);

  /**
   * Re-encrypts an envelope under the current primary without handing out the plaintext.
   *
   * @param envelope an envelope made by {@link #encrypt}
   * @param associatedData the associated data it was made with; may be null
   * @return the new envelope
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  byte[] rewrap(byte[] envelope, byte[] associatedData);

  /**
   * A fresh DEK of {@code bits} bits, and the DEK wrapped with KWP under the KEK's primary.
   *
   * @param kekName the key-encryption key, an AES key
   * @param bits 128, 192 or 256
   * @return the DEK and its wrapped form; the caller wipes the DEK
   * @throws IllegalArgumentException for another size, or a KEK that is not AES
   * @throws UnknownKeyException if the key does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the backend fails
   */
  DataKey generateDataKey(String kekName, int bits);

  /**
   * Unwraps a DEK made by {@link #generateDataKey}; the caller wipes the result.
   *
   * @param wrappedDataKey the wrapped form {@link DataKey} carried
   * @return the DEK
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses
   * @throws KeyringException if the wrapped key is malformed or fails its integrity check
   */
  byte[] unwrapDataKey(byte[] wrappedDataKey);

  /**
   * Re-wraps DEKs under the KEK's current primary, in bulk (after a KEK rotation).
   *
   * @param wrappedDataKeys wrapped forms made by {@link #generateDataKey}
   * @return the new wrapped forms, in the same order
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if a wrapped key fails its integrity check (nothing is rewrapped)
   */
  List<byte[]> rewrapDataKeys(List<byte[]> wrappedDataKeys);

  // ---- handles ----

  /**
   * Returns a handle usable with Clavis's JCA {@code Cipher} and {@code Mac}: for a name it
   * resolves to the primary when encrypting and to every version that may decrypt when decrypting;
   * for {@code name#N} to that version only.
   *
   * @param ref a key ({@code name}) or one version ({@code name#N})
   * @return the handle
   * @throws UnknownKeyException if the key or version does not exist
   * @throws UnsupportedOperationException if this keyring issues no handles
   */
  default ManagedKey handle(KeyRef ref) {
    throw new UnsupportedOperationException("this keyring issues no handles");
  }

  /**
   * Hands out a copy of the material of an exportable key's version (the primary for a name).
   *
   * @param ref a key ({@code name}) or one version ({@code name#N})
   * @return a copy of the raw material; the caller wipes it
   * @throws UnsupportedOperationException if this keyring exports no material
   * @throws KeyUsageException if the key is not exportable or the version is destroyed
   * @throws UnknownKeyException if the key or version does not exist
   */
  default byte[] exportKey(KeyRef ref) {
    throw new UnsupportedOperationException("this keyring exports no material");
  }

  /**
   * Re-encrypts envelopes under the current primary of their keys, in bulk.
   *
   * @param envelopes envelopes made by {@link #encrypt}
   * @param associatedData the associated data they were all made with; may be null
   * @return the new envelopes in the same order
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  default List<byte[]> rewrapAll(List<byte[]> envelopes, byte[] associatedData) {
    List<byte[]> out = new java.util.ArrayList<>(envelopes.size());
    for (byte[] e : envelopes) {
      out.add(rewrap(e, associatedData));
    }
    return out;
  }

  // ---- audit ----

  /**
   * The audit log of this keyring.
   *
   * @return the audit log
   */
  AuditLog auditLog();

  /**
   * Flushes and releases the backend; handles obtained from it stop working. Uses reserved but
   * not spent are given back if the store can be written; if not, they stay counted (the safe
   * direction) and close still releases the backend.
   */
  @Override
  void close();

  // ---- encryption context and streams (issue 14) ----

  /**
   * Encrypts like {@link #encrypt(String, byte[], byte[])} into an envelope bound to an
   * encryption context: opening it needs the same context.
   *
   * @param name the key
   * @param plaintext the data to encrypt
   * @param associatedData authenticated with the data, not encrypted; may be null
   * @param context the encryption context (stored in the clear, authenticated); null or empty for none
   * @return the envelope
   * @throws IllegalArgumentException if the context is invalid ({@link EncryptionContext#of})
   * @throws UnsupportedOperationException if this keyring binds no contexts and one is given
   * @throws UnknownKeyException if the key does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the backend fails
   */
  default byte[] encrypt(String name, byte[] plaintext, byte[] associatedData, java.util.Map<String, String> context) {
    requireNoContext(context);
    return encrypt(name, plaintext, associatedData);
  }

  /**
   * Decrypts an envelope bound to an encryption context.
   *
   * @param envelope an envelope made by {@link #encrypt}
   * @param associatedData the associated data it was made with; may be null
   * @param context the context it was made with; null or empty for none
   * @param allowCompromised the explicit, audited override for a {@code COMPROMISED} version
   * @return the plaintext
   * @throws EncryptionContextException if the envelope is bound to another context (nothing is decrypted)
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses
   * @throws KeyringException if the envelope is malformed, altered or from another keyring, or the backend fails
   */
  default byte[] decrypt(byte[] envelope, byte[] associatedData, java.util.Map<String, String> context,
      boolean allowCompromised) {
    requireNoContext(context);
    return decrypt(envelope, associatedData, allowCompromised);
  }

  /**
   * Re-encrypts an envelope under the current primary, keeping its context.
   *
   * @param envelope an envelope made by {@link #encrypt}
   * @param associatedData the associated data it was made with; may be null
   * @param context the context it was made with; null or empty for none
   * @return the new envelope, bound to the same context
   * @throws EncryptionContextException if the envelope is bound to another context
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  default byte[] rewrap(byte[] envelope, byte[] associatedData, java.util.Map<String, String> context) {
    requireNoContext(context);
    return rewrap(envelope, associatedData);
  }

  /**
   * A fresh DEK wrapped under the KEK's primary and bound to an encryption context: AES-GCM with
   * the context as associated data (see {@code docs/envelope.md}).
   *
   * @param kekName the key-encryption key, an AES key
   * @param bits 128, 192 or 256
   * @param context the context (stored in the wrapped form, authenticated); null or empty for none
   * @return the DEK and its wrapped form; the caller wipes the DEK
   * @throws IllegalArgumentException for another size, a KEK that is not AES, or an invalid context
   * @throws UnknownKeyException if the key does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the backend fails
   */
  default DataKey generateDataKey(String kekName, int bits, java.util.Map<String, String> context) {
    requireNoContext(context);
    return generateDataKey(kekName, bits);
  }

  /**
   * Unwraps a DEK bound to an encryption context; the caller wipes the result.
   *
   * @param wrappedDataKey the wrapped form {@link DataKey} carried
   * @param context the context it was made with; null or empty for none
   * @return the DEK
   * @throws EncryptionContextException if the key is bound to another context (nothing is unwrapped)
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses
   * @throws KeyringException if the wrapped key is malformed, from another keyring, or fails its integrity check
   */
  default byte[] unwrapDataKey(byte[] wrappedDataKey, java.util.Map<String, String> context) {
    requireNoContext(context);
    return unwrapDataKey(wrappedDataKey);
  }

  /**
   * Starts a streaming envelope of any length under the key's primary: the header (a fresh data
   * key wrapped under it and bound to {@code context}) is written at once, then one authenticated
   * segment per fixed number of plaintext bytes; {@link OutputStream#close()} writes the final
   * segment and closes {@code ciphertext}. Memory is bounded by the segment size.
   *
   * @param name the key
   * @param context the encryption context; null or empty for none
   * @param associatedData authenticated with every segment, not stored; may be null
   * @param ciphertext where the envelope goes
   * @return the stream to write the plaintext to
   * @throws java.io.IOException if writing the header fails
   * @throws UnsupportedOperationException if this keyring has no streams
   * @throws UnknownKeyException if the key does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the backend fails
   */
  default java.io.OutputStream newEncryptingStream(String name, java.util.Map<String, String> context,
      byte[] associatedData, java.io.OutputStream ciphertext) throws java.io.IOException {
    throw new UnsupportedOperationException("this keyring has no streaming envelopes");
  }

  /**
   * Opens a streaming envelope for sequential reading. Each segment's plaintext is released only
   * after it authenticated; a stream that was cut, reordered, spliced or altered fails with an
   * {@link java.io.IOException} naming the segment, at the latest where the end should be, so act
   * on the data only after reading to its end.
   *
   * @param ciphertext the envelope, from its first byte; closed with the returned stream
   * @param context the context it was made with; null or empty for none
   * @param associatedData the associated data it was made with; may be null
   * @param allowCompromised the explicit, audited override for a {@code COMPROMISED} version
   * @return the plaintext stream
   * @throws java.io.IOException if reading the header fails
   * @throws EncryptionContextException if the stream is bound to another context
   * @throws UnsupportedOperationException if this keyring has no streams
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses
   * @throws KeyringException if the header is malformed or from another keyring
   */
  default java.io.InputStream newDecryptingStream(java.io.InputStream ciphertext, java.util.Map<String, String> context,
      byte[] associatedData, boolean allowCompromised) throws java.io.IOException {
    throw new UnsupportedOperationException("this keyring has no streaming envelopes");
  }

  /**
   * Opens a streaming envelope for random-access reading: each read decrypts and authenticates
   * only the segments it touches; {@code size()} is trusted only after the final segment verified.
   * Read-only.
   *
   * @param ciphertext the whole envelope; closed with the returned channel
   * @param context the context it was made with; null or empty for none
   * @param associatedData the associated data it was made with; may be null
   * @return the plaintext channel
   * @throws java.io.IOException if reading fails, or the size cannot be that of a stream
   * @throws EncryptionContextException if the stream is bound to another context
   * @throws UnsupportedOperationException if this keyring has no streams
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses
   * @throws KeyringException if the header is malformed or from another keyring
   */
  default java.nio.channels.SeekableByteChannel newDecryptingChannel(java.nio.channels.SeekableByteChannel ciphertext,
      java.util.Map<String, String> context, byte[] associatedData) throws java.io.IOException {
    throw new UnsupportedOperationException("this keyring has no streaming envelopes");
  }

  /**
   * Moves a streaming envelope to the key's current primary without decrypting it: its data key
   * is unwrapped and wrapped anew (same context), the segments are copied as they are.
   *
   * @param ciphertext the envelope
   * @param out where the rewrapped envelope goes (not closed)
   * @param context the context it was made with; null or empty for none
   * @return the KEK version it is wrapped under now
   * @throws java.io.IOException if reading or writing fails
   * @throws EncryptionContextException if the stream is bound to another context
   * @throws UnsupportedOperationException if this keyring has no streams
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the header is malformed, from another keyring, or its data key fails
   */
  default KeyRef rewrapStream(java.io.InputStream ciphertext, java.io.OutputStream out,
      java.util.Map<String, String> context) throws java.io.IOException {
    throw new UnsupportedOperationException("this keyring has no streaming envelopes");
  }

  private static void requireNoContext(java.util.Map<String, String> context) {
    if (context != null && !context.isEmpty()) {
      throw new UnsupportedOperationException("this keyring binds no encryption context");
    }
  }

  /**
   * Re-encrypts an envelope under the current primary; with {@code allowCompromised} also one made
   * under a {@code COMPROMISED} version: its data moves to the primary in one step, the override
   * audited ({@code rewrap-compromised}) before the version is used, the plaintext never handed out.
   * The default refuses the override (a keyring that cannot audit it).
   *
   * @param envelope an envelope made by {@link #encrypt}
   * @param associatedData the associated data it was made with; may be null
   * @param allowCompromised the explicit, audited override for a {@code COMPROMISED} version
   * @return the new envelope
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   * @throws UnsupportedOperationException if {@code allowCompromised} and this keyring has no audited override
   */
  default byte[] rewrap(byte[] envelope, byte[] associatedData, boolean allowCompromised) {
    if (allowCompromised) {
      throw new UnsupportedOperationException("this keyring cannot rewrap from a COMPROMISED version");
    }
    return rewrap(envelope, associatedData);
  }

  /**
   * Re-encrypts an envelope bound to a context under the current primary, keeping the context;
   * with {@code allowCompromised} also one made under a {@code COMPROMISED} version (audited, as
   * {@link #rewrap(byte[], byte[], boolean)}).
   *
   * @param envelope an envelope made by {@link #encrypt}
   * @param associatedData the associated data it was made with; may be null
   * @param context the context it was made with; null or empty for none
   * @param allowCompromised the explicit, audited override for a {@code COMPROMISED} version
   * @return the new envelope, bound to the same context
   * @throws EncryptionContextException if the envelope is bound to another context
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   * @throws UnsupportedOperationException if this keyring binds no contexts and one is given
   */
  default byte[] rewrap(byte[] envelope, byte[] associatedData, java.util.Map<String, String> context,
      boolean allowCompromised) {
    requireNoContext(context);
    return rewrap(envelope, associatedData, allowCompromised);
  }

  /**
   * Unwraps a DEK bound to an encryption context, saying how many bytes the caller will protect
   * with it: with the data-key cache on ({@link KeyringOptions#withDataKeyCache}) they count
   * against the entry's {@link DataKeyCachePolicy#maxBytes()}; the other forms declare 0. The
   * caller wipes the result.
   *
   * @param wrappedDataKey the wrapped form {@link DataKey} carried
   * @param context the context it was made with; null or empty for none
   * @param bytesProtected how many bytes the caller will encrypt or decrypt with the key, at least 0
   * @return the DEK (a copy when it came from the cache)
   * @throws IllegalArgumentException if {@code bytesProtected} is negative
   * @throws EncryptionContextException if the key is bound to another context (nothing is unwrapped)
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the version's state refuses (also for a cached key)
   * @throws KeyringException if the wrapped key is malformed, from another keyring, or fails its integrity check
   */
  default byte[] unwrapDataKey(byte[] wrappedDataKey, java.util.Map<String, String> context, long bytesProtected) {
    if (bytesProtected < 0) {
      throw new IllegalArgumentException("the bytes a data key protects cannot be negative, got " + bytesProtected);
    }
    return unwrapDataKey(wrappedDataKey, context);
  }
}
