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

  /** @return the {@code CKM_} type */
  public long type() {
    return type;
  }

  @Override
  public String toString() {
    return CKM.name(type);
  }

  /** The native form for one call; holds its memory until closed. */
  static final class Native implements AutoCloseable {
    final CK_MECHANISM mechanism = new CK_MECHANISM();
    private Memory param;
    private Memory aad;

    Native(Mechanism m) {
      mechanism.mechanism = Ulong.of(m.type);
      if (m.tagBits != 0) {
        param = memory(m.parameter);
        aad = memory(m.aad);
        CK_GCM_PARAMS p = new CK_GCM_PARAMS();
        p.pIv = param;
        p.ulIvLen = Ulong.of(m.parameter.length);
        p.ulIvBits = Ulong.of(m.parameter.length * 8L);
        p.pAAD = aad;
        p.ulAADLen = Ulong.of(m.aad.length);
        p.ulTagBits = Ulong.of(m.tagBits);
        p.write();
        keep = p;
        mechanism.pParameter = p.getPointer();
        mechanism.ulParameterLen = Ulong.of(p.size());
      } else if (m.parameter != null) {
        param = memory(m.parameter);
        mechanism.pParameter = param;
        mechanism.ulParameterLen = Ulong.of(m.parameter.length);
      } else {
        mechanism.pParameter = null;
        mechanism.ulParameterLen = Ulong.of(0);
      }
    }

    private CK_GCM_PARAMS keep; // keeps the parameter structure's memory reachable during the call

    private static Memory memory(byte[] b) {
      if (b.length == 0) {
        return null;
      }
      Memory m = new Memory(b.length);
      m.write(0, b, 0, b.length);
      return m;
    }

    @Override
    public void close() {
      if (param != null) {
        param.clear();
      }
      keep = null;
    }
  }
}
