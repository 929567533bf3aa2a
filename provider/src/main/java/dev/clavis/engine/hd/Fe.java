package dev.clavis.engine.hd;

/**
 * Arithmetic in the secp256k1 base field GF(p), p = 2^256 - 2^32 - 977 (SEC 2 §2.4.1), on five
 * 52-bit limbs held in a {@code long[5]}: value = n0 + n1·2^52 + n2·2^104 + n3·2^156 + n4·2^208.
 *
 * <p>The representation is redundant: any limb vector congruent to the element modulo p. Every
 * operation returns a <em>weakly normalized</em> vector (n0 &lt; 2^53, n1..n4 &lt; 2^52, so the
 * value is below 2^261) and accepts such vectors; {@link #normalize} gives the canonical value
 * below p. Products use {@link Math#multiplyHigh} (an {@code imul} pair on x86-64) and are reduced
 * with 2^260 ≡ 0x1000003D10 (mod p), the technique of libsecp256k1's {@code field_5x52}.
 *
 * <p>Every operation except {@link #sqrt}'s final check runs without data-dependent branches or
 * memory accesses (constant time). Output arrays may alias inputs.
 *
 * <p>Why this class is over 400 lines: it is the whole base field (multiplication, squaring,
 * reduction, inversion, square root, normalization) on one limb representation whose bounds every
 * operation relies on; the limb invariants must be read in one place, as in libsecp256k1's
 * {@code field_5x52}.
 */
public final class Fe {

  static final long M = 0xFFFFFFFFFFFFFL; // 2^52 - 1
  private static final long M48 = 0xFFFFFFFFFFFFL; // 2^48 - 1
  /** 2^260 mod p = 16 · (2^32 + 977). */
  static final long R = 0x1000003D10L;
  /** R · 2^12: multiplyHigh(c, R12) = floor(c·R / 2^52) for any c below 2^63 (the high half of a split product). */
  private static final long R12 = R << 12;
  /** 2^256 mod p. */
  static final long R256 = 0x1000003D1L;

  /** 64·p = 2^262 - 4·R in limbs that are each at least 2^53, so a + 64p - b stays positive. */
  private static final long Q0 = 4 * ((1L << 52) - R);
  private static final long Q1 = 4 * M;

  private Fe() {}

  /** Returns a new zero element. */
  public static long[] create() {
    return new long[5];
  }

  /**
   * r = a · b mod p.
   *
   * @param r the result (weakly normalized); may alias a or b
   * @param a limbs below 2^55
   * @param b limbs below 2^55
   */
  public static void mul(long[] r, long[] a, long[] b) {
    long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
    long b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4];
    // Column k is Σ x·y = L + H·2^52 with H = Σ floor(x·y / 2^52), each the top 64 bits of
    // (x·2^6)·(y·2^6) (limbs below 2^55 keep the shifted operands below 2^61), and L = Σ (x·y mod
    // 2^52) < 2^55. The wrapping sum of the low words x·y is L + 2^52·H mod 2^64, so L is that sum
    // minus H·2^52, once per column: one multiply per half-product, no mask or shift per product.
    long s0 = a0 << 6, s1 = a1 << 6, s2 = a2 << 6, s3 = a3 << 6, s4 = a4 << 6;
    long u0 = b0 << 6, u1 = b1 << 6, u2 = b2 << 6, u3 = b3 << 6, u4 = b4 << 6;
    long l, h;
    // column 0
    l = a0 * b0; h = Math.multiplyHigh(s0, u0);
    long l0 = l - (h << 52), h0 = h;
    // column 1
    l = a0 * b1; h = Math.multiplyHigh(s0, u1);
    l += a1 * b0; h += Math.multiplyHigh(s1, u0);
    long l1 = l - (h << 52), h1 = h;
    // column 2
    l = a0 * b2; h = Math.multiplyHigh(s0, u2);
    l += a1 * b1; h += Math.multiplyHigh(s1, u1);
    l += a2 * b0; h += Math.multiplyHigh(s2, u0);
    long l2 = l - (h << 52), h2 = h;
    // column 3
    l = a0 * b3; h = Math.multiplyHigh(s0, u3);
    l += a1 * b2; h += Math.multiplyHigh(s1, u2);
    l += a2 * b1; h += Math.multiplyHigh(s2, u1);
    l += a3 * b0; h += Math.multiplyHigh(s3, u0);
    long l3 = l - (h << 52), h3 = h;
    // column 4
    l = a0 * b4; h = Math.multiplyHigh(s0, u4);
    l += a1 * b3; h += Math.multiplyHigh(s1, u3);
    l += a2 * b2; h += Math.multiplyHigh(s2, u2);
    l += a3 * b1; h += Math.multiplyHigh(s3, u1);
    l += a4 * b0; h += Math.multiplyHigh(s4, u0);
    long l4 = l - (h << 52), h4 = h;
    // column 5
    l = a1 * b4; h = Math.multiplyHigh(s1, u4);
    l += a2 * b3; h += Math.multiplyHigh(s2, u3);
    l += a3 * b2; h += Math.multiplyHigh(s3, u2);
    l += a4 * b1; h += Math.multiplyHigh(s4, u1);
    long l5 = l - (h << 52), h5 = h;
    // column 6
    l = a2 * b4; h = Math.multiplyHigh(s2, u4);
    l += a3 * b3; h += Math.multiplyHigh(s3, u3);
    l += a4 * b2; h += Math.multiplyHigh(s4, u2);
    long l6 = l - (h << 52), h6 = h;
    // column 7
    l = a3 * b4; h = Math.multiplyHigh(s3, u4);
    l += a4 * b3; h += Math.multiplyHigh(s4, u3);
    long l7 = l - (h << 52), h7 = h;
    // column 8
    l = a4 * b4; h = Math.multiplyHigh(s4, u4);
    long l8 = l - (h << 52), h8 = h;
    reduce(r, l0, l1 + h0, l2 + h1, l3 + h2, l4 + h3, l5 + h4, l6 + h5, l7 + h6, l8 + h7, h8);
  }

  /**
   * r = a² mod p; cheaper than {@code mul(r, a, a)} (15 limb products instead of 25).
   *
   * @param r the result (weakly normalized); may alias a
   * @param a limbs below 2^55
   */
  public static void sqr(long[] r, long[] a) {
    long a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
    long t0 = a0 << 1, t1 = a1 << 1, t2 = a2 << 1, t3 = a3 << 1;
    // as in mul: the high halves from operands pre-shifted by 6 bits each (doubled ones below 2^62),
    // the low halves from the wrapping column sums
    long s0 = a0 << 6, s1 = a1 << 6, s2 = a2 << 6, s3 = a3 << 6, s4 = a4 << 6;
    long v0 = a0 << 7, v1 = a1 << 7, v2 = a2 << 7, v3 = a3 << 7;
    long l, h;
    // column 0
    l = a0 * a0; h = Math.multiplyHigh(s0, s0);
    long l0 = l - (h << 52), h0 = h;
    // column 1
    l = t0 * a1; h = Math.multiplyHigh(v0, s1);
    long l1 = l - (h << 52), h1 = h;
    // column 2
    l = t0 * a2; h = Math.multiplyHigh(v0, s2);
    l += a1 * a1; h += Math.multiplyHigh(s1, s1);
    long l2 = l - (h << 52), h2 = h;
    // column 3
    l = t0 * a3; h = Math.multiplyHigh(v0, s3);
    l += t1 * a2; h += Math.multiplyHigh(v1, s2);
    long l3 = l - (h << 52), h3 = h;
    // column 4
    l = t0 * a4; h = Math.multiplyHigh(v0, s4);
    l += t1 * a3; h += Math.multiplyHigh(v1, s3);
    l += a2 * a2; h += Math.multiplyHigh(s2, s2);
    long l4 = l - (h << 52), h4 = h;
    // column 5
    l = t1 * a4; h = Math.multiplyHigh(v1, s4);
    l += t2 * a3; h += Math.multiplyHigh(v2, s3);
    long l5 = l - (h << 52), h5 = h;
    // column 6
    l = t2 * a4; h = Math.multiplyHigh(v2, s4);
    l += a3 * a3; h += Math.multiplyHigh(s3, s3);
    long l6 = l - (h << 52), h6 = h;
    // column 7
    l = t3 * a4; h = Math.multiplyHigh(v3, s4);
    long l7 = l - (h << 52), h7 = h;
    // column 8
    l = a4 * a4; h = Math.multiplyHigh(s4, s4);
    long l8 = l - (h << 52), h8 = h;
    reduce(r, l0, l1 + h0, l2 + h1, l3 + h2, l4 + h3, l5 + h4, l6 + h5, l7 + h6, l8 + h7, h8);
  }

  /** r = a squared n times. */
  public static void sqrN(long[] r, long[] a, int n) {
    sqr(r, a);
    for (int i = 1; i < n; i++) {
      sqr(r, r);
    }
  }

  /**
   * Reduces Σ c_k·2^(52k), k = 0..9, each c_k below 2^62, to a weakly normalized vector.
   *
   * <p>Each upper column is folded down whole, c_(k+5)·2^(52(k+5)) ≡ c_(k+5)·R·2^(52k), without
   * first carrying it into 52-bit limbs: the product (below 2^99) splits into its low 52 bits
   * (weight k) and the rest, below 2^47 (weight k+1). Only the fold of c9's top (weight 2^260
   * again) waits for another product, so the only serial carry chain is {@link #carry}'s.
   */
  private static void reduce(
      long[] r, long c0, long c1, long c2, long c3, long c4, long c5, long c6, long c7, long c8, long c9) {
    long top = Math.multiplyHigh(c9, R12); // c9·R / 2^52, below 2^43: weight 2^260 ≡ R
    carry(r,
        c0 + ((c5 * R) & M) + ((top * R) & M),
        c1 + Math.multiplyHigh(c5, R12) + ((c6 * R) & M) + Math.multiplyHigh(top, R12),
        c2 + Math.multiplyHigh(c6, R12) + ((c7 * R) & M),
        c3 + Math.multiplyHigh(c7, R12) + ((c8 * R) & M),
        c4 + Math.multiplyHigh(c8, R12) + ((c9 * R) & M));
  }

  /**
   * Carries limbs below 2^62 into a weakly normalized vector; the carry out of limb 4 (weight
   * 2^260) folds into limb 0 as ·R.
   */
  private static void carry(long[] r, long c0, long c1, long c2, long c3, long c4) {
    long t = c0;
    long n0 = t & M;
    t = (t >>> 52) + c1;
    long n1 = t & M;
    t = (t >>> 52) + c2;
    long n2 = t & M;
    t = (t >>> 52) + c3;
    long n3 = t & M;
    t = (t >>> 52) + c4;
    r[4] = t & M;
    r[3] = n3;
    r[2] = n2;
    r[1] = n1;
    r[0] = n0 + (t >>> 52) * R;
  }

  /** r = a + b. */
  public static void add(long[] r, long[] a, long[] b) {
    carry(r, a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4]);
  }

  /**
   * r = a + b without carrying: limbs grow by one bit. Only for a result that goes straight into
   * {@link #mul} or {@link #sqr} (which accept limbs below 2^55).
   */
  public static void addLazy(long[] r, long[] a, long[] b) {
    r[0] = a[0] + b[0];
    r[1] = a[1] + b[1];
    r[2] = a[2] + b[2];
    r[3] = a[3] + b[3];
    r[4] = a[4] + b[4];
  }

  /**
   * r = a - b + 64p without carrying (limbs below 2^55 for weakly normalized a and b). Only for a
   * result that goes straight into {@link #mul} or {@link #sqr}.
   */
  public static void subLazy(long[] r, long[] a, long[] b) {
    r[0] = a[0] + Q0 - b[0];
    r[1] = a[1] + Q1 - b[1];
    r[2] = a[2] + Q1 - b[2];
    r[3] = a[3] + Q1 - b[3];
    r[4] = a[4] + Q1 - b[4];
  }

  /** r = a - b - c (computed as a + 128p - b - c), one carry pass for two subtractions. */
  public static void sub2(long[] r, long[] a, long[] b, long[] c) {
    carry(r,
        a[0] + 2 * Q0 - b[0] - c[0],
        a[1] + 2 * Q1 - b[1] - c[1],
        a[2] + 2 * Q1 - b[2] - c[2],
        a[3] + 2 * Q1 - b[3] - c[3],
        a[4] + 2 * Q1 - b[4] - c[4]);
  }

  /** r = a - b - c - d (computed as a + 256p - b - c - d), one carry pass for three subtractions. */
  public static void sub3(long[] r, long[] a, long[] b, long[] c, long[] d) {
    carry(r,
        a[0] + 4 * Q0 - b[0] - c[0] - d[0],
        a[1] + 4 * Q1 - b[1] - c[1] - d[1],
        a[2] + 4 * Q1 - b[2] - c[2] - d[2],
        a[3] + 4 * Q1 - b[3] - c[3] - d[3],
        a[4] + 4 * Q1 - b[4] - c[4] - d[4]);
  }

  /** r = a - b (computed as a + 64p - b). */
  public static void sub(long[] r, long[] a, long[] b) {
    carry(r, a[0] + Q0 - b[0], a[1] + Q1 - b[1], a[2] + Q1 - b[2], a[3] + Q1 - b[3], a[4] + Q1 - b[4]);
  }

  /** r = -a. */
  public static void neg(long[] r, long[] a) {
    carry(r, Q0 - a[0], Q1 - a[1], Q1 - a[2], Q1 - a[3], Q1 - a[4]);
  }

  /**
   * r = a · 2^n without carrying, for a weakly normalized a and n ≤ 2: limbs stay below 2^55. Only
   * for a result that goes straight into {@link #mul} or {@link #sqr}.
   */
  public static void shiftLazy(long[] r, long[] a, int n) {
    r[0] = a[0] << n;
    r[1] = a[1] << n;
    r[2] = a[2] << n;
    r[3] = a[3] << n;
    r[4] = a[4] << n;
  }

  /** r = a · k for a small constant 0 ≤ k &lt; 2^9. */
  public static void mulSmall(long[] r, long[] a, int k) {
    carry(r, a[0] * k, a[1] * k, a[2] * k, a[3] * k, a[4] * k);
  }

  /** r = a. */
  public static void copy(long[] r, long[] a) {
    System.arraycopy(a, 0, r, 0, 5);
  }

  /** r = the small integer v. */
  public static void set(long[] r, int v) {
    r[0] = v;
    r[1] = 0;
    r[2] = 0;
    r[3] = 0;
    r[4] = 0;
  }

  /** r = flag == 1 ? a : r, without a branch. */
  public static void cmov(long[] r, long[] a, int flag) {
    long mask = -(long) flag;
    for (int i = 0; i < 5; i++) {
      r[i] ^= (r[i] ^ a[i]) & mask;
    }
  }

  /** Reduces r in place to its canonical value in [0, p). */
  public static void normalize(long[] r) {
    long n0 = r[0];
    long n1 = r[1];
    long n2 = r[2];
    long n3 = r[3];
    long n4 = r[4];
    // Two rounds of folding the bits above 2^256 (2^256 ≡ R256) leave a value below 2^256.
    for (int round = 0; round < 2; round++) {
      n1 += n0 >>> 52;
      n0 &= M;
      n2 += n1 >>> 52;
      n1 &= M;
      n3 += n2 >>> 52;
      n2 &= M;
      n4 += n3 >>> 52;
      n3 &= M;
      n0 += (n4 >>> 48) * R256;
      n4 &= M48;
    }
    n1 += n0 >>> 52;
    n0 &= M;
    n2 += n1 >>> 52;
    n1 &= M;
    n3 += n2 >>> 52;
    n2 &= M;
    n4 += n3 >>> 52;
    n3 &= M;
    // If v ≥ p then v + R256 reaches 2^256, and v - p is that sum mod 2^256.
    long u0 = n0 + R256;
    long u1 = n1 + (u0 >>> 52);
    u0 &= M;
    long u2 = n2 + (u1 >>> 52);
    u1 &= M;
    long u3 = n3 + (u2 >>> 52);
    u2 &= M;
    long u4 = n4 + (u3 >>> 52);
    u3 &= M;
    long mask = -(u4 >>> 48);
    u4 &= M48;
    r[0] = (u0 & mask) | (n0 & ~mask);
    r[1] = (u1 & mask) | (n1 & ~mask);
    r[2] = (u2 & mask) | (n2 & ~mask);
    r[3] = (u3 & mask) | (n3 & ~mask);
    r[4] = (u4 & mask) | (n4 & ~mask);
  }

  /** Returns 1 if a ≡ 0 (mod p), else 0, in constant time. */
  public static int isZero(long[] a) {
    long[] t = a.clone();
    normalize(t);
    long z = t[0] | t[1] | t[2] | t[3] | t[4];
    return (int) (((z | -z) >>> 63) ^ 1);
  }

  /** Returns the parity (lowest bit) of the canonical value of a. */
  public static int isOdd(long[] a) {
    long[] t = a.clone();
    normalize(t);
    return (int) (t[0] & 1);
  }

  /**
   * r = a^((p+1)/4), the square root when one exists (p ≡ 3 mod 4), with libsecp256k1's addition
   * chain (253 squarings, 13 multiplications).
   *
   * @return true if a is a quadratic residue, i.e. r² = a
   */
  public static boolean sqrt(long[] r, long[] a) {
    long[] x2 = create();
    long[] x3 = create();
    long[] x6 = create();
    long[] x22 = create();
    long[] t = create();
    chain(a, x2, x3, x6, x22, t);
    sqrN(t, t, 23);
    mul(t, t, x22);
    sqrN(t, t, 6);
    mul(t, t, x2);
    sqrN(t, t, 2);
    long[] check = create();
    sqr(check, t);
    sub(check, check, a);
    copy(r, t);
    return isZero(check) == 1;
  }

  /**
   * r = a^-1, or 0 when a ≡ 0, in constant time: Bernstein–Yang safegcd ({@link SafeGcd}) on the
   * canonical value, a fixed ten rounds of masked divsteps (about a tenth of the cost of Fermat's
   * a^(p-2), 255 squarings and 15 multiplications). r may be a.
   */
  public static void invert(long[] r, long[] a) {
    long[] t = a.clone();
    normalize(t);
    long[] w = {
      t[0] | (t[1] << 52), (t[1] >>> 12) | (t[2] << 40), (t[2] >>> 24) | (t[3] << 28), (t[3] >>> 36) | (t[4] << 16)
    };
    SafeGcd.FIELD.invert(w, w);
    r[0] = w[0] & M;
    r[1] = ((w[0] >>> 52) | (w[1] << 12)) & M;
    r[2] = ((w[1] >>> 40) | (w[2] << 24)) & M;
    r[3] = ((w[2] >>> 28) | (w[3] << 36)) & M;
    r[4] = w[3] >>> 16;
    java.util.Arrays.fill(t, 0);
    java.util.Arrays.fill(w, 0);
  }

  /** The head of libsecp256k1's square-root addition chain: sets t = a^(2^223 - 1). */
  private static void chain(long[] a, long[] x2, long[] x3, long[] x6, long[] x22, long[] t) {
    sqr(x2, a);
    mul(x2, x2, a); // 2^2 - 1
    sqr(x3, x2);
    mul(x3, x3, a); // 2^3 - 1
    sqrN(x6, x3, 3);
    mul(x6, x6, x3); // 2^6 - 1
    long[] x9 = create();
    sqrN(x9, x6, 3);
    mul(x9, x9, x3); // 2^9 - 1
    long[] x11 = create();
    sqrN(x11, x9, 2);
    mul(x11, x11, x2); // 2^11 - 1
    sqrN(x22, x11, 11);
    mul(x22, x22, x11); // 2^22 - 1
    long[] x44 = create();
    sqrN(x44, x22, 22);
    mul(x44, x44, x22); // 2^44 - 1
    long[] x88 = create();
    sqrN(x88, x44, 44);
    mul(x88, x88, x44); // 2^88 - 1
    sqrN(t, x88, 88);
    mul(t, t, x88); // 2^176 - 1
    sqrN(t, t, 44);
    mul(t, t, x44); // 2^220 - 1
    sqrN(t, t, 3);
    mul(t, t, x3); // 2^223 - 1
  }

  /** r = the 32-byte big-endian integer at b[off] (not reduced; any 256-bit value is accepted). */
  public static void fromBytes(long[] r, byte[] b, int off) {
    long w3 = be64(b, off);
    long w2 = be64(b, off + 8);
    long w1 = be64(b, off + 16);
    long w0 = be64(b, off + 24);
    r[0] = w0 & M;
    r[1] = ((w0 >>> 52) | (w1 << 12)) & M;
    r[2] = ((w1 >>> 40) | (w2 << 24)) & M;
    r[3] = ((w2 >>> 28) | (w3 << 36)) & M;
    r[4] = w3 >>> 16;
  }

  /** Writes the canonical value of a as 32 big-endian bytes at out[off]. */
  public static void toBytes(byte[] out, int off, long[] a) {
    long[] t = a.clone();
    normalize(t);
    long w0 = t[0] | (t[1] << 52);
    long w1 = (t[1] >>> 12) | (t[2] << 40);
    long w2 = (t[2] >>> 24) | (t[3] << 28);
    long w3 = (t[3] >>> 36) | (t[4] << 16);
    putBe64(out, off, w3);
    putBe64(out, off + 8, w2);
    putBe64(out, off + 16, w1);
    putBe64(out, off + 24, w0);
  }

  /** Returns true if the 32-byte big-endian integer at b[off] is below p. */
  public static boolean isCanonical(byte[] b, int off) {
    long[] t = create();
    fromBytes(t, b, off);
    long[] n = t.clone();
    normalize(n);
    for (int i = 0; i < 5; i++) {
      if (n[i] != t[i]) {
        return false;
      }
    }
    return true;
  }

  static long be64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  static void putBe64(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
