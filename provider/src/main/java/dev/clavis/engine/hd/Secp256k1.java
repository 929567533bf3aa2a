package dev.clavis.engine.hd;

import java.math.BigInteger;

/**
 * secp256k1 group operations for BIP32 (SEC 2 §2.4.1: y² = x³ + 7 over GF(p)).
 *
 * <p>Results are kept in homogeneous projective coordinates (X:Y:Z), x = X/Z, y = Y/Z, and added
 * with the complete formulas of Renes, Costello and Batina, "Complete addition formulas for prime
 * order elliptic curves" (EUROCRYPT 2016), Algorithms 7 and 8 for a = 0: no exceptional cases, no
 * branches, the identity is (0:1:0). Inside a multiplication, where the exceptional cases are
 * provably absent, the cheaper Jacobian mixed addition is used.
 *
 * <p>Multiplication of the generator G uses a fixed-base windowed table: the scalar k is recoded
 * into {@value #WINDOWS} signed odd digits d_i of {@value #W} bits (Joye–Tunstall regular
 * recoding, so no digit is zero), k = Σ d_i·2^(W·i), and the table holds the odd multiples
 * 1, 3, …, 2^W - 1 of 2^(W·i)·G for every window i. A multiplication is then {@value #WINDOWS}
 * mixed additions and no doublings: Jacobian "madd" (7M + 4S), which is exact for every window
 * but the last (see {@link #mulG}), and the complete formula for the last. For secret scalars
 * every entry of a window is read and the wanted one selected with masks, and the final inversion
 * is safegcd on the constant-time field code ({@link Fe#invert}, {@link SafeGcd}); for public scalars
 * ({@link #mulGVar}) the entry is indexed and the inversion is the JDK's variable-time
 * {@link BigInteger#modInverse}; BIP32 CKDpub's {@link #tweakAddVar} is {@link PublicTweak}'s
 * (10-bit windows, a table of its own).
 * Even scalars are handled as n - k with the result negated, so the recoding always sees an odd k.
 *
 * <p>Why this class is over 400 lines: the group law, the fixed-base table and its recoding, and the
 * constant-time and variable-time multiplications are one construction whose correctness arguments
 * refer to each other (the exceptional cases excluded by the recoding, the last window's complete
 * formula); split, a reader would lose that reasoning. The field is {@link Fe}'s.
 */
public final class Secp256k1 {

  /** Window width in bits. */
  static final int W = 6;
  /** Number of signed digits: floor(256 / W) + 1, enough for any k below 2^256. */
  static final int WINDOWS = 256 / W + 1;
  /** Odd multiples per window: 1, 3, …, 2^W - 1. */
  static final int ENTRIES = 1 << (W - 1);
  private static final int B3 = 21; // 3·b with b = 7

  /** Generator G (SEC 2 §2.4.1), affine. */
  static final byte[] GX_BYTES = hex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798");
  static final byte[] GY_BYTES = hex("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8");

  /** p, for the variable-time inversion of public values. */
  private static final BigInteger P = new BigInteger(1, hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F"));

  /** [window][entry][x as 4 words, y as 4 words], canonical affine coordinates, packed. */
  private static final long[] TABLE = buildTable();

  private Secp256k1() {}

  /** A point in homogeneous projective coordinates. */
  static final class Point {
    final long[] x = Fe.create();
    final long[] y = Fe.create();
    final long[] z = Fe.create();

    void set(Point o) {
      Fe.copy(x, o.x);
      Fe.copy(y, o.y);
      Fe.copy(z, o.z);
    }

    void wipe() {
      java.util.Arrays.fill(x, 0);
      java.util.Arrays.fill(y, 0);
      java.util.Arrays.fill(z, 0);
    }
  }

  /**
   * p = p + (x2, y2) in Jacobian coordinates (x = X/Z², y = Y/Z³) with an affine (x2, y2):
   * "madd-2007-bl" of the Explicit-Formulas Database, 7M + 4S. Not complete: the
   * caller guarantees p ≠ ±(x2, y2) and p ≠ identity (see {@link #mulG}).
   */
  private static void addJacobianMixed(Point p, long[] x2, long[] y2, Tmp s) {
    long[] z1z1 = s.t0;
    long[] u2 = s.t1;
    long[] s2 = s.t2;
    long[] h = s.t3;
    long[] r = s.t4;
    long[] hh = s.x3;
    long[] j = s.y3;
    long[] v = s.z3;
    long[] hh4 = s.t5;
    Fe.sqr(z1z1, p.z);
    Fe.mul(u2, x2, z1z1);
    Fe.mul(s2, p.z, z1z1);
    Fe.mul(s2, s2, y2);
    // Lazy results (limbs below 2^55) feed only multiplications; each carried result is weakly
    // normalized, as the subtractions require of what they subtract.
    Fe.subLazy(h, u2, p.x); // H = U2 - X1
    Fe.sub(r, s2, p.y);
    Fe.shiftLazy(r, r, 1); // r = 2·(S2 - Y1), limbs below 2^54: only multiplied
    Fe.sqr(hh4, h); // H²
    Fe.shiftLazy(hh, hh4, 2); // I = 4·H², limbs below 2^55: only multiplied
    Fe.mul(j, h, hh); // J = H·I
    Fe.mul(v, p.x, hh); // V = X1·I
    Fe.addLazy(p.z, p.z, h);
    Fe.sqr(p.z, p.z);
    Fe.sub2(p.z, p.z, z1z1, hh4); // Z3 = (Z1 + H)² - Z1² - H²
    Fe.mul(u2, p.y, j); // Y1·J
    Fe.sqr(p.x, r);
    Fe.sub3(p.x, p.x, j, v, v); // X3 = r² - J - 2V
    Fe.subLazy(v, v, p.x);
    Fe.mul(p.y, r, v);
    Fe.sub2(p.y, p.y, u2, u2); // Y3 = r·(V - X3) - 2·Y1·J
  }

  /** Converts Jacobian (X, Y, Z) to homogeneous projective (X·Z, Y, Z³), the same point. */
  private static void jacobianToProjective(Point p, Tmp s) {
    Fe.mul(p.x, p.x, p.z);
    Fe.sqr(s.t0, p.z);
    Fe.mul(p.z, p.z, s.t0);
  }

  /** Scratch field elements for the addition formulas. */
  private static final class Tmp {
    final long[] t0 = Fe.create();
    final long[] t1 = Fe.create();
    final long[] t2 = Fe.create();
    final long[] t3 = Fe.create();
    final long[] t4 = Fe.create();
    final long[] t5 = Fe.create();
    final long[] x3 = Fe.create();
    final long[] y3 = Fe.create();
    final long[] z3 = Fe.create();

    void wipe() { // no array of the nine: nothing allocated per signature to wipe it
      java.util.Arrays.fill(t0, 0);
      java.util.Arrays.fill(t1, 0);
      java.util.Arrays.fill(t2, 0);
      java.util.Arrays.fill(t3, 0);
      java.util.Arrays.fill(t4, 0);
      java.util.Arrays.fill(t5, 0);
      java.util.Arrays.fill(x3, 0);
      java.util.Arrays.fill(y3, 0);
      java.util.Arrays.fill(z3, 0);
    }
  }

  /**
   * p = p + (x2, y2) with (x2, y2) an affine point (never the identity): RCB Algorithm 8, 11
   * multiplications.
   */
  private static void addMixed(Point p, long[] x2, long[] y2, Tmp s) {
    long[] t0 = s.t0;
    long[] t1 = s.t1;
    long[] t2 = s.t2;
    long[] t3 = s.t3;
    long[] t4 = s.t4;
    long[] x3 = s.x3;
    long[] y3 = s.y3;
    long[] z3 = s.z3;
    Fe.mul(t0, p.x, x2);
    Fe.mul(t1, p.y, y2);
    Fe.addLazy(t3, x2, y2);
    Fe.addLazy(t4, p.x, p.y);
    Fe.mul(t3, t3, t4);
    Fe.add(t4, t0, t1);
    Fe.sub(t3, t3, t4); // X1·Y2 + X2·Y1
    Fe.mul(t4, y2, p.z);
    Fe.add(t4, t4, p.y); // Y1 + Y2·Z1
    Fe.mul(y3, x2, p.z);
    Fe.add(y3, y3, p.x); // X1 + X2·Z1
    Fe.add(x3, t0, t0);
    Fe.add(t0, x3, t0); // 3·X1·X2
    Fe.mulSmall(t2, p.z, B3);
    Fe.add(z3, t1, t2);
    Fe.sub(t1, t1, t2);
    Fe.mulSmall(y3, y3, B3);
    Fe.mul(x3, t4, y3);
    Fe.mul(t2, t3, t1);
    Fe.sub(p.x, t2, x3);
    Fe.mul(y3, y3, t0);
    Fe.mul(t1, t1, z3);
    Fe.add(p.y, t1, y3);
    Fe.mul(t0, t0, t3);
    Fe.mul(z3, z3, t4);
    Fe.add(p.z, z3, t0);
  }

  /** p = p + q for projective points: RCB Algorithm 7, 12 multiplications; also doubles (q == p allowed). */
  private static void add(Point p, Point q, Tmp s) {
    long[] t0 = s.t0;
    long[] t1 = s.t1;
    long[] t2 = s.t2;
    long[] t3 = s.t3;
    long[] t4 = s.t4;
    long[] x3 = s.x3;
    long[] y3 = s.y3;
    long[] z3 = s.z3;
    Fe.mul(t0, p.x, q.x);
    Fe.mul(t1, p.y, q.y);
    Fe.mul(t2, p.z, q.z);
    Fe.add(t3, p.x, p.y);
    Fe.add(t4, q.x, q.y);
    Fe.mul(t3, t3, t4);
    Fe.add(t4, t0, t1);
    Fe.sub(t3, t3, t4); // X1·Y2 + X2·Y1
    Fe.add(t4, p.y, p.z);
    Fe.add(x3, q.y, q.z);
    Fe.mul(t4, t4, x3);
    Fe.add(x3, t1, t2);
    Fe.sub(t4, t4, x3); // Y1·Z2 + Y2·Z1
    Fe.add(x3, p.x, p.z);
    Fe.add(y3, q.x, q.z);
    Fe.mul(x3, x3, y3);
    Fe.add(y3, t0, t2);
    Fe.sub(y3, x3, y3); // X1·Z2 + X2·Z1
    Fe.add(x3, t0, t0);
    Fe.add(t0, x3, t0); // 3·X1·X2
    Fe.mulSmall(t2, t2, B3);
    Fe.add(z3, t1, t2);
    Fe.sub(t1, t1, t2);
    Fe.mulSmall(y3, y3, B3);
    Fe.mul(x3, t4, y3);
    Fe.mul(t2, t3, t1);
    Fe.sub(x3, t2, x3);
    Fe.mul(y3, y3, t0);
    Fe.mul(t1, t1, z3);
    Fe.add(y3, t1, y3);
    Fe.mul(t0, t0, t3);
    Fe.mul(z3, z3, t4);
    Fe.add(z3, z3, t0);
    Fe.copy(p.x, x3);
    Fe.copy(p.y, y3);
    Fe.copy(p.z, z3);
  }

  /**
   * Sets out = (affine x, affine y) of p, canonical. Returns false (and leaves out untouched) if p is
   * the identity.
   */
  private static boolean toAffine(Point p, long[] outX, long[] outY, boolean secret) {
    long[] zi = Fe.create();
    if (!invert(zi, p.z, secret)) {
      return false;
    }
    Fe.mul(outX, p.x, zi);
    Fe.mul(outY, p.y, zi);
    java.util.Arrays.fill(zi, 0);
    Fe.normalize(outX);
    Fe.normalize(outY);
    return true;
  }

  /**
   * r = a^-1 mod p; false (r = 0) if a ≡ 0. When secret, {@link Fe#invert} (safegcd), whose
   * time does not depend on a; otherwise {@link BigInteger#modInverse}, faster and variable time.
   */
  static boolean invert(long[] r, long[] a, boolean secret) {
    if (secret) {
      Fe.invert(r, a);
      // a ≡ 0 iff a^(p-2) ≡ 0; checking the result does not depend on a otherwise.
      return Fe.isZero(r) == 0;
    }
    byte[] b = new byte[32];
    Fe.toBytes(b, 0, a);
    BigInteger v = new BigInteger(1, b);
    if (v.signum() == 0) {
      Fe.set(r, 0);
      return false;
    }
    byte[] inv = v.modInverse(P).toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(inv.length, 32);
    System.arraycopy(inv, inv.length - n, out, 32 - n, n);
    Fe.fromBytes(r, out, 0);
    return true;
  }

  /**
   * Computes k·G into p (homogeneous projective). k must satisfy 0 &lt; k &lt; n (the caller checks).
   *
   * @param secret true to read every table entry and select with masks (constant time)
   */
  static void mulG(Point p, long[] k, boolean secret, Tmp s) {
    // Work with an odd scalar: k' = k if k is odd, else n - k (n is odd), negating the result.
    long[] nk = new long[4];
    Scalar.negate(nk, k);
    long even = (k[0] & 1) ^ 1;
    long mask = -even;
    long[] e = new long[4];
    for (int i = 0; i < 4; i++) {
      e[i] = (nk[i] & mask) | (k[i] & ~mask);
    }
    long[] ex = Fe.create();
    long[] ey = Fe.create();
    long[] ny = Fe.create();
    int digitMask = (1 << (W + 1)) - 1;
    for (int i = 0; i < WINDOWS; i++) {
      // Joye–Tunstall: d = (e mod 2^(W+1)) - 2^W is odd; e ← (e - d) / 2^W = (e >> W) | 1.
      int d;
      if (i < WINDOWS - 1) {
        d = ((int) e[0] & digitMask) - (1 << W);
        e[0] = (e[0] >>> W) | (e[1] << (64 - W));
        e[1] = (e[1] >>> W) | (e[2] << (64 - W));
        e[2] = (e[2] >>> W) | (e[3] << (64 - W));
        e[3] = e[3] >>> W;
        e[0] |= 1;
      } else {
        d = (int) e[0]; // the last digit is the (odd, positive) remainder
      }
      int sign = d >> 31;
      int abs = (d ^ sign) - sign;
      int idx = abs >>> 1;
      if (secret) {
        lookup(i, idx, ex, ey);
      } else {
        lookupVar(i, idx, ex, ey);
      }
      Fe.neg(ny, ey);
      Fe.cmov(ey, ny, -sign);
      if (i == 0) {
        Fe.copy(p.x, ex);
        Fe.copy(p.y, ey);
        Fe.set(p.z, 1);
      } else if (i < WINDOWS - 1) {
        // The partial sum P = Σ_(j<i) d_j·2^(Wj) is odd (so not 0) and |P| < 2^(Wi) ≤ |d_i|·2^(Wi),
        // while |P ± d_i·2^(Wi)| < 2^(W(i+1)) ≤ 2^252 < n: P·G is never ±(d_i·2^(Wi))·G nor the
        // identity, so the incomplete Jacobian formula is exact here.
        addJacobianMixed(p, ex, ey, s);
      } else {
        // The top window may reach n, so the last addition uses the complete formula.
        jacobianToProjective(p, s);
        addMixed(p, ex, ey, s);
      }
    }
    Fe.neg(ny, p.y);
    Fe.cmov(p.y, ny, (int) even);
    // n - k and the recoded k are the secret itself; the last entry read names its last digit
    java.util.Arrays.fill(nk, 0);
    java.util.Arrays.fill(e, 0);
    java.util.Arrays.fill(ex, 0);
    java.util.Arrays.fill(ey, 0);
    java.util.Arrays.fill(ny, 0);
  }

  /**
   * Reads entry idx of window w, touching every entry of the window: each output word is the OR
   * of all entries' words ANDed with a mask that is all ones only at idx. Entries are stored packed
   * (x and y as four 64-bit words each, 20% fewer loads than 52-bit limbs) and unpacked after the
   * selection.
   */
  private static void lookup(int w, int idx, long[] ex, long[] ey) {
    long x0 = 0, x1 = 0, x2 = 0, x3 = 0, y0 = 0, y1 = 0, y2 = 0, y3 = 0;
    long[] t = TABLE;
    // two entries a step: twice the independent loads between the loop's own instructions
    for (int j = 0, off = w * ENTRIES * 8; j < ENTRIES; j += 2, off += 16) {
      long m = ((long) (j ^ idx) - 1) >> 63; // -1 when j == idx, else 0
      long n = ((long) ((j + 1) ^ idx) - 1) >> 63;
      x0 |= (t[off] & m) | (t[off + 8] & n);
      x1 |= (t[off + 1] & m) | (t[off + 9] & n);
      x2 |= (t[off + 2] & m) | (t[off + 10] & n);
      x3 |= (t[off + 3] & m) | (t[off + 11] & n);
      y0 |= (t[off + 4] & m) | (t[off + 12] & n);
      y1 |= (t[off + 5] & m) | (t[off + 13] & n);
      y2 |= (t[off + 6] & m) | (t[off + 14] & n);
      y3 |= (t[off + 7] & m) | (t[off + 15] & n);
    }
    unpack(ex, x0, x1, x2, x3);
    unpack(ey, y0, y1, y2, y3);
  }

  /** Reads entry idx of window w directly (public scalars only). */
  private static void lookupVar(int w, int idx, long[] ex, long[] ey) {
    int off = (w * ENTRIES + idx) * 8;
    long[] t = TABLE;
    unpack(ex, t[off], t[off + 1], t[off + 2], t[off + 3]);
    unpack(ey, t[off + 4], t[off + 5], t[off + 6], t[off + 7]);
  }

  /** Four little-endian 64-bit words to five 52-bit limbs. */
  private static void unpack(long[] r, long w0, long w1, long w2, long w3) {
    r[0] = w0 & Fe.M;
    r[1] = ((w0 >>> 52) | (w1 << 12)) & Fe.M;
    r[2] = ((w1 >>> 40) | (w2 << 24)) & Fe.M;
    r[3] = ((w2 >>> 28) | (w3 << 36)) & Fe.M;
    r[4] = w3 >>> 16;
  }

  /** Five canonical 52-bit limbs to four little-endian 64-bit words at r[off]. */
  private static void pack(long[] r, int off, long[] t) {
    r[off] = t[0] | (t[1] << 52);
    r[off + 1] = (t[1] >>> 12) | (t[2] << 40);
    r[off + 2] = (t[2] >>> 24) | (t[3] << 28);
    r[off + 3] = (t[3] >>> 36) | (t[4] << 16);
  }

  /**
   * The SEC1 compressed public key (33 bytes) of the private key k, 0 &lt; k &lt; n, in constant
   * time.
   */
  public static byte[] publicKey(long[] k) {
    return publicKey(k, Fe.create(), Fe.create());
  }

  /**
   * As {@link #publicKey(long[])}, also returning the affine coordinates.
   *
   * @param x receives the canonical affine x
   * @param y receives the canonical affine y
   */
  public static byte[] publicKey(long[] k, long[] x, long[] y) {
    Point p = new Point();
    Tmp s = new Tmp();
    try {
      mulG(p, k, true, s);
      toAffine(p, x, y, true); // never the identity for 0 < k < n
      return compress(x, y);
    } finally {
      p.wipe(); // the partial sums of a secret multiple of G (the first is one of 64 points)
      s.wipe();
    }
  }

  /**
   * BIP32 CKDpub's point step: returns compress(t·G + K), or null when that is the point at
   * infinity (the caller then skips the index). t is public (derived from the xpub), so this is
   * variable time.
   *
   * @param t the tweak, 0 &lt; t &lt; n
   * @param kx affine x of K, canonical
   * @param ky affine y of K, canonical
   * @param x receives the canonical affine x of the result
   * @param y receives the canonical affine y of the result
   */
  public static byte[] tweakAddVar(long[] t, long[] kx, long[] ky, long[] x, long[] y) {
    return PublicTweak.tweakAdd(t, kx, ky, x, y); // its own wider table; see there why it may be variable time
  }

  /**
   * {@link #tweakAddVar} for many public tweaks of one K at once ({@link PublicTweak#tweakAddBatch}):
   * each result is compress(t·G + K), or null for the point at infinity.
   */
  public static byte[][] tweakAddVarBatch(long[][] ts, long[] kx, long[] ky, long[][] xs, long[][] ys) {
    return PublicTweak.tweakAddBatch(ts, kx, ky, xs, ys);
  }

  /** The compressed k·G for a public scalar, 0 &lt; k &lt; n, in variable time (no masked table scan). */
  public static byte[] mulGVar(long[] k) {
    Point p = new Point();
    mulG(p, k, false, new Tmp());
    long[] x = Fe.create();
    long[] y = Fe.create();
    toAffine(p, x, y, false);
    return compress(x, y);
  }

  /** SEC1 §2.3.3 compressed encoding: 02 or 03 by the parity of y, then x. */
  public static byte[] compress(long[] x, long[] y) {
    byte[] out = new byte[33];
    out[0] = (byte) (2 | Fe.isOdd(y));
    Fe.toBytes(out, 1, x);
    return out;
  }

  /**
   * SEC1 §2.3.4 decompression of a 33-byte compressed point.
   *
   * @param enc the encoding (02 or 03, then x)
   * @param outX receives x
   * @param outY receives y
   * @return null on success, else the defect (for an error message)
   */
  public static String decompress(byte[] enc, long[] outX, long[] outY) {
    if (enc.length != 33) {
      return "public key is " + enc.length + " bytes, not 33";
    }
    if (enc[0] != 2 && enc[0] != 3) {
      return String.format("invalid public key prefix %02x (expected 02 or 03)", enc[0] & 0xFF);
    }
    if (!Fe.isCanonical(enc, 1)) {
      return "public key x coordinate is not below the field prime";
    }
    long[] x = Fe.create();
    Fe.fromBytes(x, enc, 1);
    long[] rhs = Fe.create();
    Fe.sqr(rhs, x);
    Fe.mul(rhs, rhs, x);
    long[] seven = Fe.create();
    Fe.set(seven, 7);
    Fe.add(rhs, rhs, seven);
    long[] y = Fe.create();
    if (!Fe.sqrt(y, rhs)) {
      return "public key is not on the secp256k1 curve";
    }
    Fe.normalize(y);
    if ((y[0] & 1) != (enc[0] & 1)) {
      Fe.neg(y, y);
      Fe.normalize(y);
    }
    Fe.normalize(x);
    Fe.copy(outX, x);
    Fe.copy(outY, y);
    return null;
  }

  private static long[] buildTable() {
    long[] table = new long[WINDOWS * ENTRIES * 8];
    Tmp s = new Tmp();
    Point base = new Point();
    Fe.fromBytes(base.x, GX_BYTES, 0);
    Fe.fromBytes(base.y, GY_BYTES, 0);
    Fe.set(base.z, 1);
    Point twice = new Point();
    Point cur = new Point();
    long[] ax = Fe.create();
    long[] ay = Fe.create();
    for (int i = 0; i < WINDOWS; i++) {
      twice.set(base);
      add(twice, twice, s); // 2·B_i
      cur.set(base);
      for (int j = 0; j < ENTRIES; j++) {
        toAffine(cur, ax, ay, true); // safegcd: faster than BigInteger here
        pack(table, (i * ENTRIES + j) * 8, ax);
        pack(table, (i * ENTRIES + j) * 8 + 4, ay);
        add(cur, twice, s); // next odd multiple
      }
      for (int j = 0; j < W; j++) {
        add(base, base, s); // B_(i+1) = 2^W·B_i
      }
    }
    return table;
  }

  private static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
