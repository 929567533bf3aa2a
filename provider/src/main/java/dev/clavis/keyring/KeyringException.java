package dev.clavis.keyring;

/** The keyring's storage failed or was found damaged; the message says which and what to do. */
public class KeyringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed and what to do; never key material or a password */
  public KeyringException(String message) {
    super(message);
  }

  /**
   * @param message what failed and what to do; never key material or a password
   * @param cause the underlying failure
   */
  public KeyringException(String message, Throwable cause) {
    super(message, cause);
  }
}
