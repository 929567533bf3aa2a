package dev.clavis.engine.hd;

import java.util.Arrays;

/**
 * RIPEMD-160 (Dobbertin, Bosselaers, Preneel, "RIPEMD-160: A Strengthened Version of RIPEMD",
 * 1996), the second half of Bitcoin's HASH160. The JDK has no RIPEMD-160; this keeps the provider
 * free of a Bouncy Castle runtime dependency.
 *
 * <p>Only public data passes through it (BIP32 identifiers hash public keys), so no effort is made
 * to wipe the state. Instances are not thread-safe; {@link #digest(byte[])} is.
 */
public final class Ripemd160 {

  /** Digest length in bytes. */
  public static final int LENGTH = 20;

  // Message word order per round, left and right lines (the spec's r and r').
  private static final byte[] RL = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
    3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
    1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
    4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13
  };
  private static final byte[] RR = {
    5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
    6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
    15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
    8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
    12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11
  };
  // Rotation amounts (the spec's s and s').
  private static final byte[] SL = {
    11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
    7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
    11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
    11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
    9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6
  };
  private static final byte[] SR = {
    8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
    9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
    9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
    15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
    8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11
  };
  // Additive constants per round (the spec's K and K').
  private static final int[] KL = {0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E};
  private static final int[] KR = {0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000};

  private final int[] h = new int[5];
  private final int[] x = new int[16];
  private final byte[] block = new byte[64];
  private int blockLength;
  private long byteCount;

  /** A fresh digest. */
  public Ripemd160() {
    reset();
  }

  /** Returns RIPEMD-160 of data. */
  public static byte[] digest(byte[] data) {
    Ripemd160 d = new Ripemd160();
    d.update(data, 0, data.length);
    return d.digest();
  }

  /** Back to the initial state. */
  public void reset() {
    h[0] = 0x67452301;
    h[1] = 0xEFCDAB89;
    h[2] = 0x98BADCFE;
    h[3] = 0x10325476;
    h[4] = 0xC3D2E1F0;
    blockLength = 0;
    byteCount = 0;
  }

  /**
   * Absorbs len bytes of in from off.
   *
   * @throws IndexOutOfBoundsException if the range is outside in
   */
  public void update(byte[] in, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, in.length);
    byteCount += len;
    while (len > 0) {
      int n = Math.min(len, 64 - blockLength);
      System.arraycopy(in, off, block, blockLength, n);
      blockLength += n;
      off += n;
      len -= n;
      if (blockLength == 64) {
        compress(block, 0);
        blockLength = 0;
      }
    }
  }

  /** Pads, returns the 20-byte digest and resets. */
  public byte[] digest() {
    long bits = byteCount << 3;
    block[blockLength++] = (byte) 0x80;
    if (blockLength > 56) {
      Arrays.fill(block, blockLength, 64, (byte) 0);
      compress(block, 0);
      blockLength = 0;
    }
    Arrays.fill(block, blockLength, 56, (byte) 0);
    for (int i = 0; i < 8; i++) {
      block[56 + i] = (byte) (bits >>> (8 * i)); // little-endian length
    }
    compress(block, 0);
    byte[] out = new byte[LENGTH];
    for (int i = 0; i < 5; i++) {
      int v = h[i];
      out[4 * i] = (byte) v;
      out[4 * i + 1] = (byte) (v >>> 8);
      out[4 * i + 2] = (byte) (v >>> 16);
      out[4 * i + 3] = (byte) (v >>> 24);
    }
    reset();
    return out;
  }

  private void compress(byte[] b, int off) {
    for (int i = 0; i < 16; i++) {
      int p = off + 4 * i;
      x[i] = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
    int al = h[0], bl = h[1], cl = h[2], dl = h[3], el = h[4];
    int ar = al, br = bl, cr = cl, dr = dl, er = el;
    for (int j = 0; j < 80; j++) {
      int round = j >>> 4;
      int t = Integer.rotateLeft(al + f(round, bl, cl, dl) + x[RL[j]] + KL[round], SL[j]) + el;
      al = el;
      el = dl;
      dl = Integer.rotateLeft(cl, 10);
      cl = bl;
      bl = t;
      t = Integer.rotateLeft(ar + f(4 - round, br, cr, dr) + x[RR[j]] + KR[round], SR[j]) + er;
      ar = er;
      er = dr;
      dr = Integer.rotateLeft(cr, 10);
      cr = br;
      br = t;
    }
    int t = h[1] + cl + dr;
    h[1] = h[2] + dl + er;
    h[2] = h[3] + el + ar;
    h[3] = h[4] + al + br;
    h[4] = h[0] + bl + cr;
    h[0] = t;
  }

  /** The spec's f(j, x, y, z) for rounds 0..4 (the right line runs them in reverse order). */
  private static int f(int round, int x, int y, int z) {
    switch (round) {
      case 0:
        return x ^ y ^ z;
      case 1:
        return (x & y) | (~x & z);
      case 2:
        return (x | ~y) ^ z;
      case 3:
        return (x & z) | (y & ~z);
      default:
        return x ^ (y | ~z);
    }
  }
}
