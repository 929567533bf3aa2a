package dev.clavis.engine.argon2;

/**
 * The Argon2 compression function G (RFC 9106 §3.5) on 1024-byte blocks held as 128 little-endian
 * 64-bit words inside {@code long[]} arrays, plus the byte/word conversions Argon2 needs.
 *
 * <p>Written for the JIT: no allocation, G works on four local variables at a time, and the
 * caller supplies one 128-word scratch array per thread.
 */
final class Argon2Block {

  /** Words in one 1024-byte block. */
  static final int WORDS = 128;

  private static final long M32 = 0xFFFFFFFFL;

  private Argon2Block() {}

  /**
   * RFC 9106 §3.5: {@code out = G(x, y)} or {@code out ^= G(x, y)} (the
   * version 0x13 rule for passes after the first, §3.2 step 6). {@code R = X XOR Y} goes through P
   * row-wise, giving Q, and then column-wise, giving Z; the result is {@code Z XOR R}. R is
   * recomputed from x and y at the end rather than kept in a second scratch block. {@code out} may
   * be the same block as {@code y} (address generation does that, §3.4.1.2) but not as {@code x}.
   *
   * <p>{@code keep} selects between the two without a branch: {@code -1L} XORs into {@code out},
   * {@code 0L} overwrites it. A boolean tested here was always false through the first pass, so
   * a JVM that compiled G early deoptimised it at the second pass and compiled it again: in a
   * short-lived process (the command line) that cost more than the derivation itself.
   *
   * @param keep {@code -1L} for {@code out ^= G(x, y)}, {@code 0L} for {@code out = G(x, y)}
   * @param r a 128-word scratch array, overwritten
   */
  static void compress(
      long[] x, int xo, long[] y, int yo, long[] out, int oo, long keep, long[] r) {
    for (int i = 0; i < WORDS; i++) {
      r[i] = x[xo + i] ^ y[yo + i];
    }
    // §3.6: P on each row (16 consecutive words v0..v15): G on the columns of the 4x4 matrix of
    // v, then on its diagonals, as in a BLAKE2b round.
    for (int b = 0; b < WORDS; b += 16) {
      mix(r, b, b + 4, b + 8, b + 12);
      mix(r, b + 1, b + 5, b + 9, b + 13);
      mix(r, b + 2, b + 6, b + 10, b + 14);
      mix(r, b + 3, b + 7, b + 11, b + 15);
      mix(r, b, b + 5, b + 10, b + 15);
      mix(r, b + 1, b + 6, b + 11, b + 12);
      mix(r, b + 2, b + 7, b + 8, b + 13);
      mix(r, b + 3, b + 4, b + 9, b + 14);
    }
    // ... then P on each column: v0..v15 are words 2i and 2i+1 of the eight rows, so v_k is
    // r[b + 16 * (k / 2) + k % 2] with b = 2i.
    for (int b = 0; b < 16; b += 2) {
      mix(r, b, b + 32, b + 64, b + 96);
      mix(r, b + 1, b + 33, b + 65, b + 97);
      mix(r, b + 16, b + 48, b + 80, b + 112);
      mix(r, b + 17, b + 49, b + 81, b + 113);
      mix(r, b, b + 33, b + 80, b + 113);
      mix(r, b + 1, b + 48, b + 81, b + 96);
      mix(r, b + 16, b + 49, b + 64, b + 97);
      mix(r, b + 17, b + 32, b + 65, b + 112);
    }
    for (int i = 0; i < WORDS; i++) {
      out[oo + i] = (out[oo + i] & keep) ^ r[i] ^ x[xo + i] ^ y[yo + i];
    }
  }

  /**
   * RFC 9106 §3.6: GB(a, b, c, d), BLAKE2b's G without message words and with the additions
   * replaced by the multiply-add fBlaMka(x, y) = x + y + 2 * trunc(x) * trunc(y). Small enough to
   * be inlined; working on four words at a time keeps them in registers (a version holding all
   * sixteen words of P in locals spilled to the stack and ran about 15% slower).
   */
  private static void mix(long[] r, int ia, int ib, int ic, int id) {
    long a = r[ia];
    long b = r[ib];
    long c = r[ic];
    long d = r[id];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[ia] = a;
    r[ib] = b;
    r[ic] = c;
    r[id] = d;
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
