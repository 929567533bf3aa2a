package dev.clavis.keyring;

/** The keyring's storage failed or was found damaged; the message says which and what to do. */
public class KeyringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyringException(String message) {
    super(message);
  }

  public KeyringException(String message, Throwable cause) {
    super(message, cause);
  }
}
