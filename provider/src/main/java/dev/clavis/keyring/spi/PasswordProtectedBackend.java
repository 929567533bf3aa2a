package dev.clavis.keyring.spi;

import dev.clavis.keyring.KdfParameters;

/**
 * A backend whose master key a password protects, and that can protect it again in place: a new
 * password or new KDF settings, committed in the same write as the engine's audit record of the
 * change, so the change and its record are durable together or not at all. The master key, and so
 * every stored version, stays as it is.
 */
public interface PasswordProtectedBackend {

  /**
   * @return the KDF that derives the key protecting the master key now
   * @throws dev.clavis.keyring.KeyringException if the master key is wrapped by a token key instead
   */
  KdfParameters kdf();

  /**
   * Wraps the master key again, under {@code newPassword} (or the current one) through {@code kdf}
   * with a fresh salt, and commits {@code alongside} in the same write.
   *
   * @param <T> what {@code alongside} returns
   * @param password the current password; not kept
   * @param newPassword the new password, or null to keep the current one; not kept
   * @param kdf the KDF from now on (settings other than the current ones must be strong enough and
   *     within the cost cap), or null to keep the current one as the store has it when it is written
   * @param alongside the engine's transaction (its audit record of the change), or null
   * @return what {@code alongside} returned, or null
   * @throws dev.clavis.keyring.WrongPasswordException if {@code password} is not the current one;
   *     nothing is changed
   * @throws dev.clavis.keyring.WeakKdfException if {@code kdf} is new and below OWASP's minimums
   *     and not {@link KdfParameters#allowingWeak()}
   * @throws IllegalArgumentException if {@code kdf} is beyond the cost cap
   *     ({@link dev.clavis.keyring.KdfLimits})
   * @throws dev.clavis.keyring.KeyringException if the store cannot be written (nothing was changed)
   */
  <T> T rekey(char[] password, char[] newPassword, KdfParameters kdf, KeyBackend.Transaction<T> alongside);
}
