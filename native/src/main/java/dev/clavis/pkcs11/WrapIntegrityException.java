package dev.clavis.pkcs11;

/**
 * An RFC 3394 / RFC 5649 integrity check failed: the wrapped data was altered, truncated or made
 * under another key. One fixed message, so the failure tells an attacker nothing more.
 */
public final class WrapIntegrityException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with its fixed message. */
  public WrapIntegrityException() {
    super("key wrap integrity check failed");
  }
}
