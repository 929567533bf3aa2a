package dev.clavis.engine.kw;

/**
 * Unwrapping found a wrong integrity value: the ciphertext was altered, or it was made under
 * another KEK or initial value. The message is always {@value #MESSAGE}, whatever check failed, so
 * that a caller cannot learn which part of the recovered block was wrong (RFC 5649 §3).
 */
public final class IntegrityCheckException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The one message every integrity failure carries. */
  public static final String MESSAGE = "integrity check failed";

  /** Creates the exception with the fixed message and no stack trace of interest. */
  public IntegrityCheckException() {
    super(MESSAGE, null, false, false);
  }
}
