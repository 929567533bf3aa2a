package dev.clavis.pkcs11;

/**
 * Key types ({@code CK_KEY_TYPE}), PKCS#11 v2.40 §4.7 and the mechanisms document.
 * {@link #name(long)} gives the {@code CKK_} name of a value for messages.
 */
public final class CKK {

  private CKK() {}

  /** {@code CKK_RSA} */
  public static final long RSA = 0x0L;

  /** {@code CKK_EC} */
  public static final long EC = 0x3L;

  /** {@code CKK_GENERIC_SECRET} */
  public static final long GENERIC_SECRET = 0x10L;

  /** {@code CKK_DES3} */
  public static final long DES3 = 0x15L;

  /** {@code CKK_AES} */
  public static final long AES = 0x1FL;

  /** {@code CKK_SHA256_HMAC} */
  public static final long SHA256_HMAC = 0x2BL;

  /** {@code CKK_EC_EDWARDS} (PKCS#11 v3.0) */
  public static final long EC_EDWARDS = 0x40L;

  /** {@code CKK_VENDOR_DEFINED} */
  public static final long VENDOR_DEFINED = 0x80000000L;

  private static final ConstantNames NAMES = new ConstantNames(CKK.class, "CKK_");

  /**
   * @param value a constant of this family
   * @return its name with the {@code CKK_} prefix, or the value in hex when unknown
   */
  public static String name(long value) {
    return NAMES.name(value);
  }
}
