package dev.clavis.engine.argon2;

/**
 * The Argon2 compression function G (RFC 9106 §3.5) on 1024-byte blocks held as 128 little-endian
 * 64-bit words inside {@code long[]} arrays, plus the byte/word conversions Argon2 needs.
 *
 * <p>Written for the JIT: no allocation, the permutation P works on sixteen local variables, and
 * the caller supplies one 128-word scratch array per thread.
 */
final class Argon2Block {

  /** Words in one 1024-byte block. */
  static final int WORDS = 128;

  private static final long M32 = 0xFFFFFFFFL;

  private Argon2Block() {}

  /**
   * RFC 9106 §3.5: {@code out = G(x, y)} or, with {@code xorInto}, {@code out ^= G(x, y)} (the
   * version 0x13 rule for passes after the first, §3.4). {@code R = X XOR Y} goes through P row-wise
   * and then column-wise to give Z; the result is {@code Z XOR R}. {@code out} may be the same
   * block as {@code y} (used by address generation, §3.4.1.2) but not as {@code x}.
   *
   * @param r a 128-word scratch array, overwritten
   */
  static void compress(
      long[] x, int xo, long[] y, int yo, long[] out, int oo, boolean xorInto, long[] r) {
    for (int i = 0; i < WORDS; i++) {
      r[i] = x[xo + i] ^ y[yo + i];
    }
    // §3.6: P on the rows Q_0..Q_7 (each 16 consecutive words) ...
    for (int b = 0; b < WORDS; b += 16) {
      permute(r, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
          b + 8, b + 9, b + 10, b + 11, b + 12, b + 13, b + 14, b + 15);
    }
    // ... then on the columns: column i is the word pairs 2i, 2i+1 of each row.
    for (int b = 0; b < 16; b += 2) {
      permute(r, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49,
          b + 64, b + 65, b + 80, b + 81, b + 96, b + 97, b + 112, b + 113);
    }
    // Z XOR R, where R is recomputed from x and y rather than kept in a second scratch block.
    if (xorInto) {
      for (int i = 0; i < WORDS; i++) {
        out[oo + i] ^= r[i] ^ x[xo + i] ^ y[yo + i];
      }
    } else {
      for (int i = 0; i < WORDS; i++) {
        out[oo + i] = r[i] ^ x[xo + i] ^ y[yo + i];
      }
    }
  }

  /**
   * RFC 9106 §3.6: the permutation P, one BLAKE2b round without message words, where the addition
   * of G is replaced by the multiply-add {@code a + b + 2 * trunc(a) * trunc(b)} (fBlaMka).
   */
  private static void permute(long[] r, int i0, int i1, int i2, int i3, int i4, int i5, int i6,
      int i7, int i8, int i9, int i10, int i11, int i12, int i13, int i14, int i15) {
    long v0 = r[i0];
    long v1 = r[i1];
    long v2 = r[i2];
    long v3 = r[i3];
    long v4 = r[i4];
    long v5 = r[i5];
    long v6 = r[i6];
    long v7 = r[i7];
    long v8 = r[i8];
    long v9 = r[i9];
    long v10 = r[i10];
    long v11 = r[i11];
    long v12 = r[i12];
    long v13 = r[i13];
    long v14 = r[i14];
    long v15 = r[i15];
    // G(v0, v4, v8, v12)
    v0 = v0 + v4 + 2 * (v0 & M32) * (v4 & M32); v12 = Long.rotateRight(v12 ^ v0, 32);
    v8 = v8 + v12 + 2 * (v8 & M32) * (v12 & M32); v4 = Long.rotateRight(v4 ^ v8, 24);
    v0 = v0 + v4 + 2 * (v0 & M32) * (v4 & M32); v12 = Long.rotateRight(v12 ^ v0, 16);
    v8 = v8 + v12 + 2 * (v8 & M32) * (v12 & M32); v4 = Long.rotateRight(v4 ^ v8, 63);
    // G(v1, v5, v9, v13)
    v1 = v1 + v5 + 2 * (v1 & M32) * (v5 & M32); v13 = Long.rotateRight(v13 ^ v1, 32);
    v9 = v9 + v13 + 2 * (v9 & M32) * (v13 & M32); v5 = Long.rotateRight(v5 ^ v9, 24);
    v1 = v1 + v5 + 2 * (v1 & M32) * (v5 & M32); v13 = Long.rotateRight(v13 ^ v1, 16);
    v9 = v9 + v13 + 2 * (v9 & M32) * (v13 & M32); v5 = Long.rotateRight(v5 ^ v9, 63);
    // G(v2, v6, v10, v14)
    v2 = v2 + v6 + 2 * (v2 & M32) * (v6 & M32); v14 = Long.rotateRight(v14 ^ v2, 32);
    v10 = v10 + v14 + 2 * (v10 & M32) * (v14 & M32); v6 = Long.rotateRight(v6 ^ v10, 24);
    v2 = v2 + v6 + 2 * (v2 & M32) * (v6 & M32); v14 = Long.rotateRight(v14 ^ v2, 16);
    v10 = v10 + v14 + 2 * (v10 & M32) * (v14 & M32); v6 = Long.rotateRight(v6 ^ v10, 63);
    // G(v3, v7, v11, v15)
    v3 = v3 + v7 + 2 * (v3 & M32) * (v7 & M32); v15 = Long.rotateRight(v15 ^ v3, 32);
    v11 = v11 + v15 + 2 * (v11 & M32) * (v15 & M32); v7 = Long.rotateRight(v7 ^ v11, 24);
    v3 = v3 + v7 + 2 * (v3 & M32) * (v7 & M32); v15 = Long.rotateRight(v15 ^ v3, 16);
    v11 = v11 + v15 + 2 * (v11 & M32) * (v15 & M32); v7 = Long.rotateRight(v7 ^ v11, 63);
    // G(v0, v5, v10, v15)
    v0 = v0 + v5 + 2 * (v0 & M32) * (v5 & M32); v15 = Long.rotateRight(v15 ^ v0, 32);
    v10 = v10 + v15 + 2 * (v10 & M32) * (v15 & M32); v5 = Long.rotateRight(v5 ^ v10, 24);
    v0 = v0 + v5 + 2 * (v0 & M32) * (v5 & M32); v15 = Long.rotateRight(v15 ^ v0, 16);
    v10 = v10 + v15 + 2 * (v10 & M32) * (v15 & M32); v5 = Long.rotateRight(v5 ^ v10, 63);
    // G(v1, v6, v11, v12)
    v1 = v1 + v6 + 2 * (v1 & M32) * (v6 & M32); v12 = Long.rotateRight(v12 ^ v1, 32);
    v11 = v11 + v12 + 2 * (v11 & M32) * (v12 & M32); v6 = Long.rotateRight(v6 ^ v11, 24);
    v1 = v1 + v6 + 2 * (v1 & M32) * (v6 & M32); v12 = Long.rotateRight(v12 ^ v1, 16);
    v11 = v11 + v12 + 2 * (v11 & M32) * (v12 & M32); v6 = Long.rotateRight(v6 ^ v11, 63);
    // G(v2, v7, v8, v13)
    v2 = v2 + v7 + 2 * (v2 & M32) * (v7 & M32); v13 = Long.rotateRight(v13 ^ v2, 32);
    v8 = v8 + v13 + 2 * (v8 & M32) * (v13 & M32); v7 = Long.rotateRight(v7 ^ v8, 24);
    v2 = v2 + v7 + 2 * (v2 & M32) * (v7 & M32); v13 = Long.rotateRight(v13 ^ v2, 16);
    v8 = v8 + v13 + 2 * (v8 & M32) * (v13 & M32); v7 = Long.rotateRight(v7 ^ v8, 63);
    // G(v3, v4, v9, v14)
    v3 = v3 + v4 + 2 * (v3 & M32) * (v4 & M32); v14 = Long.rotateRight(v14 ^ v3, 32);
    v9 = v9 + v14 + 2 * (v9 & M32) * (v14 & M32); v4 = Long.rotateRight(v4 ^ v9, 24);
    v3 = v3 + v4 + 2 * (v3 & M32) * (v4 & M32); v14 = Long.rotateRight(v14 ^ v3, 16);
    v9 = v9 + v14 + 2 * (v9 & M32) * (v14 & M32); v4 = Long.rotateRight(v4 ^ v9, 63);
    r[i0] = v0;
    r[i1] = v1;
    r[i2] = v2;
    r[i3] = v3;
    r[i4] = v4;
    r[i5] = v5;
    r[i6] = v6;
    r[i7] = v7;
    r[i8] = v8;
    r[i9] = v9;
    r[i10] = v10;
    r[i11] = v11;
    r[i12] = v12;
    r[i13] = v13;
    r[i14] = v14;
    r[i15] = v15;
  }

  /** Loads a little-endian 64-bit word. */
  static long le64(byte[] b, int off) {
    return (b[off] & 0xFFL)
        | (b[off + 1] & 0xFFL) << 8
        | (b[off + 2] & 0xFFL) << 16
        | (b[off + 3] & 0xFFL) << 24
        | (b[off + 4] & 0xFFL) << 32
        | (b[off + 5] & 0xFFL) << 40
        | (b[off + 6] & 0xFFL) << 48
        | (b[off + 7] & 0xFFL) << 56;
  }

  /** Loads 1024 bytes into the block at {@code words[off..off+128)}. */
  static void load(byte[] bytes, long[] words, int off) {
    for (int i = 0; i < WORDS; i++) {
      words[off + i] = le64(bytes, 8 * i);
    }
  }

  /** Stores the block at {@code words[off..off+128)} as 1024 little-endian bytes. */
  static void store(long[] words, int off, byte[] bytes) {
    for (int i = 0; i < WORDS; i++) {
      long w = words[off + i];
      for (int j = 0; j < 8; j++) {
        bytes[8 * i + j] = (byte) (w >>> (8 * j));
      }
    }
  }
}
