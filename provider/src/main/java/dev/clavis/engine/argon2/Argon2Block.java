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
   * version 0x13 rule for passes after the first, §3.2 step 6). {@code R = X XOR Y} goes through P
   * row-wise, giving Q, and then column-wise, giving Z; the result is {@code Z XOR R}.
   *
   * <p>The XOR of the inputs is folded into the row pass and the final XOR into the column pass, so
   * each block is read and written once. {@code out} may be the same block as {@code y} (address
   * generation does that, §3.4.1.2) but not as {@code x}.
   *
   * @param r a 128-word scratch array, overwritten
   */
  static void compress(
      long[] x, int xo, long[] y, int yo, long[] out, int oo, boolean xorInto, long[] r) {
    for (int b = 0; b < WORDS; b += 16) {
      permuteRow(x, xo + b, y, yo + b, r, b);
    }
    if (xorInto) {
      for (int b = 0; b < 16; b += 2) {
        permuteColumnXorInto(r, b, x, xo + b, y, yo + b, out, oo + b);
      }
    } else {
      for (int b = 0; b < 16; b += 2) {
        permuteColumn(r, b, x, xo + b, y, yo + b, out, oo + b);
      }
    }
  }

  /*
   * RFC 9106 §3.6: the permutation P, one BLAKE2b round without message words, where the
   * addition of G is replaced by the multiply-add a + b + 2 * trunc(a) * trunc(b) (fBlaMka).
   * Written out with constant offsets from a base so that the JIT keeps the sixteen state words
   * in registers and addresses each word as [array + base + constant].
   */

  /** R = X XOR Y for row {@code b / 16}, then P on it, into {@code r[b..b+16)}. */
  private static void permuteRow(long[] x, int xo, long[] y, int yo, long[] r, int b) {
    long v0 = x[xo] ^ y[yo];
    long v1 = x[xo + 1] ^ y[yo + 1];
    long v2 = x[xo + 2] ^ y[yo + 2];
    long v3 = x[xo + 3] ^ y[yo + 3];
    long v4 = x[xo + 4] ^ y[yo + 4];
    long v5 = x[xo + 5] ^ y[yo + 5];
    long v6 = x[xo + 6] ^ y[yo + 6];
    long v7 = x[xo + 7] ^ y[yo + 7];
    long v8 = x[xo + 8] ^ y[yo + 8];
    long v9 = x[xo + 9] ^ y[yo + 9];
    long v10 = x[xo + 10] ^ y[yo + 10];
    long v11 = x[xo + 11] ^ y[yo + 11];
    long v12 = x[xo + 12] ^ y[yo + 12];
    long v13 = x[xo + 13] ^ y[yo + 13];
    long v14 = x[xo + 14] ^ y[yo + 14];
    long v15 = x[xo + 15] ^ y[yo + 15];
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
    r[b] = v0;
    r[b + 1] = v1;
    r[b + 2] = v2;
    r[b + 3] = v3;
    r[b + 4] = v4;
    r[b + 5] = v5;
    r[b + 6] = v6;
    r[b + 7] = v7;
    r[b + 8] = v8;
    r[b + 9] = v9;
    r[b + 10] = v10;
    r[b + 11] = v11;
    r[b + 12] = v12;
    r[b + 13] = v13;
    r[b + 14] = v14;
    r[b + 15] = v15;
  }

  /** P on column {@code b / 2} (words b, b+1 of each row), then out = Z XOR R for those words. */
  private static void permuteColumn(
      long[] r, int b, long[] x, int xo, long[] y, int yo, long[] out, int oo) {
    long v0 = r[b];
    long v1 = r[b + 1];
    long v2 = r[b + 16];
    long v3 = r[b + 17];
    long v4 = r[b + 32];
    long v5 = r[b + 33];
    long v6 = r[b + 48];
    long v7 = r[b + 49];
    long v8 = r[b + 64];
    long v9 = r[b + 65];
    long v10 = r[b + 80];
    long v11 = r[b + 81];
    long v12 = r[b + 96];
    long v13 = r[b + 97];
    long v14 = r[b + 112];
    long v15 = r[b + 113];
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
    out[oo] = v0 ^ x[xo] ^ y[yo];
    out[oo + 1] = v1 ^ x[xo + 1] ^ y[yo + 1];
    out[oo + 16] = v2 ^ x[xo + 16] ^ y[yo + 16];
    out[oo + 17] = v3 ^ x[xo + 17] ^ y[yo + 17];
    out[oo + 32] = v4 ^ x[xo + 32] ^ y[yo + 32];
    out[oo + 33] = v5 ^ x[xo + 33] ^ y[yo + 33];
    out[oo + 48] = v6 ^ x[xo + 48] ^ y[yo + 48];
    out[oo + 49] = v7 ^ x[xo + 49] ^ y[yo + 49];
    out[oo + 64] = v8 ^ x[xo + 64] ^ y[yo + 64];
    out[oo + 65] = v9 ^ x[xo + 65] ^ y[yo + 65];
    out[oo + 80] = v10 ^ x[xo + 80] ^ y[yo + 80];
    out[oo + 81] = v11 ^ x[xo + 81] ^ y[yo + 81];
    out[oo + 96] = v12 ^ x[xo + 96] ^ y[yo + 96];
    out[oo + 97] = v13 ^ x[xo + 97] ^ y[yo + 97];
    out[oo + 112] = v14 ^ x[xo + 112] ^ y[yo + 112];
    out[oo + 113] = v15 ^ x[xo + 113] ^ y[yo + 113];
  }

  /** P on column {@code b / 2} (words b, b+1 of each row), then out ^= Z XOR R for those words. */
  private static void permuteColumnXorInto(
      long[] r, int b, long[] x, int xo, long[] y, int yo, long[] out, int oo) {
    long v0 = r[b];
    long v1 = r[b + 1];
    long v2 = r[b + 16];
    long v3 = r[b + 17];
    long v4 = r[b + 32];
    long v5 = r[b + 33];
    long v6 = r[b + 48];
    long v7 = r[b + 49];
    long v8 = r[b + 64];
    long v9 = r[b + 65];
    long v10 = r[b + 80];
    long v11 = r[b + 81];
    long v12 = r[b + 96];
    long v13 = r[b + 97];
    long v14 = r[b + 112];
    long v15 = r[b + 113];
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
    out[oo] ^= v0 ^ x[xo] ^ y[yo];
    out[oo + 1] ^= v1 ^ x[xo + 1] ^ y[yo + 1];
    out[oo + 16] ^= v2 ^ x[xo + 16] ^ y[yo + 16];
    out[oo + 17] ^= v3 ^ x[xo + 17] ^ y[yo + 17];
    out[oo + 32] ^= v4 ^ x[xo + 32] ^ y[yo + 32];
    out[oo + 33] ^= v5 ^ x[xo + 33] ^ y[yo + 33];
    out[oo + 48] ^= v6 ^ x[xo + 48] ^ y[yo + 48];
    out[oo + 49] ^= v7 ^ x[xo + 49] ^ y[yo + 49];
    out[oo + 64] ^= v8 ^ x[xo + 64] ^ y[yo + 64];
    out[oo + 65] ^= v9 ^ x[xo + 65] ^ y[yo + 65];
    out[oo + 80] ^= v10 ^ x[xo + 80] ^ y[yo + 80];
    out[oo + 81] ^= v11 ^ x[xo + 81] ^ y[yo + 81];
    out[oo + 96] ^= v12 ^ x[xo + 96] ^ y[yo + 96];
    out[oo + 97] ^= v13 ^ x[xo + 97] ^ y[yo + 97];
    out[oo + 112] ^= v14 ^ x[xo + 112] ^ y[yo + 112];
    out[oo + 113] ^= v15 ^ x[xo + 113] ^ y[yo + 113];
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
