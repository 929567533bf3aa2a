package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code CK_GCM_PARAMS} as PKCS#11 v2.40 errata 01 §2.12.3 defines it, with {@code ulIvBits}
 * (the layout SoftHSM2, SunPKCS11 and most modules use).
 */
@FieldOrder({"pIv", "ulIvLen", "ulIvBits", "pAAD", "ulAADLen", "ulTagBits"})
public class CK_GCM_PARAMS extends CkStructure {
  public Pointer pIv;
  public NativeLong ulIvLen;
  public NativeLong ulIvBits;
  public Pointer pAAD;
  public NativeLong ulAADLen;
  public NativeLong ulTagBits;
}
