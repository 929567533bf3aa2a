package dev.clavis.pkcs11;

/**
 * Attribute types ({@code CK_ATTRIBUTE_TYPE}) of PKCS#11 v2.40 §4 that Clavis reads or sets.
 * {@link #name(long)} gives the {@code CKA_} name of a value for messages.
 */
public final class CKA {

  private CKA() {}

  /** {@code CKA_CLASS} */
  public static final long CLASS = 0x0L;

  /** {@code CKA_TOKEN} */
  public static final long TOKEN = 0x1L;

  /** {@code CKA_PRIVATE} */
  public static final long PRIVATE = 0x2L;

  /** {@code CKA_LABEL} */
  public static final long LABEL = 0x3L;

  /** {@code CKA_APPLICATION} */
  public static final long APPLICATION = 0x10L;

  /** {@code CKA_VALUE} */
  public static final long VALUE = 0x11L;

  /** {@code CKA_OBJECT_ID} */
  public static final long OBJECT_ID = 0x12L;

  /** {@code CKA_CERTIFICATE_TYPE} */
  public static final long CERTIFICATE_TYPE = 0x80L;

  /** {@code CKA_ISSUER} (a certificate's issuer name, DER) */
  public static final long ISSUER = 0x81L;

  /** {@code CKA_SERIAL_NUMBER} (a certificate's serial number, DER INTEGER) */
  public static final long SERIAL_NUMBER = 0x82L;

  /** {@code CKA_KEY_TYPE} */
  public static final long KEY_TYPE = 0x100L;

  /** {@code CKA_SUBJECT} */
  public static final long SUBJECT = 0x101L;

  /** {@code CKA_ID} */
  public static final long ID = 0x102L;

  /** {@code CKA_SENSITIVE} */
  public static final long SENSITIVE = 0x103L;

  /** {@code CKA_ENCRYPT} */
  public static final long ENCRYPT = 0x104L;

  /** {@code CKA_DECRYPT} */
  public static final long DECRYPT = 0x105L;

  /** {@code CKA_WRAP} */
  public static final long WRAP = 0x106L;

  /** {@code CKA_UNWRAP} */
  public static final long UNWRAP = 0x107L;

  /** {@code CKA_SIGN} */
  public static final long SIGN = 0x108L;

  /** {@code CKA_SIGN_RECOVER} */
  public static final long SIGN_RECOVER = 0x109L;

  /** {@code CKA_VERIFY} */
  public static final long VERIFY = 0x10AL;

  /** {@code CKA_VERIFY_RECOVER} */
  public static final long VERIFY_RECOVER = 0x10BL;

  /** {@code CKA_DERIVE} */
  public static final long DERIVE = 0x10CL;

  /** {@code CKA_START_DATE} */
  public static final long START_DATE = 0x110L;

  /** {@code CKA_END_DATE} */
  public static final long END_DATE = 0x111L;

  /** {@code CKA_VALUE_BITS} */
  public static final long VALUE_BITS = 0x160L;

  /** {@code CKA_VALUE_LEN} */
  public static final long VALUE_LEN = 0x161L;

  /** {@code CKA_EXTRACTABLE} */
  public static final long EXTRACTABLE = 0x162L;

  /** {@code CKA_LOCAL} */
  public static final long LOCAL = 0x163L;

  /** {@code CKA_NEVER_EXTRACTABLE} */
  public static final long NEVER_EXTRACTABLE = 0x164L;

  /** {@code CKA_ALWAYS_SENSITIVE} */
  public static final long ALWAYS_SENSITIVE = 0x165L;

  /** {@code CKA_KEY_GEN_MECHANISM} */
  public static final long KEY_GEN_MECHANISM = 0x166L;

  /** {@code CKA_MODIFIABLE} */
  public static final long MODIFIABLE = 0x170L;

  /** {@code CKA_COPYABLE} */
  public static final long COPYABLE = 0x171L;

  /** {@code CKA_DESTROYABLE} */
  public static final long DESTROYABLE = 0x172L;

  /** {@code CKA_CHECK_VALUE} */
  public static final long CHECK_VALUE = 0x90L;

  /** {@code CKA_WRAP_WITH_TRUSTED} */
  public static final long WRAP_WITH_TRUSTED = 0x210L;

  /** {@code CKA_TRUSTED} */
  public static final long TRUSTED = 0x86L;

  /** {@code CKA_ALWAYS_AUTHENTICATE} */
  public static final long ALWAYS_AUTHENTICATE = 0x202L;

  /** {@code CKA_MODULUS} */
  public static final long MODULUS = 0x120L;

  /** {@code CKA_MODULUS_BITS} */
  public static final long MODULUS_BITS = 0x121L;

  /** {@code CKA_PUBLIC_EXPONENT} */
  public static final long PUBLIC_EXPONENT = 0x122L;

  /** {@code CKA_PRIVATE_EXPONENT} */
  public static final long PRIVATE_EXPONENT = 0x123L;

  /** {@code CKA_PRIME_1} */
  public static final long PRIME_1 = 0x124L;

  /** {@code CKA_PRIME_2} */
  public static final long PRIME_2 = 0x125L;

  /** {@code CKA_EXPONENT_1} */
  public static final long EXPONENT_1 = 0x126L;

  /** {@code CKA_EXPONENT_2} */
  public static final long EXPONENT_2 = 0x127L;

  /** {@code CKA_COEFFICIENT} */
  public static final long COEFFICIENT = 0x128L;

  /** {@code CKA_EC_PARAMS} (the curve: DER of its OID) */
  public static final long EC_PARAMS = 0x180L;

  /** {@code CKA_EC_POINT} */
  public static final long EC_POINT = 0x181L;

  /** {@code CKA_VENDOR_DEFINED} */
  public static final long VENDOR_DEFINED = 0x80000000L;

  private static final ConstantNames NAMES = new ConstantNames(CKA.class, "CKA_");

  /**
   * @param value a constant of this family
   * @return its name with the {@code CKA_} prefix, or the value in hex when unknown
   */
  public static String name(long value) {
    return NAMES.name(value);
  }
}
