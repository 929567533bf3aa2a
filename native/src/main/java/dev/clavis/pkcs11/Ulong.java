package dev.clavis.pkcs11;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** Reads and writes {@code CK_ULONG}, whose size is the platform's {@code long} (4 or 8 bytes). */
final class Ulong {

  static final int SIZE = NativeLong.SIZE;

  private Ulong() {}

  static long get(Pointer p, long offset) {
    return SIZE == 8 ? p.getLong(offset) : p.getInt(offset) & 0xffffffffL;
  }

  static void put(Pointer p, long offset, long v) {
    if (SIZE == 8) {
      p.setLong(offset, v);
    } else {
      p.setInt(offset, (int) v);
    }
  }

  static long[] read(Memory m, int count) {
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = get(m, (long) i * SIZE);
    }
    return out;
  }

  static long unsigned(NativeLong v) {
    return SIZE == 4 ? v.longValue() & 0xffffffffL : v.longValue();
  }

  static NativeLong of(long v) {
    return new NativeLong(v, true);
  }

  /** Encodes a {@code CK_ULONG} attribute value in native byte order. */
  static byte[] encode(long v) {
    Memory m = new Memory(SIZE);
    put(m, 0, v);
    return m.getByteArray(0, SIZE);
  }

  /** Decodes a {@code CK_ULONG} attribute value in native byte order. */
  static long decode(byte[] b) {
    Memory m = new Memory(b.length);
    m.write(0, b, 0, b.length);
    return b.length == 8 ? m.getLong(0) : m.getInt(0) & 0xffffffffL;
  }
}
