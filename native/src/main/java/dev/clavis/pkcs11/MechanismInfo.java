package dev.clavis.pkcs11;

/** What {@code C_GetMechanismInfo} reports (PKCS#11 v2.40 §3.6). Immutable. */
public final class MechanismInfo {

  private final long type;
  private final long minKeySize;
  private final long maxKeySize;
  private final long flags;

  MechanismInfo(long type, long minKeySize, long maxKeySize, long flags) {
    this.type = type;
    this.minKeySize = minKeySize;
    this.maxKeySize = maxKeySize;
    this.flags = flags;
  }

  /** @return the {@code CKM_} type */
  public long type() { return type; }

  /** @return the minimum key size (bits or bytes, as the mechanism defines) */
  public long minKeySize() { return minKeySize; }

  /** @return the maximum key size */
  public long maxKeySize() { return maxKeySize; }

  /** @return the {@code CKF_} flags */
  public long flags() { return flags; }

  /** @return whether {@code flag} ({@link CKF#ENCRYPT}, {@link CKF#WRAP}, ...) is set */
  public boolean has(long flag) {
    return (flags & flag) != 0;
  }

  @Override
  public String toString() {
    return CKM.name(type) + " keys " + minKeySize + ".." + maxKeySize + " flags 0x" + Long.toHexString(flags);
  }
}
