package dev.clavis.pkcs11;

/**
 * A PKCS#11 configuration file is unreadable or invalid, or names a PIN source that is not
 * available. The message names the file, the line where there is one, and the problem; it never
 * contains a PIN.
 */
public final class Pkcs11ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and where */
  public Pkcs11ConfigException(String message) {
    super(message);
  }

  /** @param message what is wrong and where; @param cause the underlying failure */
  public Pkcs11ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
