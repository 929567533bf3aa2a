package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code CK_C_INITIALIZE_ARGS} (PKCS#11 v2.40 §5.4): Clavis passes null mutex callbacks and
 * {@code CKF_OS_LOCKING_OK}, so the module uses the operating system's locks.
 */
@FieldOrder({"CreateMutex", "DestroyMutex", "LockMutex", "UnlockMutex", "flags", "pReserved"})
public class CK_C_INITIALIZE_ARGS extends CkStructure {
  public Pointer CreateMutex;
  public Pointer DestroyMutex;
  public Pointer LockMutex;
  public Pointer UnlockMutex;
  public NativeLong flags;
  public Pointer pReserved;
}
