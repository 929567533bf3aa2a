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

  /** Creates key {@code name} with a generated version 1, {@code ACTIVE}. */
  KeyInfo create(String name, KeyAlgorithm algorithm, KeyPolicy policy);

  /**
   * Imports caller-supplied material (bring your own key) as a new key, or as a new primary
   * version of an existing one (a rotation). The array is copied; the caller wipes it.
   */
  KeyInfo importKey(String name, KeyAlgorithm algorithm, byte[] material, KeyPolicy policy);

  /**
   * Imports many new keys at once (one durable write for all of them, e.g. a migration from
   * another key store). Arrays are copied; the caller wipes them.
   *
   * @param materials key name to raw material, all of {@code algorithm}
   * @throws KeyringException if a name exists already (nothing is imported then)
   */
  default void importKeys(java.util.Map<String, byte[]> materials, KeyAlgorithm algorithm, KeyPolicy policy) {
    for (java.util.Map.Entry<String, byte[]> e : materials.entrySet()) {
      importKey(e.getKey(), algorithm, e.getValue(), policy);
    }
  }

  /** One-shot rotation: a new generated version becomes the primary {@code ACTIVE}; the old one {@code DEPRECATED}. */
  KeyVersionInfo rotate(String name, String reason);

  /** Two-phase rotation, phase one: new version {@code PRE_ACTIVE} (decrypts), old primary {@code ROTATING} (still encrypts). */
  KeyVersionInfo beginRotation(String name);

  /**
   * Two-phase rotation, phase one, with the reason recorded on both versions and in the audit log.
   *
   * @param reason why the key is rotated, or null for the default note
   * @throws IllegalStateException if a rotation is staged already, or the key has no primary or is scheduled for destruction
   */
  default KeyVersionInfo beginRotation(String name, String reason) {
    return beginRotation(name);
  }

  /** Two-phase rotation, phase two: the staged version {@code ACTIVE}, the old primary {@code DEPRECATED}. */
  KeyVersionInfo completeRotation(String name);

  /** Abandons a two-phase rotation: the staged version is destroyed, the old primary {@code ACTIVE} again. */
  void abortRotation(String name);

  /** Suspends a version (or every live version of the key): a reversible stop. */
  void suspend(KeyRef ref, String reason);

  /** Returns suspended versions to the state they were suspended from. */
  void resume(KeyRef ref);

  /** Revokes a version (or every live version of the key) for good. */
  void revoke(KeyRef ref, String reason);

  /** Marks one version compromised: nothing decrypts under it except through the audited override. */
  void markCompromised(KeyRef ref, String reason);

  /**
   * Schedules destruction of a version (or the whole key) after {@code after}, or after the
   * policy's deletion window when null. A whole key leaves {@link #list()} at once.
   *
   * @return the versions as scheduled
   */
  List<KeyVersionInfo> scheduleDestruction(KeyRef ref, Duration after);

  /** Cancels a scheduled destruction of the key: its versions return to their earlier states. */
  void cancelDestruction(String name);

  /** Erases the material of a version (or the whole key) now; metadata stays as a tombstone. */
  void destroyNow(KeyRef ref);

  /** @return the keys that are not scheduled for destruction, by name */
  List<KeyInfo> list();

  /** @return the key with this name, including one scheduled for destruction */
  Optional<KeyInfo> find(String name);

  // ---- data under managed keys ----

  /**
   * Encrypts under the key's primary version (rotating first when its policy says it is due) and
   * returns a self-describing envelope naming key and version.
   */
  byte[] encrypt(String name, byte[] plaintext, byte[] associatedData);

  /** Decrypts an envelope made by {@link #encrypt} under any version that may still decrypt. */
  byte[] decrypt(byte[] envelope, byte[] associatedData);

  /**
   * Decrypts, allowing a {@code COMPROMISED} version when {@code allowCompromised} is true; such a
   * use is audited.
   */
  byte[] decrypt(byte[] envelope, byte[] associatedData, boolean allowCompromised);

  /** Re-encrypts an envelope under the current primary without handing out the plaintext. */
  byte[] rewrap(byte[] envelope, byte[] associatedData);

  /** A fresh DEK of {@code bits} bits, and the DEK wrapped with KWP under the KEK's primary. */
  DataKey generateDataKey(String kekName, int bits);

  /** Unwraps a DEK made by {@link #generateDataKey}; the caller wipes the result. */
  byte[] unwrapDataKey(byte[] wrappedDataKey);

  /** Re-wraps DEKs under the KEK's current primary, in bulk (after a KEK rotation). */
  List<byte[]> rewrapDataKeys(List<byte[]> wrappedDataKeys);

  // ---- handles ----

  /**
   * Returns a handle usable with Clavis's JCA {@code Cipher} and {@code Mac}: for a name it
   * resolves to the primary when encrypting and to every version that may decrypt when decrypting;
   * for {@code name#N} to that version only.
   *
   * @throws UnknownKeyException if the key or version does not exist
   */
  default ManagedKey handle(KeyRef ref) {
    throw new UnsupportedOperationException("this keyring issues no handles");
  }

  /**
   * Hands out a copy of the material of an exportable key's version (the primary for a name).
   *
   * @throws KeyUsageException if the key is not exportable or the version is destroyed
   * @throws UnknownKeyException if the key or version does not exist
   */
  default byte[] exportKey(KeyRef ref) {
    throw new UnsupportedOperationException("this keyring exports no material");
  }

  /**
   * Re-encrypts envelopes under the current primary of their keys, in bulk.
   *
   * @return the new envelopes in the same order
   */
  default List<byte[]> rewrapAll(List<byte[]> envelopes, byte[] associatedData) {
    List<byte[]> out = new java.util.ArrayList<>(envelopes.size());
    for (byte[] e : envelopes) {
      out.add(rewrap(e, associatedData));
    }
    return out;
  }

  // ---- audit ----

  /** @return the audit log of this keyring */
  AuditLog auditLog();

  /** Flushes and releases the backend; handles obtained from it stop working. */
  @Override
  void close();
}
