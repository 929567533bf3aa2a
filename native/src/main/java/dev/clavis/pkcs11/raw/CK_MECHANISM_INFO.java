package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure.FieldOrder;

/** {@code CK_MECHANISM_INFO} (PKCS#11 v2.40 §3.6). */
@FieldOrder({"ulMinKeySize", "ulMaxKeySize", "flags"})
public class CK_MECHANISM_INFO extends CkStructure {
  public NativeLong ulMinKeySize;
  public NativeLong ulMaxKeySize;
  public NativeLong flags;
}
