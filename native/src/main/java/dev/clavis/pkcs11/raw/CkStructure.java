package dev.clavis.pkcs11.raw;

import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Base of every Cryptoki structure: PKCS#11 v2.40 §2.1 (pkcs11.h) asks for 1-byte packing on
 * Windows ({@code #pragma pack(push, cryptoki, 1)}) and the platform's natural alignment elsewhere.
 */
public abstract class CkStructure extends Structure {

  /** The alignment every Cryptoki structure uses on this platform. */
  public static final int ALIGNMENT = Platform.isWindows() ? ALIGN_NONE : ALIGN_DEFAULT;

  /** Creates a structure in memory JNA allocates. */
  protected CkStructure() {
    super(ALIGNMENT);
  }

  /** Creates a structure over existing native memory. */
  protected CkStructure(Pointer p) {
    super(p, ALIGNMENT);
  }
}
