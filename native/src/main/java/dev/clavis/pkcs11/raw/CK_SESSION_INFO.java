package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure.FieldOrder;

/** {@code CK_SESSION_INFO} (PKCS#11 v2.40 §3.3). */
@FieldOrder({"slotID", "state", "flags", "ulDeviceError"})
public class CK_SESSION_INFO extends CkStructure {
  public NativeLong slotID;
  public NativeLong state;
  public NativeLong flags;
  public NativeLong ulDeviceError;
}
