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

  // ---- governance: live policies, metadata, retention, deletion guards, due rotation ----

  /**
   * Creates key {@code name} with a generated version 1, {@code ACTIVE}, and its metadata. The
   * policy's deletion window must be at least the store's {@link #minimumDeletionWindow()}.
   *
   * @param name the new key's name
   * @param algorithm what the material is for
   * @param policy the key's policy
   * @param metadata its purpose, description, tags and creation source
   * @return the created key
   * @throws IllegalArgumentException for an invalid name, SECRET, or a deletion window below the store's minimum
   * @throws KeyringException if the name is taken, or the backend's write fails
   * @throws UnsupportedOperationException if this keyring keeps no metadata
   */
  default KeyInfo create(String name, KeyAlgorithm algorithm, KeyPolicy policy, KeyMetadata metadata) {
    throw new UnsupportedOperationException("this keyring keeps no key metadata");
  }

  /**
   * Creates a new key under the name of a destroyed key (the explicit reuse that {@code create}
   * refuses): the destroyed versions stay as tombstones and the new version numbers follow them.
   *
   * @param name the destroyed key's name (or a free name)
   * @param algorithm what the material is for
   * @param policy the new key's policy
   * @param metadata its purpose, description, tags and creation source
   * @return the new key
   * @throws KeyringException if the name belongs to a key that was not destroyed, or the write fails
   * @throws IllegalArgumentException for an invalid name, SECRET, or a deletion window below the store's minimum
   * @throws UnsupportedOperationException if this keyring does not support it
   */
  default KeyInfo replaceDestroyed(String name, KeyAlgorithm algorithm, KeyPolicy policy, KeyMetadata metadata) {
    throw new UnsupportedOperationException("this keyring does not reuse destroyed names");
  }

  /**
   * Changes the policy of an existing key, audited with the old and new value of each field.
   * Exportability only goes off; the deletion window stays at or above the store's minimum; the
   * minimum decryption version stays at or below the primary, and raising it needs {@code force}.
   * Usage limit and lifetime apply at once to the versions that may encrypt; {@code keepVersions}
   * schedules the destruction of older versions at once.
   *
   * @param name the key
   * @param policy the whole new policy (start from {@code find(name).get().policy().toBuilder()})
   * @param force allow raising the minimum decryption version
   * @return the key as it is now
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if it was destroyed, or the floor is raised without {@code force}
   * @throws IllegalArgumentException for a change the rules above refuse
   * @throws KeyringException if the backend's write fails
   * @throws UnsupportedOperationException if this keyring does not support it
   */
  default KeyInfo updatePolicy(String name, KeyPolicy policy, boolean force) {
    throw new UnsupportedOperationException("this keyring does not change policies");
  }

  /**
   * Replaces the purpose, description and tags of a key, audited; the creation source stays.
   *
   * @param name the key
   * @param metadata the new metadata
   * @return the key as it is now
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if it was destroyed
   * @throws KeyringException if the backend's write fails
   * @throws UnsupportedOperationException if this keyring keeps no metadata
   */
  default KeyInfo updateMetadata(String name, KeyMetadata metadata) {
    throw new UnsupportedOperationException("this keyring keeps no key metadata");
  }

  /**
   * {@link #scheduleDestruction(KeyRef, Duration)}, which refuses a window below the store's
   * minimum; with {@code force} such a window is allowed (and audited). Deletion protection is
   * never overridden.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @param after the delay, or null for the policy's deletion window
   * @param force allow a window below the store's minimum
   * @return the versions as scheduled
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if {@code after} is negative, or below the minimum without {@code force}
   * @throws IllegalStateException if deletion protection is on, or the state machine refuses
   * @throws KeyringException if the backend's write fails
   */
  default List<KeyVersionInfo> scheduleDestruction(KeyRef ref, Duration after, boolean force) {
    if (force) {
      throw new UnsupportedOperationException("this keyring does not force destructions");
    }
    return scheduleDestruction(ref, after);
  }

  /**
   * {@link #destroyNow(KeyRef)}, which refuses a version that may still encrypt; with {@code force}
   * it destroys that too (audited). Deletion protection is never overridden.
   *
   * @param ref a version ({@code name#N}) or a whole key ({@code name})
   * @param force allow destroying a version that may still encrypt
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if deletion protection is on, a version may encrypt without
   *     {@code force}, or the version is destroyed already
   * @throws KeyringException if the backend's write fails
   */
  default void destroyNow(KeyRef ref, boolean force) {
    if (force) {
      throw new UnsupportedOperationException("this keyring does not force destructions");
    }
    destroyNow(ref);
  }

  /**
   * Every key, including those scheduled for destruction or destroyed as a whole.
   *
   * @return the keys, by name
   * @throws KeyringException if the keyring is closed or the store cannot be read
   */
  default List<KeyInfo> listAll() {
    return list();
  }

  /**
   * Rotates every key whose primary is due by its rotation period or its expiry (for a schedule,
   * instead of waiting for the next encryption). Keys scheduled for destruction or in a two-phase
   * rotation are left alone.
   *
   * @return the new primary versions, by key name; empty when none was due
   * @throws KeyringException if the backend's write fails
   * @throws UnsupportedOperationException if this keyring does not support it
   */
  default List<KeyVersionInfo> rotateDue() {
    throw new UnsupportedOperationException("this keyring does not rotate due keys");
  }

  /**
   * The shortest deletion window of this store (7 days unless changed): a destruction scheduled
   * sooner, or a key policy with a shorter window, is refused unless forced.
   *
   * @return the store's minimum deletion window
   */
  default Duration minimumDeletionWindow() {
    return KeyPolicy.DEFAULT_DELETION_WINDOW;
  }

  /**
   * Sets the store's minimum deletion window, audited; lowering it needs {@code force}.
   *
   * @param window zero or positive
   * @param force allow lowering it
   * @throws IllegalArgumentException if the window is negative
   * @throws IllegalStateException if it lowers the minimum without {@code force}
   * @throws KeyringException if the backend's write fails
   * @throws UnsupportedOperationException if this keyring has no store settings
   */
  default void setMinimumDeletionWindow(Duration window, boolean force) {
    throw new UnsupportedOperationException("this keyring has no store settings");
  }

  /**
   * As {@link #rewrapDataKeys}, and says where each data key's plaintext was meanwhile: on a
   * token it stays on the token ({@code C_UnwrapKey} into a sensitive session object, then
   * {@code C_WrapKey} under the new KEK); a key that could not (a mechanism missing, or a keyring
   * whose KEKs are in host memory) is counted and explained in the result, never silently.
   *
   * @param wrappedDataKeys wrapped forms made by {@link #generateDataKey}
   * @return the new wrapped forms and the report
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if a wrapped key fails its integrity check (nothing is rewrapped)
   */
  default DataKeyRewrap rewrapDataKeysReport(List<byte[]> wrappedDataKeys) {
    List<byte[]> out = rewrapDataKeys(wrappedDataKeys);
    return new DataKeyRewrap(out, out.size(), out.isEmpty() ? List.of()
        : List.of("this keyring rewraps data keys in host memory"));
  }

  // ---- key pairs and certificates (issue 12) ----

  /**
   * Imports a key pair with its certificate chain as a new key (version 1 {@code ACTIVE}), or as
   * the new primary of an existing key pair of the same algorithm (a rotation). The keyring proves
   * that the chain's first certificate is the private key's own (the key signs a random challenge,
   * the certificate's public key must verify it) before it stores anything; the material is copied.
   *
   * @param name the key's name
   * @param algorithm {@link KeyAlgorithm#EC_P256}, {@link KeyAlgorithm#EC_P384}, {@link KeyAlgorithm#RSA} or {@link KeyAlgorithm#ED25519}
   * @param material the private key and its chain
   * @param policy the policy of a new key
   * @return the key as it is now
   * @throws IllegalArgumentException for an invalid name, an algorithm that is no key pair, another algorithm than the
   *     key's, or a first certificate whose public key is not the private key's (naming the key; nothing is stored)
   * @throws IllegalStateException if a two-phase rotation of the key is in progress
   * @throws KeyringException if the backend's write fails or cannot hold key pairs
   */
  default KeyInfo importKeyPair(String name, KeyAlgorithm algorithm, KeyPairMaterial material, KeyPolicy policy) {
    if (!algorithm.isKeyPair()) {
      throw new IllegalArgumentException(algorithm + " is not a key-pair algorithm");
    }
    byte[] stored = material.encode();
    try {
      return importKey(name, algorithm, stored, policy);
    } finally {
      java.util.Arrays.fill(stored, (byte) 0);
    }
  }

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
   * The certificates of a version: a key pair's chain (its own certificate first), or the one
   * certificate of a {@link KeyAlgorithm#CERTIFICATE} entry. Public data: no lifecycle check, but
   * a destroyed version has none.
   *
   * @param ref a key ({@code name}: its primary, or its newest version without one) or one version ({@code name#N})
   * @return the DER encodings, empty for a secret key or a destroyed version
   * @throws UnknownKeyException if the key or version does not exist
   */
  default List<byte[]> certificates(KeyRef ref) {
    return List.of();
  }

  /**
   * Replaces the certificate chain of one key-pair version (a CA reply to its request), audited;
   * the private key and the state stay as they are.
   *
   * @param version the exact version ({@code name#N})
   * @param chain the new chain; the caller has checked its first certificate is the version's
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no key pair or the chain is empty
   * @throws IllegalStateException if the version is destroyed
   * @throws UnsupportedOperationException if this keyring cannot change a chain
   * @throws KeyringException if the backend's write fails
   */
  default void replaceCertificates(KeyRef version, List<byte[]> chain) {
    throw new UnsupportedOperationException("this keyring cannot change certificate chains");
  }

  /**
   * Two-phase rotation of a key pair, phase two, in one write: the CA's reply becomes the chain of
   * the staged ({@code PRE_ACTIVE}) version, which becomes the primary ({@code ACTIVE}; the old one
   * {@code DEPRECATED}), audited as {@code certificate} then {@code rotate-complete}. A failure
   * leaves the rotation staged, so it can be rerun: on a file store or database with the
   * self-signed chain in place; on a token, whose chain objects are replaced before the head is
   * written, a process killed in between can leave the CA's chain on the still staged version.
   *
   * @param name the key pair
   * @param chain the CA's chain, the staged version's own certificate first; the caller has checked it
   *     (its own certificate's validity is checked here too)
   * @return the new primary version
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalArgumentException if the key is no key pair, or the chain is empty, certifies another key, or its
   *     own certificate is expired or not yet valid
   * @throws IllegalStateException if no rotation is in progress
   * @throws UnsupportedOperationException if this keyring cannot change a chain
   * @throws KeyringException if the backend's write fails
   */
  default KeyVersionInfo completeRotation(String name, List<byte[]> chain) {
    throw new UnsupportedOperationException("this keyring cannot change certificate chains");
  }

  /**
   * A handle to a key pair's private key, for Clavis's {@code Signature}.
   *
   * @param ref a key ({@code name}: its primary) or one version ({@code name#N})
   * @return the handle
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no key pair
   * @throws UnsupportedOperationException if this keyring issues no handles
   */
  default ManagedPrivateKey privateKeyHandle(KeyRef ref) {
    throw new UnsupportedOperationException("this keyring issues no handles");
  }

  /**
   * A handle to a key pair's public key whose verifications follow the lifecycle (the decrypt
   * column of the state table). A derived HD key ({@link #deriveKey}) has one too: it verifies
   * {@code SHA256withECDSA} on secp256k1 while the key and its seed version may verify.
   *
   * @param ref a key ({@code name}: every version that may verify) or one version ({@code name#N})
   * @return the handle
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is neither a key pair nor a derived HD key
   * @throws UnsupportedOperationException if this keyring issues no handles
   */
  default ManagedPublicKey publicKeyHandle(KeyRef ref) {
    throw new UnsupportedOperationException("this keyring issues no handles");
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

  /**
   * As {@link #rewrapStream(java.io.InputStream, java.io.OutputStream, java.util.Map)}; with
   * {@code allowCompromised} also a stream whose data key is wrapped under a {@code COMPROMISED}
   * version: its data moves to the primary in one step (only its data key is rewrapped), the
   * override audited ({@code rewrap-compromised}) before the version is used.
   *
   * @param ciphertext the envelope
   * @param out where the rewrapped envelope goes (not closed)
   * @param context the context it was made with; null or empty for none
   * @param allowCompromised the explicit, audited override for a {@code COMPROMISED} version
   * @return the KEK version it is wrapped under now
   * @throws java.io.IOException if reading or writing fails
   * @throws EncryptionContextException if the stream is bound to another context
   * @throws UnsupportedOperationException if this keyring has no streams, or cannot audit the override
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyUsageException if the lifecycle refuses
   * @throws KeyringException if the header is malformed, from another keyring, or its data key fails
   */
  default KeyRef rewrapStream(java.io.InputStream ciphertext, java.io.OutputStream out,
      java.util.Map<String, String> context, boolean allowCompromised) throws java.io.IOException {
    if (allowCompromised) {
      throw new UnsupportedOperationException("this keyring cannot rewrap from a COMPROMISED version");
    }
    return rewrapStream(ciphertext, out, context);
  }

  /**
   * The store's dual control, if any: its dangerous operations (destroy, export, decrypting or
   * rewrapping under a COMPROMISED version, loosening a policy, changing this setting) then need
   * the approvals of M custodians, given with {@link Approvals#with}. The default has none.
   *
   * @return the quorum, or empty
   */
  default java.util.Optional<CustodianQuorum> quorum() {
    return java.util.Optional.empty();
  }

  /**
   * Sets, changes or (with null) removes the store's quorum, audited. Setting the first one needs
   * nothing; changing or removing one needs its approval. The default refuses.
   *
   * @param quorum the new quorum, or null for none
   * @throws QuorumException if the existing quorum's approvals are missing ({@link QuorumRequiredException}) or do not count
   * @throws UnsupportedOperationException if this keyring has no store settings
   * @throws KeyringException if the write fails
   */
  default void setQuorum(CustodianQuorum quorum) {
    throw new UnsupportedOperationException("this keyring has no custodian quorum");
  }

  /** @return whether every process that opens this store records every decryption (the default: no) */
  default boolean storeAuditsDecrypts() {
    return false;
  }

  /**
   * Turns the store-wide decryption audit on or off, audited; turning it off needs {@code force},
   * or on a store with a quorum its approval. The default refuses.
   *
   * @param on whether every decryption is recorded, whoever opens the store
   * @param force allow turning it off on a store without quorum
   * @throws IllegalStateException if turning it off without force
   * @throws QuorumException if the quorum's approvals are missing or do not count
   * @throws UnsupportedOperationException if this keyring has no store settings
   * @throws KeyringException if the write fails
   */
  default void setStoreAuditDecrypts(boolean on, boolean force) {
    throw new UnsupportedOperationException("this keyring has no store settings");
  }

  // ---- managed HD keys (issue 12) ----

  /**
   * Creates an HD seed entry ({@link KeyAlgorithm#HD_SEED}) with 64 fresh random bytes as its
   * version 1 {@code ACTIVE}; never exportable unless the policy says so, never rotated.
   *
   * @param name the new entry's name
   * @param policy its policy (a usage limit counts derivations)
   * @param metadata its metadata
   * @return the created entry
   * @throws IllegalArgumentException for an invalid name
   * @throws UnsupportedOperationException if this keyring holds no HD seeds
   * @throws KeyringException if the name is taken or the write fails
   */
  default KeyInfo createSeed(String name, KeyPolicy policy, KeyMetadata metadata) {
    throw new UnsupportedOperationException("this keyring holds no HD seeds");
  }

  /**
   * Imports a BIP32 seed (16 to 64 bytes, e.g. from a BIP39 mnemonic) as a new HD seed entry.
   * The array is copied; the caller wipes it.
   *
   * @param name the new entry's name
   * @param seed the seed bytes
   * @param policy its policy
   * @return the created entry
   * @throws IllegalArgumentException for an invalid name, a seed of another length, or one BIP32 rejects
   * @throws UnsupportedOperationException if this keyring holds no HD seeds
   * @throws KeyringException if the name is taken or the write fails
   */
  default KeyInfo importSeed(String name, byte[] seed, KeyPolicy policy) {
    throw new UnsupportedOperationException("this keyring holds no HD seeds");
  }

  /**
   * Derives a managed secp256k1 key (BIP32 CKDpriv from the seed's master) as a key of its own:
   * version 1 {@code ACTIVE}, its own policy and lifecycle, its seed, seed version and path in
   * {@link KeyMetadata#derivation()}. It signs {@code SHA256withECDSA} through
   * {@link #privateKeyHandle} while both it and its seed version may; revoking or compromising
   * the seed does the same to it.
   *
   * @param seed the HD seed entry (its primary version, which must be {@code ACTIVE}; one use is taken)
   * @param path the BIP32 path, e.g. {@code m/44'/0'/0'/0'/5'} ({@code h} also marks hardened)
   * @param name the new key's name, or null for {@code seed/44h/0h/0h/0h/5h}
   * @param policy the new key's policy
   * @return the derived key
   * @throws UnknownKeyException if the seed does not exist
   * @throws KeyUsageException if the seed's state refuses
   * @throws IllegalArgumentException for a malformed path or name, or a seed that is no HD seed
   * @throws UnsupportedOperationException if this keyring derives no HD keys
   * @throws KeyringException if the name is taken or the write fails
   */
  default KeyInfo deriveKey(String seed, String path, String name, KeyPolicy policy) {
    throw new UnsupportedOperationException("this keyring derives no HD keys");
  }

  /**
   * Derives the BIP44 key {@code m/purpose'/0'/account'/change'/index'} (coin type 0, the
   * secp256k1 of Bitcoin), every level hardened as AMA's {@code derive_key(purpose, account,
   * change, index)}; otherwise as {@link #deriveKey(String, String, String, KeyPolicy)}.
   *
   * @param seed the HD seed entry
   * @param purpose BIP43 purpose, e.g. 44
   * @param account the account
   * @param change 0 external, 1 internal
   * @param index the address index
   * @param name the new key's name, or null for the default
   * @param policy the new key's policy
   * @return the derived key
   * @throws IllegalArgumentException for a negative level
   * @throws UnknownKeyException if the seed does not exist
   * @throws KeyUsageException if the seed's state refuses
   * @throws UnsupportedOperationException if this keyring derives no HD keys
   * @throws KeyringException if the name is taken or the write fails
   */
  default KeyInfo deriveKey(String seed, int purpose, int account, int change, int index, String name,
      KeyPolicy policy) {
    return deriveKey(seed, purpose, 0, account, change, index, name, policy);
  }

  /**
   * Derives the BIP44 key {@code m/purpose'/coinType'/account'/change'/index'}, every level hardened.
   *
   * @param seed the HD seed entry
   * @param purpose BIP43 purpose, e.g. 44
   * @param coinType the SLIP-44 coin type (0 for Bitcoin)
   * @param account the account
   * @param change 0 external, 1 internal
   * @param index the address index
   * @param name the new key's name, or null for the default
   * @param policy the new key's policy
   * @return the derived key
   * @throws IllegalArgumentException for a negative level
   * @throws UnknownKeyException if the seed does not exist
   * @throws KeyUsageException if the seed's state refuses
   * @throws UnsupportedOperationException if this keyring derives no HD keys
   * @throws KeyringException if the name is taken or the write fails
   */
  default KeyInfo deriveKey(String seed, int purpose, int coinType, int account, int change, int index, String name,
      KeyPolicy policy) {
    for (int v : new int[] {purpose, coinType, account, change, index}) {
      if (v < 0) {
        throw new IllegalArgumentException("BIP44 levels are 0 to 2^31-1, got " + v);
      }
    }
    return deriveKey(seed, "m/" + purpose + "'/" + coinType + "'/" + account + "'/" + change + "'/" + index + "'",
        name, policy);
  }

  /**
   * The SEC 1 compressed public key (33 bytes) of a derived key: public, no lifecycle check.
   *
   * @param ref the key ({@code name}) or a version ({@code name#N})
   * @return the compressed point
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no derived key
   * @throws IllegalStateException if the version was destroyed
   * @throws UnsupportedOperationException if this keyring derives no HD keys
   */
  default byte[] hdPublicKey(KeyRef ref) {
    throw new UnsupportedOperationException("this keyring derives no HD keys");
  }

  // ---- two-phase rotation of key pairs (issue 12) ----

  /**
   * Two-phase rotation of a key pair, phase one: stages {@code material} (a new key pair and its
   * certificate, self-signed until a CA reply replaces it) as a {@code PRE_ACTIVE} version. It does
   * not sign until {@link #completeRotation}; its certificate is readable ({@code name#N}) and a
   * certification request for it may be signed ({@link #signCertificationRequest}).
   *
   * @param name the key pair
   * @param material the staged version's private key and chain (its own certificate first)
   * @param reason recorded with the change; null for the default
   * @return the staged version
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalArgumentException if the key is no key pair, or the material's first certificate is not its
   *     private key's (nothing is staged)
   * @throws IllegalStateException if a version is staged already, or the key has no primary or is doomed
   * @throws UnsupportedOperationException if this keyring cannot stage key pairs
   * @throws KeyringException if the backend's write fails
   */
  default KeyVersionInfo beginRotation(String name, KeyPairMaterial material, String reason) {
    throw new UnsupportedOperationException("this keyring cannot stage key pairs");
  }

  /**
   * Proof of possession for a PKCS#10 certification request (RFC 2986): signs {@code requestInfo}
   * with one version's private key. This is the only signature a {@code PRE_ACTIVE} version makes,
   * and it is audited ({@code csr-sign}) before it is made. The bytes must be a
   * CertificationRequestInfo (version 0) whose subjectPKInfo is the version's own public key, so
   * nothing else can be signed this way.
   *
   * @param version the exact version ({@code name#N}), PRE_ACTIVE, ACTIVE or ROTATING
   * @param jcaAlgorithm the signature algorithm, e.g. {@code SHA256withECDSA}
   * @param requestInfo the DER CertificationRequestInfo
   * @return the signature
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no key pair, or the bytes are no request for this version's key
   * @throws KeyUsageException if the version's state may not sign a request
   * @throws UnsupportedOperationException if this keyring signs no requests
   * @throws KeyringException if the backend fails
   */
  default byte[] signCertificationRequest(KeyRef version, String jcaAlgorithm, byte[] requestInfo) {
    throw new UnsupportedOperationException("this keyring signs no certification requests");
  }
}
