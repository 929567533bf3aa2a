package dev.clavis.engine.kw;

/**
 * Unwrapping found a wrong integrity value: the ciphertext was altered, or it was made under
 * another KEK or initial value. The message is always {@value #MESSAGE}, whatever check failed, so
 * that a caller cannot learn which part of the recovered block was wrong (RFC 5649 §3). A bulk
 * unwrap ({@link KeyWrapPaddedLanes}) adds which of its inputs failed, and nothing else.
 */
public final class IntegrityCheckException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The one message every integrity failure carries. */
  public static final String MESSAGE = "integrity check failed";

  /** The input that failed in a bulk unwrap, -1 for a single unwrap. */
  private final int index;

  /** Creates the exception with the fixed message and no stack trace of interest. */
  public IntegrityCheckException() {
    super(MESSAGE, null, false, false);
    this.index = -1;
  }

  /**
   * Creates the exception of a bulk unwrap: the fixed message followed by the input's index.
   *
   * @param index the position of the first input that failed in the list given to the unwrap
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public IntegrityCheckException(int index) {
    super(MESSAGE + " (wrapped key " + requireIndex(index) + ")", null, false, false);
    this.index = index;
  }

  private static int requireIndex(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative, got " + index);
    }
    return index;
  }

  /**
   * Returns which input of a bulk unwrap failed.
   *
   * @return the lowest failing index, or -1 if this came from a single unwrap
   */
  public int index() {
    return index;
  }
}
