package dev.clavis.pkcs11;

/**
 * User types ({@code CK_USER_TYPE}), PKCS#11 v2.40 §3.5.
 * {@link #name(long)} gives the {@code CKU_} name of a value for messages.
 */
public final class CKU {

  private CKU() {}

  /** {@code CKU_SO} */
  public static final long SO = 0x0L;

  /** {@code CKU_USER} */
  public static final long USER = 0x1L;

  /** {@code CKU_CONTEXT_SPECIFIC} */
  public static final long CONTEXT_SPECIFIC = 0x2L;

  private static final ConstantNames NAMES = new ConstantNames(CKU.class, "CKU_");

  /**
   * @param value a constant of this family
   * @return its name with the {@code CKU_} prefix, or the value in hex when unknown
   */
  public static String name(long value) {
    return NAMES.name(value);
  }
}
