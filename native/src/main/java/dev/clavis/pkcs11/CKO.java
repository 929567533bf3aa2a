package dev.clavis.pkcs11;

/**
 * Object classes ({@code CK_OBJECT_CLASS}), PKCS#11 v2.40 §4.1.
 * {@link #name(long)} gives the {@code CKO_} name of a value for messages.
 */
public final class CKO {

  private CKO() {}

  /** {@code CKO_DATA} */
  public static final long DATA = 0x0L;

  /** {@code CKO_CERTIFICATE} */
  public static final long CERTIFICATE = 0x1L;

  /** {@code CKO_PUBLIC_KEY} */
  public static final long PUBLIC_KEY = 0x2L;

  /** {@code CKO_PRIVATE_KEY} */
  public static final long PRIVATE_KEY = 0x3L;

  /** {@code CKO_SECRET_KEY} */
  public static final long SECRET_KEY = 0x4L;

  /** {@code CKO_HW_FEATURE} */
  public static final long HW_FEATURE = 0x5L;

  /** {@code CKO_DOMAIN_PARAMETERS} */
  public static final long DOMAIN_PARAMETERS = 0x6L;

  /** {@code CKO_MECHANISM} */
  public static final long MECHANISM = 0x7L;

  /** {@code CKO_VENDOR_DEFINED} */
  public static final long VENDOR_DEFINED = 0x80000000L;

  private static final ConstantNames NAMES = new ConstantNames(CKO.class, "CKO_");

  /**
   * @param value a constant of this family
   * @return its name with the {@code CKO_} prefix, or the value in hex when unknown
   */
  public static String name(long value) {
    return NAMES.name(value);
  }
}
