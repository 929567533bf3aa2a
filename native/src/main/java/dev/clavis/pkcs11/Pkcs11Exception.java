package dev.clavis.pkcs11;

/**
 * A PKCS#11 call returned something other than {@code CKR_OK}, or a module could not be loaded.
 * Carries the return value and its {@code CKR_} name, never an argument of the call (PINs and key
 * bytes stay out of messages).
 */
public final class Pkcs11Exception extends Exception {

  private static final long serialVersionUID = 1L;

  /** {@link #returnValue()} of a failure that is not a {@code CK_RV}, such as a library that will not load. */
  public static final long NO_RETURN_VALUE = -1L;

  private final long returnValue;
  private final String function;

  /**
   * @param function the Cryptoki function that failed, such as {@code C_Login}
   * @param returnValue the {@code CK_RV} it returned
   * @param returnValueName the {@code CKR_} name of that value
   */
  public Pkcs11Exception(String function, long returnValue, String returnValueName) {
    this(function, returnValue, returnValueName, null);
  }

  /**
   * @param function the Cryptoki function that failed
   * @param returnValue the {@code CK_RV} it returned
   * @param returnValueName the {@code CKR_} name of that value
   * @param advice what to do next, appended to the message; may be null
   */
  public Pkcs11Exception(String function, long returnValue, String returnValueName, String advice) {
    super(function + " failed: " + returnValueName + " (0x" + Long.toHexString(returnValue) + ")"
        + (advice == null ? "" : "; " + advice));
    this.function = function;
    this.returnValue = returnValue;
  }

  /**
   * A failure without a {@code CK_RV}: the module could not be loaded or is not a PKCS#11 module.
   *
   * @param function what failed, such as {@code load} or {@code C_GetFunctionList}
   * @param message the full message, naming the file and the problem
   * @param cause the underlying error, may be null
   */
  public Pkcs11Exception(String function, String message, Throwable cause) {
    super(message, cause);
    this.function = function;
    this.returnValue = NO_RETURN_VALUE;
  }

  /** Throws unless {@code rv} is {@code CKR_OK}. */
  static void check(String function, long rv) throws Pkcs11Exception {
    if (rv != CKR.OK) {
      throw new Pkcs11Exception(function, rv, CKR.name(rv));
    }
  }

  /** @return the {@code CK_RV} the call returned, or {@link #NO_RETURN_VALUE} */
  public long returnValue() {
    return returnValue;
  }

  /** @return the {@code CKR_} name of {@link #returnValue()} */
  public String returnValueName() {
    return returnValue == NO_RETURN_VALUE ? "none" : CKR.name(returnValue);
  }

  /** @return the name of the Cryptoki function that failed */
  public String function() {
    return function;
  }

  /**
   * @return whether the session or the login was lost in a way a fresh session and a new login
   *     repair: {@code CKR_SESSION_HANDLE_INVALID}, {@code CKR_SESSION_CLOSED},
   *     {@code CKR_DEVICE_REMOVED}, {@code CKR_TOKEN_NOT_PRESENT}, {@code CKR_USER_NOT_LOGGED_IN}
   */
  public boolean isSessionLost() {
    return returnValue == CKR.SESSION_HANDLE_INVALID
        || returnValue == CKR.SESSION_CLOSED
        || returnValue == CKR.DEVICE_REMOVED
        || returnValue == CKR.TOKEN_NOT_PRESENT
        || returnValue == CKR.USER_NOT_LOGGED_IN;
  }

  /** @return whether an object handle went stale ({@code CKR_OBJECT_HANDLE_INVALID}, {@code CKR_KEY_HANDLE_INVALID}, ...) */
  public boolean isHandleStale() {
    return returnValue == CKR.OBJECT_HANDLE_INVALID
        || returnValue == CKR.KEY_HANDLE_INVALID
        || returnValue == CKR.WRAPPING_KEY_HANDLE_INVALID
        || returnValue == CKR.UNWRAPPING_KEY_HANDLE_INVALID;
  }
}
