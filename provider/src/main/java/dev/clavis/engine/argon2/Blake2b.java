package dev.clavis.engine.argon2;

import java.util.Arrays;

/**
 * Unkeyed BLAKE2b (RFC 7693) with a digest length of 1 to 64 bytes: the hash function H of
 * RFC 9106 §3.1. Argon2 uses it only for H0, H' and the final tag, a few dozen compressions per
 * call, so this class favours clarity; the memory-filling compression lives in
 * {@link Argon2Block}. Not thread-safe; wipe it with {@link #reset} after hashing secrets.
 */
final class Blake2b {

  /** RFC 7693 §2.6: the initialisation vector (the SHA-512 IV). */
  private static final long[] IV = {
    0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
    0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L
  };

  /** RFC 7693 §2.7: the message schedule SIGMA (rounds 10 and 11 reuse rows 0 and 1). */
  private static final byte[][] SIGMA = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}
  };

  static final int BLOCK_BYTES = 128;
  static final int MAX_DIGEST_BYTES = 64;

  private final long[] h = new long[8];
  private final long[] v = new long[16];
  private final long[] m = new long[16];
  private final byte[] buffer = new byte[BLOCK_BYTES];
  private int bufferLength;
  private long counter; // RFC 7693 t; Argon2 never hashes 2^64 bytes, so the high word stays 0
  private int digestLength;

  /** Starts a new unkeyed hash with the given digest length (RFC 7693 §2.5 parameter block). */
  Blake2b init(int digestLength) {
    if (digestLength < 1 || digestLength > MAX_DIGEST_BYTES) {
      throw new IllegalArgumentException("BLAKE2b digest length must be 1..64 bytes, got " + digestLength);
    }
    this.digestLength = digestLength;
    System.arraycopy(IV, 0, h, 0, 8);
    // Parameter block word 0: digest length, key length 0, fanout 1, depth 1.
    h[0] ^= 0x01010000L ^ digestLength;
    bufferLength = 0;
    counter = 0;
    return this;
  }

  Blake2b update(byte[] in) {
    return update(in, 0, in.length);
  }

  /** Appends a 32-bit little-endian integer, the LE32 of RFC 9106 §3.1. */
  Blake2b updateLe32(int value) {
    byte[] le = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    return update(le, 0, 4);
  }

  Blake2b update(byte[] in, int off, int len) {
    while (len > 0) {
      // Compress a full buffer only once more input arrives: the last block must be flagged final.
      if (bufferLength == BLOCK_BYTES) {
        counter += BLOCK_BYTES;
        compress(buffer, 0, false);
        bufferLength = 0;
      }
      int n = Math.min(len, BLOCK_BYTES - bufferLength);
      System.arraycopy(in, off, buffer, bufferLength, n);
      bufferLength += n;
      off += n;
      len -= n;
    }
    return this;
  }

  /** Finishes the hash into {@code out[off..off+digestLength)} and wipes the internal state. */
  void doFinal(byte[] out, int off) {
    counter += bufferLength;
    Arrays.fill(buffer, bufferLength, BLOCK_BYTES, (byte) 0);
    compress(buffer, 0, true);
    for (int i = 0; i < digestLength; i++) {
      out[off + i] = (byte) (h[i >>> 3] >>> (8 * (i & 7)));
    }
    reset();
  }

  /** Wipes every buffer that may hold input or state. */
  void reset() {
    Arrays.fill(h, 0);
    Arrays.fill(v, 0);
    Arrays.fill(m, 0);
    Arrays.fill(buffer, (byte) 0);
    bufferLength = 0;
    counter = 0;
  }

  /** RFC 7693 §3.2: the compression function F. */
  private void compress(byte[] block, int off, boolean last) {
    for (int i = 0; i < 16; i++) {
      m[i] = Argon2Block.le64(block, off + 8 * i);
    }
    System.arraycopy(h, 0, v, 0, 8);
    System.arraycopy(IV, 0, v, 8, 8);
    v[12] ^= counter;
    if (last) {
      v[14] = ~v[14];
    }
    for (int r = 0; r < 12; r++) {
      byte[] s = SIGMA[r % 10];
      mix(0, 4, 8, 12, m[s[0]], m[s[1]]);
      mix(1, 5, 9, 13, m[s[2]], m[s[3]]);
      mix(2, 6, 10, 14, m[s[4]], m[s[5]]);
      mix(3, 7, 11, 15, m[s[6]], m[s[7]]);
      mix(0, 5, 10, 15, m[s[8]], m[s[9]]);
      mix(1, 6, 11, 12, m[s[10]], m[s[11]]);
      mix(2, 7, 8, 13, m[s[12]], m[s[13]]);
      mix(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) {
      h[i] ^= v[i] ^ v[i + 8];
    }
  }

  /** RFC 7693 §3.1: the mixing function G. */
  private void mix(int a, int b, int c, int d, long x, long y) {
    v[a] = v[a] + v[b] + x;
    v[d] = Long.rotateRight(v[d] ^ v[a], 32);
    v[c] = v[c] + v[d];
    v[b] = Long.rotateRight(v[b] ^ v[c], 24);
    v[a] = v[a] + v[b] + y;
    v[d] = Long.rotateRight(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = Long.rotateRight(v[b] ^ v[c], 63);
  }
}
