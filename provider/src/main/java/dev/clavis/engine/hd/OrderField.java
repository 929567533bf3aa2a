package dev.clavis.engine.hd;

import java.math.BigInteger;

/**
 * Arithmetic modulo the secp256k1 group order n (SEC 2 §2.4.1) for ECDSA: Montgomery
 * multiplication (R = 2^256) on four little-endian 64-bit words, and constant-time inversion by
 * Bernstein–Yang safegcd ({@link SafeGcd}).
 *
 * <p>Every operation runs without branches or memory accesses that depend on the operands: the
 * only branches are on loop counters. Carries use the full-adder
 * formulas of Hacker's Delight §2-16, the unsigned high product {@link Math#multiplyHigh} with its
 * sign correction (an {@code imul} pair on x86-64), and the final subtraction of n is a masked
 * select. Outputs may alias inputs.
 */
public final class OrderField {

  private static final long[] N = Scalar.N;
  /** -n^-1 mod 2^64 (CIOS Montgomery reduction). */
  private static final long N_PRIME;
  /** R² mod n, to enter the Montgomery domain. */
  private static final long[] R2;

  static {
    // Newton's iteration x ← x(2 - n0·x) doubles the correct low bits of n0^-1 each step.
    long inv = 1;
    for (int i = 0; i < 7; i++) {
      inv *= 2 - N[0] * inv;
    }
    N_PRIME = -inv;
    BigInteger n = toBig(N);
    R2 = fromBig(BigInteger.ONE.shiftLeft(512).mod(n));
  }

  private OrderField() {}

  /** r = a·b·R^-1 mod n, for a, b &lt; n (Montgomery product, CIOS). */
  static void montMul(long[] r, long[] a, long[] b) {
    long t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
    long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    for (int i = 0; i < 4; i++) {
      long ai = a[i];
      // t += ai·b
      long lo, hi, s;
      lo = ai * b0; hi = mulHigh(ai, b0);
      s = t0 + lo; hi += carry(t0, lo, s); t0 = s;
      long c = hi;
      lo = ai * b1; hi = mulHigh(ai, b1);
      s = lo + c; hi += carry(lo, c, s); lo = s;
      s = t1 + lo; hi += carry(t1, lo, s); t1 = s; c = hi;
      lo = ai * b2; hi = mulHigh(ai, b2);
      s = lo + c; hi += carry(lo, c, s); lo = s;
      s = t2 + lo; hi += carry(t2, lo, s); t2 = s; c = hi;
      lo = ai * b3; hi = mulHigh(ai, b3);
      s = lo + c; hi += carry(lo, c, s); lo = s;
      s = t3 + lo; hi += carry(t3, lo, s); t3 = s; c = hi;
      s = t4 + c;
      long t5 = carry(t4, c, s);
      t4 = s;
      // t = (t + m·n) / 2^64 with m chosen so the low word vanishes
      long m = t0 * N_PRIME;
      lo = m * N[0]; hi = mulHigh(m, N[0]);
      s = t0 + lo; hi += carry(t0, lo, s); c = hi; // s == 0
      lo = m * N[1]; hi = mulHigh(m, N[1]);
      s = lo + c; hi += carry(lo, c, s); lo = s;
      s = t1 + lo; hi += carry(t1, lo, s); t0 = s; c = hi;
      lo = m * N[2]; hi = mulHigh(m, N[2]);
      s = lo + c; hi += carry(lo, c, s); lo = s;
      s = t2 + lo; hi += carry(t2, lo, s); t1 = s; c = hi;
      lo = m * N[3]; hi = mulHigh(m, N[3]);
      s = lo + c; hi += carry(lo, c, s); lo = s;
      s = t3 + lo; hi += carry(t3, lo, s); t2 = s; c = hi;
      s = t4 + c;
      t3 = s;
      t4 = t5 + carry(t4, c, s);
    }
    // t < 2n: subtract n unless that borrows (and t4 is 0)
    long d0 = t0 - N[0];
    long br = borrow(t0, N[0], d0);
    long x = t1 - N[1];
    long d1 = x - br;
    br = borrow(t1, N[1], x) | borrow(x, br, d1);
    x = t2 - N[2];
    long d2 = x - br;
    br = borrow(t2, N[2], x) | borrow(x, br, d2);
    x = t3 - N[3];
    long d3 = x - br;
    br = borrow(t3, N[3], x) | borrow(x, br, d3);
    long useD = -(t4 | (br ^ 1));
    r[0] = (d0 & useD) | (t0 & ~useD);
    r[1] = (d1 & useD) | (t1 & ~useD);
    r[2] = (d2 & useD) | (t2 & ~useD);
    r[3] = (d3 & useD) | (t3 & ~useD);
  }

  /** r = a·b mod n for a, b &lt; n (plain representation, two Montgomery products). */
  public static void mulMod(long[] r, long[] a, long[] b) {
    long[] t = new long[4];
    montMul(t, a, R2); // a·R
    montMul(r, t, b); // a·R·b·R^-1 = a·b
  }

  /**
   * r = a^-1 mod n for 0 &lt; a &lt; n (r = 0 for a = 0), in time independent of a: Bernstein–Yang
   * safegcd ({@link SafeGcd}), a fixed ten rounds of masked divsteps. r may be a.
   */
  public static void invert(long[] r, long[] a) {
    SafeGcd.ORDER.invert(r, a);
  }

  /**
   * r = a^-1 mod n for 0 &lt; a &lt; n, by multiplicative blinding: with a fresh uniform secret
   * 0 &lt; b &lt; n, a·b is uniform on [1, n-1] and independent of a, so the variable-time
   * {@link BigInteger#modInverse} of a·b tells nothing about a; r = b·(a·b)^-1. The products are
   * {@link #mulMod}'s. Kept for callers; {@link #invert} is now faster and needs no randomness;
   * b and a·b are wiped (the BigInteger copies cannot be, and hold only the blinded value).
   *
   * @param random the source of the blinding factor
   */
  public static void invertBlinded(long[] r, long[] a, java.security.SecureRandom random) {
    byte[] raw = new byte[32];
    long[] b = new long[4];
    long[] ab = new long[4];
    try {
      do {
        random.nextBytes(raw);
        b = Scalar.fromBytes(raw, 0);
      } while (!Scalar.isValidPrivate(b)); // rejection on a public-independent random value
      mulMod(ab, a, b);
      long[] inv = fromBig(toBig(ab).modInverse(toBig(N)));
      mulMod(r, b, inv);
    } finally {
      java.util.Arrays.fill(raw, (byte) 0);
      java.util.Arrays.fill(b, 0);
      java.util.Arrays.fill(ab, 0);
    }
  }

  /** r = (a + b) mod n for a, b &lt; n. */
  public static void add(long[] r, long[] a, long[] b) {
    Scalar.addMod(r, a, b);
  }

  /** r = a mod n for any 256-bit a (one conditional subtraction suffices: 2^256 &lt; 2n), constant time. */
  public static void reduce(long[] r, long[] a) {
    long[] t = new long[4];
    long borrow = Scalar.subBorrow(a, N, t);
    long keep = -borrow; // a < n: keep a
    for (int i = 0; i < 4; i++) {
      r[i] = (a[i] & keep) | (t[i] & ~keep);
    }
  }

  /** r = n - a for 0 &lt; a &lt; n. */
  public static void negate(long[] r, long[] a) {
    Scalar.negate(r, a);
  }

  /** Returns 1 if a &gt; (n-1)/2 ("high S", BIP 62/146), else 0, in constant time. */
  public static int isHigh(long[] a) {
    // a > h iff h - a borrows, with h = (n - 1) / 2
    long[] h = {(N[0] >>> 1) | (N[1] << 63), (N[1] >>> 1) | (N[2] << 63), (N[2] >>> 1) | (N[3] << 63), N[3] >>> 1};
    return (int) Scalar.subBorrow(h, a, new long[4]);
  }

  /** r = flag == 1 ? a : r, without a branch. */
  public static void cmov(long[] r, long[] a, int flag) {
    long m = -(long) flag;
    for (int i = 0; i < 4; i++) {
      r[i] = (a[i] & m) | (r[i] & ~m);
    }
  }

  /** The unsigned high word of x·y: the signed one corrected for the operands' sign bits. */
  private static long mulHigh(long x, long y) {
    return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
  }

  /** Carry out of s = x + y (Hacker's Delight §2-16). */
  private static long carry(long x, long y, long s) {
    return ((x & y) | ((x | y) & ~s)) >>> 63;
  }

  /** Borrow out of d = x - y (Hacker's Delight §2-16). */
  private static long borrow(long x, long y, long d) {
    return ((~x & y) | (~(x ^ y) & d)) >>> 63;
  }

  static BigInteger toBig(long[] a) {
    byte[] b = new byte[32];
    Scalar.toBytes(a, b, 0);
    return new BigInteger(1, b);
  }

  static long[] fromBig(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] b = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, b, 32 - n, n);
    return Scalar.fromBytes(b, 0);
  }
}
