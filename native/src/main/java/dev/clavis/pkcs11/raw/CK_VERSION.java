package dev.clavis.pkcs11.raw;

import com.sun.jna.Structure.FieldOrder;

/** {@code CK_VERSION} (PKCS#11 v2.40 §3.1): major and minor version bytes. */
@FieldOrder({"major", "minor"})
public class CK_VERSION extends CkStructure {
  public byte major;
  public byte minor;

  /** @return {@code major.minor} */
  @Override
  public String toString() {
    return (major & 0xff) + "." + (minor & 0xff);
  }
}
