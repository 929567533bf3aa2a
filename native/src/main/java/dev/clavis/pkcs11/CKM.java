package dev.clavis.pkcs11;

/**
 * Mechanism types ({@code CK_MECHANISM_TYPE}) Clavis uses, from PKCS#11 v2.40 and v3.0 ({@code CKM_AES_KEY_WRAP_KWP}).
 * {@link #name(long)} gives the {@code CKM_} name of a value for messages.
 */
public final class CKM {

  private CKM() {}

  /** {@code CKM_AES_KEY_GEN} */
  public static final long AES_KEY_GEN = 0x1080L;

  /** {@code CKM_AES_ECB} */
  public static final long AES_ECB = 0x1081L;

  /** {@code CKM_AES_CBC} */
  public static final long AES_CBC = 0x1082L;

  /** {@code CKM_AES_MAC} */
  public static final long AES_MAC = 0x1083L;

  /** {@code CKM_AES_MAC_GENERAL} */
  public static final long AES_MAC_GENERAL = 0x1084L;

  /** {@code CKM_AES_CBC_PAD} */
  public static final long AES_CBC_PAD = 0x1085L;

  /** {@code CKM_AES_CTR} */
  public static final long AES_CTR = 0x1086L;

  /** {@code CKM_AES_GCM} */
  public static final long AES_GCM = 0x1087L;

  /** {@code CKM_AES_CCM} */
  public static final long AES_CCM = 0x1088L;

  /** {@code CKM_AES_CMAC} */
  public static final long AES_CMAC = 0x108AL;

  /** {@code CKM_AES_KEY_WRAP} */
  public static final long AES_KEY_WRAP = 0x2109L;

  /** {@code CKM_AES_KEY_WRAP_PAD} */
  public static final long AES_KEY_WRAP_PAD = 0x210AL;

  /** {@code CKM_AES_KEY_WRAP_KWP} */
  public static final long AES_KEY_WRAP_KWP = 0x210BL;

  /** {@code CKM_GENERIC_SECRET_KEY_GEN} */
  public static final long GENERIC_SECRET_KEY_GEN = 0x350L;

  /** {@code CKM_SHA_1} */
  public static final long SHA_1 = 0x220L;

  /** {@code CKM_SHA256} */
  public static final long SHA256 = 0x250L;

  /** {@code CKM_SHA256_HMAC} */
  public static final long SHA256_HMAC = 0x251L;

  /** {@code CKM_SHA256_HMAC_GENERAL} */
  public static final long SHA256_HMAC_GENERAL = 0x252L;

  /** {@code CKM_SHA384_HMAC} */
  public static final long SHA384_HMAC = 0x261L;

  /** {@code CKM_SHA512_HMAC} */
  public static final long SHA512_HMAC = 0x271L;

  /** {@code CKM_SHA256_KEY_GEN} */
  public static final long SHA256_KEY_GEN = 0x4003L;

  /** {@code CKM_RSA_PKCS_KEY_PAIR_GEN} */
  public static final long RSA_PKCS_KEY_PAIR_GEN = 0x0L;

  /** {@code CKM_RSA_PKCS} */
  public static final long RSA_PKCS = 0x1L;

  /** {@code CKM_EC_KEY_PAIR_GEN} */
  public static final long EC_KEY_PAIR_GEN = 0x1040L;

  /** {@code CKM_ECDSA} */
  public static final long ECDSA = 0x1041L;

  /** {@code CKM_RSA_PKCS_PSS} */
  public static final long RSA_PKCS_PSS = 0x0DL;

  /** {@code CKM_SHA256_RSA_PKCS} */
  public static final long SHA256_RSA_PKCS = 0x40L;

  /** {@code CKM_SHA384_RSA_PKCS} */
  public static final long SHA384_RSA_PKCS = 0x41L;

  /** {@code CKM_SHA256_RSA_PKCS_PSS} */
  public static final long SHA256_RSA_PKCS_PSS = 0x43L;

  /** {@code CKM_SHA384_RSA_PKCS_PSS} */
  public static final long SHA384_RSA_PKCS_PSS = 0x44L;

  /** {@code CKM_SHA384} */
  public static final long SHA384 = 0x260L;

  /** {@code CKM_EC_EDWARDS_KEY_PAIR_GEN} (PKCS#11 v3.0) */
  public static final long EC_EDWARDS_KEY_PAIR_GEN = 0x1055L;

  /** {@code CKM_EDDSA} (PKCS#11 v3.0) */
  public static final long EDDSA = 0x1057L;

  /** {@code CKM_VENDOR_DEFINED} */
  public static final long VENDOR_DEFINED = 0x80000000L;

  private static final ConstantNames NAMES = new ConstantNames(CKM.class, "CKM_");

  /**
   * @param value a constant of this family
   * @return its name with the {@code CKM_} prefix, or the value in hex when unknown
   */
  public static String name(long value) {
    return NAMES.name(value);
  }
}
