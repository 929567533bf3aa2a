package dev.clavis.engine.kw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian 64-bit loads and stores on byte arrays: the semiblock view of RFC 3394 §2. */
final class Semiblocks {

  /** 64 bits: the semiblock size of RFC 3394 §2 and RFC 5649 §2. */
  static final int SEMIBLOCK = 8;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Semiblocks() {}

  static long get(byte[] b, int off) {
    return (long) LONG_BE.get(b, off);
  }

  static void set(byte[] b, int off, long v) {
    LONG_BE.set(b, off, v);
  }
}
