package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure.FieldOrder;

/** {@code CK_SLOT_INFO} (PKCS#11 v2.40 §3.2). */
@FieldOrder({"slotDescription", "manufacturerID", "flags", "hardwareVersion", "firmwareVersion"})
public class CK_SLOT_INFO extends CkStructure {
  public byte[] slotDescription = new byte[64];
  public byte[] manufacturerID = new byte[32];
  public NativeLong flags;
  public CK_VERSION hardwareVersion;
  public CK_VERSION firmwareVersion;
}
