package dev.clavis.engine.kw;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** 64-bit loads and stores on byte arrays: the semiblock view of RFC 3394 §2, big-endian or raw. */
final class Semiblocks {

  /** 64 bits: the semiblock size of RFC 3394 §2 and RFC 5649 §2. */
  static final int SEMIBLOCK = 8;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final VarHandle LONG_NATIVE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final boolean NATIVE_IS_BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  private Semiblocks() {}

  /** The 8 bytes at off as an opaque word (native order: a plain move, no byte swap). */
  static long getRaw(byte[] b, int off) {
    return (long) LONG_NATIVE.get(b, off);
  }

  /** Stores an opaque word read by {@link #getRaw}. */
  static void setRaw(byte[] b, int off, long v) {
    LONG_NATIVE.set(b, off, v);
  }

  /**
   * Converts between a big-endian value and its raw word: raw(x ^ y) = raw(x) ^ raw(y), so a
   * big-endian XOR (RFC 3394's A ^ t) is a raw XOR with {@code raw(t)}.
   */
  static long raw(long bigEndianValue) {
    return NATIVE_IS_BIG ? bigEndianValue : Long.reverseBytes(bigEndianValue);
  }

  static long get(byte[] b, int off) {
    return (long) LONG_BE.get(b, off);
  }

  static void set(byte[] b, int off, long v) {
    LONG_BE.set(b, off, v);
  }
}
