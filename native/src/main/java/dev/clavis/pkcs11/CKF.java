package dev.clavis.pkcs11;

/** Bit flags of PKCS#11 v2.40 that Clavis reads or sets (sessions, tokens, mechanisms, initialize). */
public final class CKF {

  private CKF() {}

  /** {@code CKF_TOKEN_PRESENT} in {@code CK_SLOT_INFO.flags}. */
  public static final long TOKEN_PRESENT = 0x1L;
  /** {@code CKF_RW_SESSION} for {@code C_OpenSession}. */
  public static final long RW_SESSION = 0x2L;
  /** {@code CKF_SERIAL_SESSION}, mandatory for {@code C_OpenSession}. */
  public static final long SERIAL_SESSION = 0x4L;
  /** {@code CKF_OS_LOCKING_OK} in {@code CK_C_INITIALIZE_ARGS.flags}. */
  public static final long OS_LOCKING_OK = 0x2L;
  /** {@code CKF_LOGIN_REQUIRED} in {@code CK_TOKEN_INFO.flags}. */
  public static final long LOGIN_REQUIRED = 0x4L;
  /** {@code CKF_USER_PIN_INITIALIZED} in {@code CK_TOKEN_INFO.flags}. */
  public static final long USER_PIN_INITIALIZED = 0x8L;
  /** {@code CKF_TOKEN_INITIALIZED} in {@code CK_TOKEN_INFO.flags}. */
  public static final long TOKEN_INITIALIZED = 0x400L;
  /** {@code CKF_USER_PIN_COUNT_LOW}: at least one wrong user PIN since the last good one. */
  public static final long USER_PIN_COUNT_LOW = 0x10000L;
  /** {@code CKF_USER_PIN_FINAL_TRY}. */
  public static final long USER_PIN_FINAL_TRY = 0x20000L;
  /** {@code CKF_USER_PIN_LOCKED}. */
  public static final long USER_PIN_LOCKED = 0x40000L;
  /** {@code CKF_ENCRYPT} in {@code CK_MECHANISM_INFO.flags}. */
  public static final long ENCRYPT = 0x100L;
  /** {@code CKF_DECRYPT}. */
  public static final long DECRYPT = 0x200L;
  /** {@code CKF_SIGN}. */
  public static final long SIGN = 0x800L;
  /** {@code CKF_VERIFY}. */
  public static final long VERIFY = 0x2000L;
  /** {@code CKF_GENERATE}. */
  public static final long GENERATE = 0x8000L;
  /** {@code CKF_WRAP}. */
  public static final long WRAP = 0x20000L;
  /** {@code CKF_UNWRAP}. */
  public static final long UNWRAP = 0x40000L;
}
