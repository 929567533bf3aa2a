package dev.clavis.keyring;

/**
 * Password KDF settings below OWASP's minimums were given for a new store or a migration without
 * allowing weak settings ({@link KdfParameters#allowingWeak()}, the CLI's
 * {@code --allow-weak-kdf}); see {@link KdfLimits}. Nothing was written.
 */
public class WeakKdfException extends KeyringException {
  private static final long serialVersionUID = 1L;

  /** @param message names the settings, the minimum and how to allow weak settings */
  public WeakKdfException(String message) {
    super(message);
  }
}
