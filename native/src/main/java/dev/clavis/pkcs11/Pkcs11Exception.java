package dev.clavis.pkcs11;

/**
 * A PKCS#11 call returned something other than {@code CKR_OK}. Carries the return value and its
 * {@code CKR_} name, never an argument of the call (PINs and key bytes stay out of messages).
 */
public final class Pkcs11Exception extends Exception {

  private static final long serialVersionUID = 1L;

  private final long returnValue;
  private final String function;

  /**
   * @param function the Cryptoki function that failed, such as {@code C_Login}
   * @param returnValue the {@code CK_RV} it returned
   * @param returnValueName the {@code CKR_} name of that value
   */
  public Pkcs11Exception(String function, long returnValue, String returnValueName) {
    super(function + " failed: " + returnValueName + " (0x" + Long.toHexString(returnValue) + ")");
    this.function = function;
    this.returnValue = returnValue;
  }

  /** @return the {@code CK_RV} the call returned */
  public long returnValue() {
    return returnValue;
  }

  /** @return the name of the Cryptoki function that failed */
  public String function() {
    return function;
  }
}
