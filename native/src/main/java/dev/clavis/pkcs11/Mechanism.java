package dev.clavis.pkcs11;

import com.sun.jna.Memory;
import dev.clavis.pkcs11.raw.CK_GCM_PARAMS;
import dev.clavis.pkcs11.raw.CK_MECHANISM;

/**
 * A mechanism and its parameter ({@code CK_MECHANISM}, PKCS#11 v2.40 §3.6). Immutable.
 */
public final class Mechanism {

  private final long type;
  private final byte[] parameter; // raw parameter bytes, or the IV for GCM
  private final byte[] aad; // GCM only
  private final int tagBits; // GCM only; 0 otherwise

  private Mechanism(long type, byte[] parameter, byte[] aad, int tagBits) {
    this.type = type;
    this.parameter = parameter;
    this.aad = aad;
    this.tagBits = tagBits;
  }

  /** @return a mechanism without parameter */
  public static Mechanism of(long type) {
    return new Mechanism(type, null, null, 0);
  }

  /** @return a mechanism whose parameter is a byte string, such as an IV; copied */
  public static Mechanism withParameter(long type, byte[] parameter) {
    return new Mechanism(type, parameter.clone(), null, 0);
  }

  /**
   * {@code CKM_AES_GCM} with a {@code CK_GCM_PARAMS} (PKCS#11 v2.40 §2.12.3).
   *
   * @param iv the IV (copied)
   * @param aad additional authenticated data, may be null
   * @param tagBits tag length in bits
   */
  public static Mechanism gcm(byte[] iv, byte[] aad, int tagBits) {
    return new Mechanism(CKM.AES_GCM, iv.clone(), aad == null ? new byte[0] : aad.clone(), tagBits);
  }

  /**
   * An RSA-PSS mechanism with a {@code CK_RSA_PKCS_PSS_PARAMS} (PKCS#11 v2.40 §2.1.11): three
   * {@code CK_ULONG}s in the platform's size and byte order.
   *
   * @param type {@code CKM_RSA_PKCS_PSS} or a {@code CKM_SHAxxx_RSA_PKCS_PSS}
   * @param hashAlg the {@code CKM_SHAxxx} of the hash
   * @param mgf the {@code CKG_MGF1_SHAxxx}
   * @param saltLength the salt length in bytes
   * @return the mechanism
   */
  public static Mechanism rsaPss(long type, long hashAlg, long mgf, long saltLength) {
    int size = com.sun.jna.Native.LONG_SIZE;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(3 * size).order(java.nio.ByteOrder.nativeOrder());
    for (long v : new long[] {hashAlg, mgf, saltLength}) {
      if (size == 8) {
        b.putLong(v);
      } else {
        b.putInt((int) v);
      }
    }
    return new Mechanism(type, b.array(), null, 0);
  }

  /** @return the {@code CKM_} type */
  public long type() {
    return type;
  }

  @Override
  public String toString() {
    return CKM.name(type);
  }

  /**
   * The native form of a mechanism, reused call after call by one {@link Session} so a call
   * allocates no native memory: {@link #load} fills it, {@link #close()} zeroes the parameter
   * bytes used. Not thread-safe, like the session that owns it.
   */
  static final class Native implements AutoCloseable {
    final CK_MECHANISM mechanism = new CK_MECHANISM();
    private final CK_GCM_PARAMS gcm = new CK_GCM_PARAMS();
    private Memory buf = new Memory(256);
    private long used;

    Native() {
      mechanism.setAutoRead(false); // the module never writes the mechanism back
    }

    /** Fills the mechanism (and its parameter) for one call; @return this, to close after the call */
    Native load(Mechanism m) {
      mechanism.mechanism = Ulong.of(m.type);
      long need = (m.parameter == null ? 0 : m.parameter.length) + (m.aad == null ? 0 : m.aad.length);
      if (need > buf.size()) {
        buf.clear();
        buf.close();
        buf = new Memory(Math.max(need, 2 * buf.size()));
      }
      used = need;
      if (m.tagBits != 0) {
        int ivLen = m.parameter.length;
        buf.write(0, m.parameter, 0, ivLen);
        buf.write(ivLen, m.aad, 0, m.aad.length);
        gcm.pIv = ivLen == 0 ? null : buf;
        gcm.ulIvLen = Ulong.of(ivLen);
        gcm.ulIvBits = Ulong.of(ivLen * 8L);
        gcm.pAAD = m.aad.length == 0 ? null : buf.share(ivLen);
        gcm.ulAADLen = Ulong.of(m.aad.length);
        gcm.ulTagBits = Ulong.of(m.tagBits);
        gcm.write();
        mechanism.pParameter = gcm.getPointer();
        mechanism.ulParameterLen = Ulong.of(gcm.size());
      } else if (m.parameter != null && m.parameter.length > 0) {
        buf.write(0, m.parameter, 0, m.parameter.length);
        mechanism.pParameter = buf;
        mechanism.ulParameterLen = Ulong.of(m.parameter.length);
      } else {
        mechanism.pParameter = null;
        mechanism.ulParameterLen = Ulong.of(0);
      }
      return this;
    }

    /** Zeroes the parameter bytes of the last call (an AAD may be sensitive). */
    @Override
    public void close() {
      if (used > 0) {
        buf.clear(used);
        used = 0;
      }
    }
  }
}
