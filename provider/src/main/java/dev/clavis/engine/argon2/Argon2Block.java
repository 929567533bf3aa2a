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
    // §3.6: P on each row (16 consecutive words), then on each column pair.
    for (int b = 0; b < WORDS; b += 16) {
      row(r, b);
    }
    for (int b = 0; b < 16; b += 2) {
      column(r, b);
    }
    for (int i = 0; i < WORDS; i++) {
      out[oo + i] = (out[oo + i] & keep) ^ r[i] ^ x[xo + i] ^ y[yo + i];
    }
  }

  // RFC 9106 §3.6: GB(a, b, c, d) is BLAKE2b's G without message words and with the additions
  // replaced by the multiply-add fBlaMka(x, y) = x + y + 2 * trunc(x) * trunc(y). The eight GB
  // of one P are written out in row() and column(), four words at a time in locals: the client
  // compiler (the command line runs with it only) does not inline a method of GB's size, and a
  // call per GB made it 2x slower; C2 produces the same code as from an inlined GB. (A version
  // holding all sixteen words of P in locals spilled to the stack and ran about 15% slower.)

  /** P on the row starting at word {@code base}: G on the columns of the 4x4 matrix, then on its diagonals. */
  private static void row(long[] r, int base) {
    long a;
    long b;
    long c;
    long d;
    a = r[base];
    b = r[base + 4];
    c = r[base + 8];
    d = r[base + 12];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base] = a;
    r[base + 4] = b;
    r[base + 8] = c;
    r[base + 12] = d;
    a = r[base + 1];
    b = r[base + 5];
    c = r[base + 9];
    d = r[base + 13];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 1] = a;
    r[base + 5] = b;
    r[base + 9] = c;
    r[base + 13] = d;
    a = r[base + 2];
    b = r[base + 6];
    c = r[base + 10];
    d = r[base + 14];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 2] = a;
    r[base + 6] = b;
    r[base + 10] = c;
    r[base + 14] = d;
    a = r[base + 3];
    b = r[base + 7];
    c = r[base + 11];
    d = r[base + 15];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 3] = a;
    r[base + 7] = b;
    r[base + 11] = c;
    r[base + 15] = d;
    a = r[base];
    b = r[base + 5];
    c = r[base + 10];
    d = r[base + 15];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base] = a;
    r[base + 5] = b;
    r[base + 10] = c;
    r[base + 15] = d;
    a = r[base + 1];
    b = r[base + 6];
    c = r[base + 11];
    d = r[base + 12];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 1] = a;
    r[base + 6] = b;
    r[base + 11] = c;
    r[base + 12] = d;
    a = r[base + 2];
    b = r[base + 7];
    c = r[base + 8];
    d = r[base + 13];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 2] = a;
    r[base + 7] = b;
    r[base + 8] = c;
    r[base + 13] = d;
    a = r[base + 3];
    b = r[base + 4];
    c = r[base + 9];
    d = r[base + 14];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 3] = a;
    r[base + 4] = b;
    r[base + 9] = c;
    r[base + 14] = d;
  }

  /** P on the column pair starting at word {@code base}: v_k is {@code r[base + 16 * (k / 2) + k % 2]}. */
  private static void column(long[] r, int base) {
    long a;
    long b;
    long c;
    long d;
    a = r[base];
    b = r[base + 32];
    c = r[base + 64];
    d = r[base + 96];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base] = a;
    r[base + 32] = b;
    r[base + 64] = c;
    r[base + 96] = d;
    a = r[base + 1];
    b = r[base + 33];
    c = r[base + 65];
    d = r[base + 97];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 1] = a;
    r[base + 33] = b;
    r[base + 65] = c;
    r[base + 97] = d;
    a = r[base + 16];
    b = r[base + 48];
    c = r[base + 80];
    d = r[base + 112];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 16] = a;
    r[base + 48] = b;
    r[base + 80] = c;
    r[base + 112] = d;
    a = r[base + 17];
    b = r[base + 49];
    c = r[base + 81];
    d = r[base + 113];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 17] = a;
    r[base + 49] = b;
    r[base + 81] = c;
    r[base + 113] = d;
    a = r[base];
    b = r[base + 33];
    c = r[base + 80];
    d = r[base + 113];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base] = a;
    r[base + 33] = b;
    r[base + 80] = c;
    r[base + 113] = d;
    a = r[base + 1];
    b = r[base + 48];
    c = r[base + 81];
    d = r[base + 96];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 1] = a;
    r[base + 48] = b;
    r[base + 81] = c;
    r[base + 96] = d;
    a = r[base + 16];
    b = r[base + 49];
    c = r[base + 64];
    d = r[base + 97];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 16] = a;
    r[base + 49] = b;
    r[base + 64] = c;
    r[base + 97] = d;
    a = r[base + 17];
    b = r[base + 32];
    c = r[base + 65];
    d = r[base + 112];
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 32);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 24);
    a = a + b + 2 * (a & M32) * (b & M32);
    d = Long.rotateRight(d ^ a, 16);
    c = c + d + 2 * (c & M32) * (d & M32);
    b = Long.rotateRight(b ^ c, 63);
    r[base + 17] = a;
    r[base + 32] = b;
    r[base + 65] = c;
    r[base + 112] = d;
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
