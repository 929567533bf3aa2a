package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure.FieldOrder;

/** {@code CK_INFO} (PKCS#11 v2.40 §3.1): general information about the Cryptoki library. */
@FieldOrder({"cryptokiVersion", "manufacturerID", "flags", "libraryDescription", "libraryVersion"})
public class CK_INFO extends CkStructure {
  public CK_VERSION cryptokiVersion;
  public byte[] manufacturerID = new byte[32];
  public NativeLong flags;
  public byte[] libraryDescription = new byte[32];
  public CK_VERSION libraryVersion;
}
