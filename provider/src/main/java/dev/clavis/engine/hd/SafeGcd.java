package dev.clavis.engine.hd;

import java.math.BigInteger;

/**
 * Constant-time modular inversion by Bernstein–Yang "safegcd" (Fast constant-time gcd computation
 * and modular inversion, 2019), a port of libsecp256k1's {@code secp256k1_modinv64} (Peter
 * Dettman, MIT licence; {@code src/modinv64_impl.h}, {@code doc/safegcd_implementation.md}).
 *
 * <p>Numbers are five signed 62-bit limbs. Ten rounds of 59 divsteps (590 ≥ the bound for 256-bit
 * inputs) each build a 2×2 transition matrix from the low limbs of f and g with masks only, then
 * apply it to (f, g) and to (d, e) modulo the modulus. The round count is fixed and every step is
 * arithmetic on masks, so the time does not depend on the input: no secret-dependent branch or
 * index. About twenty times fewer multiplications than Fermat's a^(m-2).
 *
 * <p>Signed 128-bit accumulators are (hi, lo) pairs: lo the unsigned low word, hi the signed high
 * word from {@link MulHigh#signed} (not {@code Math.multiplyHigh}, whose
 * un-intrinsified JDK 17 body branches on the signs); the carry out of lo is the full-adder formula of Hacker's
 * Delight §2-16. Immutable and thread-safe: all state lives in locals of one call.
 */
final class SafeGcd {

  private static final long M62 = -1L >>> 2;

  /** Inversion modulo the secp256k1 group order n. */
  static final SafeGcd ORDER = new SafeGcd(OrderField.toBig(Scalar.N));
  /** Inversion modulo the secp256k1 field prime p = 2^256 - 2^32 - 977. */
  static final SafeGcd FIELD = new SafeGcd(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(0x1000003D1L)));

  /** The odd modulus in signed-62 limbs. */
  private final long[] mod;
  /** modulus^-1 mod 2^62. */
  private final long modInv62;

  private SafeGcd(BigInteger modulus) {
    long[] w = OrderField.fromBig(modulus);
    mod = toSigned62(w[0], w[1], w[2], w[3]);
    long inv = 1; // Newton: each step doubles the correct low bits of mod^-1
    for (int i = 0; i < 6; i++) {
      inv *= 2 - mod[0] * inv;
    }
    modInv62 = inv & M62;
  }

  /**
   * r = a^-1 mod m for 0 ≤ a &lt; m (r = 0 for a = 0), on four little-endian 64-bit words, in
   * time independent of a. r may be a.
   */
  void invert(long[] r, long[] a) {
    long[] d = new long[5];
    long[] e = {1, 0, 0, 0, 0};
    long[] f = mod.clone();
    long[] g = toSigned62(a[0], a[1], a[2], a[3]);
    long zeta = -1; // zeta = -(delta + 1/2), delta starts at 1/2
    long[] t = new long[4];
    for (int i = 0; i < 10; i++) {
      zeta = divsteps59(zeta, f[0], g[0], t);
      updateDe(d, e, t[0], t[1], t[2], t[3]);
      updateFg(f, g, t[0], t[1], t[2], t[3]);
    }
    // g = 0 and f = ±1 (or f = m for a = 0): d is ±a^-1; fold the sign of f in.
    normalize(d, f[4]);
    r[0] = d[0] | (d[1] << 62);
    r[1] = (d[1] >>> 2) | (d[2] << 60);
    r[2] = (d[2] >>> 4) | (d[3] << 58);
    r[3] = (d[3] >>> 6) | (d[4] << 56);
    java.util.Arrays.fill(d, 0);
    java.util.Arrays.fill(e, 0);
    java.util.Arrays.fill(f, 0);
    java.util.Arrays.fill(g, 0);
    java.util.Arrays.fill(t, 0);
  }

  /**
   * As {@link #invert}, but in <em>variable time</em>, for public values only (libsecp256k1's
   * {@code secp256k1_modinv64_var}): divsteps skip runs of zeros with a trailing-zero count and
   * cancel up to six bits of g at once, the rounds stop when g = 0, and (f, g) shrink by a limb when
   * their top limbs are only sign. Its timing depends on a, so it must never see a secret: the
   * caller is BIP32 CKDpub ({@link PublicTweak}), whose inputs are all in the xpub.
   */
  void invertVar(long[] r, long[] a) {
    long[] d = new long[5];
    long[] e = {1, 0, 0, 0, 0};
    long[] f = mod.clone();
    long[] g = toSigned62(a[0], a[1], a[2], a[3]);
    long eta = -1; // eta = -delta, delta starts at 1
    long[] t = new long[4];
    int len = 5;
    while (true) {
      eta = divsteps62Var(eta, f[0], g[0], t);
      updateDeVar(d, e, t[0], t[1], t[2], t[3]);
      updateFgVar(len, f, g, t[0], t[1], t[2], t[3]);
      if (g[0] == 0) {
        long any = 0;
        for (int j = 1; j < len; j++) {
          any |= g[j];
        }
        if (any == 0) {
          break;
        }
      }
      long fn = f[len - 1];
      long gn = g[len - 1];
      long cond = ((long) len - 2) >> 63;
      cond |= fn ^ (fn >> 63);
      cond |= gn ^ (gn >> 63);
      if (cond == 0) { // both top limbs are 0 or -1: fold their sign into the limb below
        f[len - 2] |= fn << 62;
        g[len - 2] |= gn << 62;
        len--;
      }
    }
    normalize(d, f[len - 1]);
    r[0] = d[0] | (d[1] << 62);
    r[1] = (d[1] >>> 2) | (d[2] << 60);
    r[2] = (d[2] >>> 4) | (d[3] << 58);
    r[3] = (d[3] >>> 6) | (d[4] << 56);
  }

  /**
   * 62 divsteps in variable time (libsecp256k1's {@code divsteps_62_var}); the matrix (u, v, q,
   * r) comes out scaled by 2^62, as {@link #divsteps59}'s.
   */
  private static long divsteps62Var(long eta, long f0, long g0, long[] t) {
    long u = 1, v = 0, q = 0, r = 1;
    long f = f0, g = g0;
    int i = 62;
    while (true) {
      int zeros = Long.numberOfTrailingZeros(g | (-1L << i)); // a sentinel bit stops the count at i
      g >>>= zeros; // that many divsteps only halve g
      u <<= zeros;
      v <<= zeros;
      eta -= zeros;
      i -= zeros;
      if (i == 0) {
        break;
      }
      long w;
      int limit;
      if (eta < 0) { // negate eta and replace (f, g) by (g, -f)
        eta = -eta;
        long tmp = f; f = g; g = -tmp;
        tmp = u; u = q; q = -tmp;
        tmp = v; v = r; r = -tmp;
        limit = Math.min((int) eta + 1, i);
        long m = (-1L >>> (64 - limit)) & 63;
        w = (f * g * (f * f - 2)) & m; // cancels up to six low bits of g
      } else {
        limit = Math.min((int) eta + 1, i);
        long m = (-1L >>> (64 - limit)) & 15;
        w = f + (((f + 1) & 4) << 1);
        w = (-w * g) & m; // cancels up to four low bits of g
      }
      g += f * w;
      q += u * w;
      r += v * w;
    }
    t[0] = u;
    t[1] = v;
    t[2] = q;
    t[3] = r;
    return eta;
  }

  /**
   * (f, g) = t/2^62 · (f, g) on the low len limbs (libsecp256k1's {@code update_fg_62_var}).
   * Public values only, so the JDK's {@link Math#multiplyHigh} is used as is.
   */
  private static void updateFgVar(int len, long[] f, long[] g, long u, long v, long q, long r) {
    long f0 = f[0], g0 = g[0];
    long cfLo = u * f0, cfHi = Math.multiplyHigh(u, f0);
    long p = v * g0, s = cfLo + p;
    cfHi += Math.multiplyHigh(v, g0) + carry(cfLo, p, s);
    cfLo = s;
    long cgLo = q * f0, cgHi = Math.multiplyHigh(q, f0);
    p = r * g0; s = cgLo + p;
    cgHi += Math.multiplyHigh(r, g0) + carry(cgLo, p, s);
    cgLo = s;
    cfLo = (cfLo >>> 62) | (cfHi << 2); cfHi >>= 62;
    cgLo = (cgLo >>> 62) | (cgHi << 2); cgHi >>= 62;
    for (int i = 1; i < len; i++) {
      long fi = f[i], gi = g[i];
      p = u * fi; s = cfLo + p; cfHi += Math.multiplyHigh(u, fi) + carry(cfLo, p, s); cfLo = s;
      p = v * gi; s = cfLo + p; cfHi += Math.multiplyHigh(v, gi) + carry(cfLo, p, s); cfLo = s;
      p = q * fi; s = cgLo + p; cgHi += Math.multiplyHigh(q, fi) + carry(cgLo, p, s); cgLo = s;
      p = r * gi; s = cgLo + p; cgHi += Math.multiplyHigh(r, gi) + carry(cgLo, p, s); cgLo = s;
      f[i - 1] = cfLo & M62;
      g[i - 1] = cgLo & M62;
      cfLo = (cfLo >>> 62) | (cfHi << 2); cfHi >>= 62;
      cgLo = (cgLo >>> 62) | (cgHi << 2); cgHi >>= 62;
    }
    f[len - 1] = cfLo;
    g[len - 1] = cgLo;
  }

  static long[] toSigned62(long a0, long a1, long a2, long a3) {
    return new long[] {
      a0 & M62,
      ((a0 >>> 62) | (a1 << 2)) & M62,
      ((a1 >>> 60) | (a2 << 4)) & M62,
      ((a2 >>> 58) | (a3 << 6)) & M62,
      a3 >>> 56
    };
  }

  /**
   * 59 divsteps on the low words of f and g (libsecp256k1's {@code divsteps_59}); the matrix
   * (u, v, q, r) is scaled by 2^62 (it starts at 8·identity). Masks only.
   */
  private static long divsteps59(long zeta, long f0, long g0, long[] t) {
    long u = 8, v = 0, q = 0, r = 8;
    long f = f0, g = g0;
    for (int i = 3; i < 62; i++) {
      long c1 = zeta >> 63; // zeta < 0
      long c2 = -(g & 1); // g odd
      long x = (f ^ c1) - c1;
      long y = (u ^ c1) - c1;
      long z = (v ^ c1) - c1;
      g += x & c2;
      q += y & c2;
      r += z & c2;
      c1 &= c2;
      zeta = (zeta ^ c1) - 1;
      f += g & c1;
      u += q & c1;
      v += r & c1;
      g >>>= 1;
      u <<= 1;
      v <<= 1;
    }
    t[0] = u;
    t[1] = v;
    t[2] = q;
    t[3] = r;
    return zeta;
  }

  /** (d, e) = t/2^62 · (d, e) mod m, keeping both in (-2m, m) (libsecp256k1's {@code update_de_62}). */
  private void updateDe(long[] d, long[] e, long u, long v, long q, long r) {
    long sd = d[4] >> 63;
    long se = e[4] >> 63;
    long md = (u & sd) + (v & se);
    long me = (q & sd) + (r & se);
    long d0 = d[0], e0 = e[0];
    // cd = u·d0 + v·e0, ce = q·d0 + r·e0
    long cdLo = u * d0, cdHi = MulHigh.signed(u, d0);
    long p = v * e0, s = cdLo + p;
    cdHi += MulHigh.signed(v, e0) + carry(cdLo, p, s);
    cdLo = s;
    long ceLo = q * d0, ceHi = MulHigh.signed(q, d0);
    p = r * e0; s = ceLo + p;
    ceHi += MulHigh.signed(r, e0) + carry(ceLo, p, s);
    ceLo = s;
    // choose md, me so that the low 62 bits of t·(d, e) + m·(md, me) vanish
    md -= (modInv62 * cdLo + md) & M62;
    me -= (modInv62 * ceLo + me) & M62;
    p = mod[0] * md; s = cdLo + p;
    cdHi += MulHigh.signed(mod[0], md) + carry(cdLo, p, s);
    cdLo = s;
    p = mod[0] * me; s = ceLo + p;
    ceHi += MulHigh.signed(mod[0], me) + carry(ceLo, p, s);
    ceLo = s;
    cdLo = (cdLo >>> 62) | (cdHi << 2); cdHi >>= 62;
    ceLo = (ceLo >>> 62) | (ceHi << 2); ceHi >>= 62;
    for (int i = 1; i < 5; i++) {
      long di = d[i], ei = e[i], mi = mod[i];
      p = u * di; s = cdLo + p; cdHi += MulHigh.signed(u, di) + carry(cdLo, p, s); cdLo = s;
      p = v * ei; s = cdLo + p; cdHi += MulHigh.signed(v, ei) + carry(cdLo, p, s); cdLo = s;
      p = mi * md; s = cdLo + p; cdHi += MulHigh.signed(mi, md) + carry(cdLo, p, s); cdLo = s;
      p = q * di; s = ceLo + p; ceHi += MulHigh.signed(q, di) + carry(ceLo, p, s); ceLo = s;
      p = r * ei; s = ceLo + p; ceHi += MulHigh.signed(r, ei) + carry(ceLo, p, s); ceLo = s;
      p = mi * me; s = ceLo + p; ceHi += MulHigh.signed(mi, me) + carry(ceLo, p, s); ceLo = s;
      d[i - 1] = cdLo & M62;
      e[i - 1] = ceLo & M62;
      cdLo = (cdLo >>> 62) | (cdHi << 2); cdHi >>= 62;
      ceLo = (ceLo >>> 62) | (ceHi << 2); ceHi >>= 62;
    }
    d[4] = cdLo;
    e[4] = ceLo;
  }

  /**
   * {@link #updateDe} for {@link #invertVar}: the same arithmetic with the JDK's
   * {@link Math#multiplyHigh} as is (public values; on JDK 17 it is faster than {@link MulHigh}).
   */
  private void updateDeVar(long[] d, long[] e, long u, long v, long q, long r) {
    long sd = d[4] >> 63;
    long se = e[4] >> 63;
    long md = (u & sd) + (v & se);
    long me = (q & sd) + (r & se);
    long d0 = d[0], e0 = e[0];
    // cd = u·d0 + v·e0, ce = q·d0 + r·e0
    long cdLo = u * d0, cdHi = Math.multiplyHigh(u, d0);
    long p = v * e0, s = cdLo + p;
    cdHi += Math.multiplyHigh(v, e0) + carry(cdLo, p, s);
    cdLo = s;
    long ceLo = q * d0, ceHi = Math.multiplyHigh(q, d0);
    p = r * e0; s = ceLo + p;
    ceHi += Math.multiplyHigh(r, e0) + carry(ceLo, p, s);
    ceLo = s;
    // choose md, me so that the low 62 bits of t·(d, e) + m·(md, me) vanish
    md -= (modInv62 * cdLo + md) & M62;
    me -= (modInv62 * ceLo + me) & M62;
    p = mod[0] * md; s = cdLo + p;
    cdHi += Math.multiplyHigh(mod[0], md) + carry(cdLo, p, s);
    cdLo = s;
    p = mod[0] * me; s = ceLo + p;
    ceHi += Math.multiplyHigh(mod[0], me) + carry(ceLo, p, s);
    ceLo = s;
    cdLo = (cdLo >>> 62) | (cdHi << 2); cdHi >>= 62;
    ceLo = (ceLo >>> 62) | (ceHi << 2); ceHi >>= 62;
    for (int i = 1; i < 5; i++) {
      long di = d[i], ei = e[i], mi = mod[i];
      p = u * di; s = cdLo + p; cdHi += Math.multiplyHigh(u, di) + carry(cdLo, p, s); cdLo = s;
      p = v * ei; s = cdLo + p; cdHi += Math.multiplyHigh(v, ei) + carry(cdLo, p, s); cdLo = s;
      p = mi * md; s = cdLo + p; cdHi += Math.multiplyHigh(mi, md) + carry(cdLo, p, s); cdLo = s;
      p = q * di; s = ceLo + p; ceHi += Math.multiplyHigh(q, di) + carry(ceLo, p, s); ceLo = s;
      p = r * ei; s = ceLo + p; ceHi += Math.multiplyHigh(r, ei) + carry(ceLo, p, s); ceLo = s;
      p = mi * me; s = ceLo + p; ceHi += Math.multiplyHigh(mi, me) + carry(ceLo, p, s); ceLo = s;
      d[i - 1] = cdLo & M62;
      e[i - 1] = ceLo & M62;
      cdLo = (cdLo >>> 62) | (cdHi << 2); cdHi >>= 62;
      ceLo = (ceLo >>> 62) | (ceHi << 2); ceHi >>= 62;
    }
    d[4] = cdLo;
    e[4] = ceLo;
  }

  /** (f, g) = t/2^62 · (f, g) (libsecp256k1's {@code update_fg_62}); the division is exact. */
  private static void updateFg(long[] f, long[] g, long u, long v, long q, long r) {
    long f0 = f[0], g0 = g[0];
    long cfLo = u * f0, cfHi = MulHigh.signed(u, f0);
    long p = v * g0, s = cfLo + p;
    cfHi += MulHigh.signed(v, g0) + carry(cfLo, p, s);
    cfLo = s;
    long cgLo = q * f0, cgHi = MulHigh.signed(q, f0);
    p = r * g0; s = cgLo + p;
    cgHi += MulHigh.signed(r, g0) + carry(cgLo, p, s);
    cgLo = s;
    cfLo = (cfLo >>> 62) | (cfHi << 2); cfHi >>= 62;
    cgLo = (cgLo >>> 62) | (cgHi << 2); cgHi >>= 62;
    for (int i = 1; i < 5; i++) {
      long fi = f[i], gi = g[i];
      p = u * fi; s = cfLo + p; cfHi += MulHigh.signed(u, fi) + carry(cfLo, p, s); cfLo = s;
      p = v * gi; s = cfLo + p; cfHi += MulHigh.signed(v, gi) + carry(cfLo, p, s); cfLo = s;
      p = q * fi; s = cgLo + p; cgHi += MulHigh.signed(q, fi) + carry(cgLo, p, s); cgLo = s;
      p = r * gi; s = cgLo + p; cgHi += MulHigh.signed(r, gi) + carry(cgLo, p, s); cgLo = s;
      f[i - 1] = cfLo & M62;
      g[i - 1] = cgLo & M62;
      cfLo = (cfLo >>> 62) | (cfHi << 2); cfHi >>= 62;
      cgLo = (cgLo >>> 62) | (cgHi << 2); cgHi >>= 62;
    }
    f[4] = cfLo;
    g[4] = cgLo;
  }

  /**
   * Brings r from (-2m, m) to [0, m), negating it first if sign &lt; 0, with masked additions
   * (libsecp256k1's {@code normalize_62}).
   */
  private void normalize(long[] r, long sign) {
    long r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3], r4 = r[4];
    long add = r4 >> 63;
    r0 += mod[0] & add;
    r1 += mod[1] & add;
    r2 += mod[2] & add;
    r3 += mod[3] & add;
    r4 += mod[4] & add;
    long neg = sign >> 63;
    r0 = (r0 ^ neg) - neg;
    r1 = (r1 ^ neg) - neg;
    r2 = (r2 ^ neg) - neg;
    r3 = (r3 ^ neg) - neg;
    r4 = (r4 ^ neg) - neg;
    r1 += r0 >> 62; r0 &= M62;
    r2 += r1 >> 62; r1 &= M62;
    r3 += r2 >> 62; r2 &= M62;
    r4 += r3 >> 62; r3 &= M62;
    add = r4 >> 63;
    r0 += mod[0] & add;
    r1 += mod[1] & add;
    r2 += mod[2] & add;
    r3 += mod[3] & add;
    r4 += mod[4] & add;
    r1 += r0 >> 62; r0 &= M62;
    r2 += r1 >> 62; r1 &= M62;
    r3 += r2 >> 62; r2 &= M62;
    r4 += r3 >> 62; r3 &= M62;
    r[0] = r0;
    r[1] = r1;
    r[2] = r2;
    r[3] = r3;
    r[4] = r4;
  }

  /** Carry out of the unsigned s = x + y (Hacker's Delight §2-16). */
  private static long carry(long x, long y, long s) {
    return ((x & y) | ((x | y) & ~s)) >>> 63;
  }
}
