package dev.clavis.keyring;

/**
 * An envelope, stream or wrapped data key is bound to another encryption context than the one
 * given to open it: the context is wrong or missing (or one was given for data made without).
 * Nothing was decrypted. The message names both contexts, which are not secret.
 */
public final class EncryptionContextException extends KeyringException {

  private static final long serialVersionUID = 1L;

  private final transient EncryptionContext bound;
  private final transient EncryptionContext given;

  /**
   * @param what what was opened ("envelope", "wrapped data key", "stream")
   * @param bound the context the data is bound to
   * @param given the context the caller gave
   */
  public EncryptionContextException(String what, EncryptionContext bound, EncryptionContext given) {
    super("this " + what + " is bound to the encryption context " + bound + " but was opened with "
        + (given.isEmpty() ? "no context" : given.toString()) + " (" + bound.differenceFrom(given)
        + "): give the context it was made with (--context K=V for each pair)");
    this.bound = bound;
    this.given = given;
  }

  /** @return the context the data is bound to */
  public EncryptionContext bound() {
    return bound;
  }

  /** @return the context the caller gave */
  public EncryptionContext given() {
    return given;
  }
}
