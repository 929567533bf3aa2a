package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code CK_ATTRIBUTE} (PKCS#11 v2.40 §3.4). Arrays of it must be contiguous: build them with
 * {@code toArray}.
 */
@FieldOrder({"type", "pValue", "ulValueLen"})
public class CK_ATTRIBUTE extends CkStructure {
  public NativeLong type;
  public Pointer pValue;
  public NativeLong ulValueLen;
}
