package dev.clavis.keyring.file;

/**
 * What protects a file store's master key: a password through a KDF ({@link PasswordProtector}),
 * or a non-extractable key on a PKCS#11 token ({@code dev.clavis.keyring.pkcs11.TokenRootProtector}).
 * The store calls it when it creates a store (to choose the parameters written to the header and
 * wrap the new master key) and when it opens one (to unwrap the master key). The wrapping is
 * AES-256-GCM with a 96-bit IV and a 128-bit tag; its associated data is the header before the IV,
 * so the protector parameters are bound. This interface keeps {@code dev.clavis.keyring.file} free
 * of the PKCS#11 binding.
 */
public interface MasterKeyProtector {

  /** The stored protection kind (the header's protector byte, see {@link StoreFormat}). */
  enum Kind {
    /** A password through a KDF (Argon2id or PBKDF2-HMAC-SHA256). */
    PASSWORD,
    /** A non-extractable AES-256 key on a PKCS#11 token (the store's root); no password KDF. */
    TOKEN_ROOT
  }

  /** @return the kind of protection this protector applies and opens */
  Kind kind();

  /**
   * Chooses the parameters of a new store (a KDF and a fresh salt, or a new root key on a token).
   *
   * @param store the store being created, for messages
   * @return the parameters to record in the header
   * @throws dev.clavis.keyring.KeyringException if they cannot be chosen (a KDF below the
   *     minimums, a token that cannot create its key)
   */
  ProtectorParameters newParameters(String store);

  /**
   * Wraps {@code master} (AES-256-GCM under {@code iv}, with {@code aad} bound).
   *
   * @param parameters the protector's parameters, as recorded in the header
   * @param iv the 12-byte GCM IV recorded in the header
   * @param aad the header before the IV, bound as associated data
   * @param master the 32-byte master key; not kept
   * @return the ciphertext and tag (32 + 16 bytes)
   * @throws dev.clavis.keyring.KeyringException if it cannot be wrapped
   */
  byte[] wrap(ProtectorParameters parameters, byte[] iv, byte[] aad, byte[] master);

  /**
   * Recovers the master key of a store whose header holds {@code parameters}.
   *
   * @param parameters the protector's parameters, as recorded in the header
   * @param iv the 12-byte GCM IV recorded in the header
   * @param aad the header before the IV, bound as associated data
   * @param wrapped the ciphertext and tag from the header
   * @param where the store, for messages
   * @return the master key (the caller wipes it)
   * @throws dev.clavis.keyring.WrongPasswordException if a password does not open it
   * @throws dev.clavis.keyring.KeyringException if the store has another kind of protection, or
   *     this one cannot open it (naming why)
   */
  byte[] unwrap(ProtectorParameters parameters, byte[] iv, byte[] aad, byte[] wrapped, String where);

  /**
   * Undoes {@link #newParameters} for a store that could not be created (a root key on the
   * token is destroyed); nothing for a password.
   *
   * @param parameters what {@link #newParameters} returned
   * @throws dev.clavis.keyring.KeyringException if it cannot be undone
   */
  default void abandon(ProtectorParameters parameters) {
    // nothing was made outside the store
  }
}
