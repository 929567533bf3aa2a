package dev.clavis.engine.hd;

/**
 * Integers modulo the secp256k1 group order n (SEC 2 §2.4.1), as four little-endian 64-bit words.
 * Only what BIP32 needs: range checks and addition, both without data-dependent branches.
 */
public final class Scalar {

  /** n, little-endian 64-bit words. */
  static final long[] N = {
    0xBFD25E8CD0364141L, 0xBAAEDCE6AF48A03BL, 0xFFFFFFFFFFFFFFFEL, 0xFFFFFFFFFFFFFFFFL
  };

  private Scalar() {}

  /** Reads a 32-byte big-endian integer at b[off] into four little-endian words. */
  public static long[] fromBytes(byte[] b, int off) {
    return new long[] {
      Fe.be64(b, off + 24), Fe.be64(b, off + 16), Fe.be64(b, off + 8), Fe.be64(b, off)
    };
  }

  /** Writes four little-endian words as 32 big-endian bytes at out[off]. */
  public static void toBytes(long[] a, byte[] out, int off) {
    Fe.putBe64(out, off, a[3]);
    Fe.putBe64(out, off + 8, a[2]);
    Fe.putBe64(out, off + 16, a[1]);
    Fe.putBe64(out, off + 24, a[0]);
  }

  /** Returns 1 if a &lt; n, else 0 (constant time). */
  public static int isBelowOrder(long[] a) {
    // The borrow out of a - n is 1 exactly when a < n.
    return (int) subBorrow(a, N, new long[4]);
  }

  /** Returns 1 if a is zero, else 0 (constant time). */
  public static int isZero(long[] a) {
    long z = a[0] | a[1] | a[2] | a[3];
    return (int) (((z | -z) >>> 63) ^ 1);
  }

  /** Returns true if a is a valid private key, 0 &lt; a &lt; n (BIP32 "Serialization format"). */
  public static boolean isValidPrivate(long[] a) {
    return (isBelowOrder(a) & (isZero(a) ^ 1)) == 1;
  }

  /** r = (a + b) mod n for a, b &lt; n (constant time). */
  public static void addMod(long[] r, long[] a, long[] b) {
    long[] s = new long[4];
    long carry = 0;
    for (int i = 0; i < 4; i++) {
      long x = a[i];
      long y = b[i];
      long sum = x + y + carry;
      // Carry out of a full adder, from the top bits (Hacker's Delight §2-16).
      carry = ((x & y) | ((x | y) & ~sum)) >>> 63;
      s[i] = sum;
    }
    long[] t = new long[4];
    long borrow = subBorrow(s, N, t);
    // s ≥ n when the sum overflowed 2^256 or the subtraction did not borrow: then take s - n.
    long useT = -(carry | (borrow ^ 1));
    for (int i = 0; i < 4; i++) {
      r[i] = (t[i] & useT) | (s[i] & ~useT);
    }
  }

  /** r = n - a for 0 &lt; a &lt; n. */
  static void negate(long[] r, long[] a) {
    subBorrow(N, a, r);
  }

  /** r = a - b mod 2^256; returns the borrow (0 or 1). */
  static long subBorrow(long[] a, long[] b, long[] r) {
    long borrow = 0;
    for (int i = 0; i < 4; i++) {
      long x = a[i];
      long y = b[i];
      long d = x - y - borrow;
      // Borrow out of a full subtractor, from the top bits (Hacker's Delight §2-16).
      borrow = ((~x & y) | (~(x ^ y) & d)) >>> 63;
      r[i] = d;
    }
    return borrow;
  }
}
