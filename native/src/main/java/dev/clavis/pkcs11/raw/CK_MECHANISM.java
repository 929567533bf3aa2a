package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code CK_MECHANISM} (PKCS#11 v2.40 §3.6). The parameter is raw native memory the caller owns
 * and has written before the call.
 */
@FieldOrder({"mechanism", "pParameter", "ulParameterLen"})
public class CK_MECHANISM extends CkStructure {
  public NativeLong mechanism;
  public Pointer pParameter;
  public NativeLong ulParameterLen;
}
