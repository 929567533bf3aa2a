package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure.FieldOrder;

/** {@code CK_TOKEN_INFO} (PKCS#11 v2.40 §3.2). */
@FieldOrder({"label", "manufacturerID", "model", "serialNumber", "flags", "ulMaxSessionCount",
    "ulSessionCount", "ulMaxRwSessionCount", "ulRwSessionCount", "ulMaxPinLen", "ulMinPinLen",
    "ulTotalPublicMemory", "ulFreePublicMemory", "ulTotalPrivateMemory", "ulFreePrivateMemory",
    "hardwareVersion", "firmwareVersion", "utcTime"})
public class CK_TOKEN_INFO extends CkStructure {
  public byte[] label = new byte[32];
  public byte[] manufacturerID = new byte[32];
  public byte[] model = new byte[16];
  public byte[] serialNumber = new byte[16];
  public NativeLong flags;
  public NativeLong ulMaxSessionCount;
  public NativeLong ulSessionCount;
  public NativeLong ulMaxRwSessionCount;
  public NativeLong ulRwSessionCount;
  public NativeLong ulMaxPinLen;
  public NativeLong ulMinPinLen;
  public NativeLong ulTotalPublicMemory;
  public NativeLong ulFreePublicMemory;
  public NativeLong ulTotalPrivateMemory;
  public NativeLong ulFreePrivateMemory;
  public CK_VERSION hardwareVersion;
  public CK_VERSION firmwareVersion;
  public byte[] utcTime = new byte[16];
}
