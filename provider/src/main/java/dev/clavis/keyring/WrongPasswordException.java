package dev.clavis.keyring;

/**
 * The password does not open the key store. The store file was not changed. (The
 * {@code Clavis} KeyStore reports this as an {@link java.security.UnrecoverableKeyException}, as
 * {@code KeyStore.load} documents.)
 */
public class WrongPasswordException extends KeyringException {
  private static final long serialVersionUID = 1L;

  /** @param message says which store and what to do next */
  public WrongPasswordException(String message) {
    super(message);
  }
}
