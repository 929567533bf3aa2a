package dev.clavis.engine.hd;

/**
 * K + t·G for a <em>public</em> scalar t and a public point K, in variable time: BIP32 CKDpub's
 * point step (K_i = point(I_L) + K_par).
 *
 * <p><b>Why variable time is allowed here, and only here.</b> Everything CKDpub touches is public:
 * K_par and the chain code are in the xpub, so anyone holding the xpub computes the same I_L = t
 * and the same child. Timing can therefore reveal nothing its inputs do not already reveal (the
 * same reasoning as libsecp256k1's {@code ec_pubkey_tweak_add}, which uses variable-time
 * {@code ecmult}). The constant-time paths — {@link Secp256k1#publicKey} for every private key's
 * public key, signing, CKDpriv — never call this class; never route a private scalar here.
 *
 * <p>Method: t is recoded into {@value #WINDOWS} signed base-2^{@value #W} digits d_i in
 * [-511, 512] (t = Σ d_i·2^(10i); the top window has the 6 remaining bits and the carry), and a
 * table holds j·2^(10i)·G for j = 1..512 in every window (1..64 in the top one), in affine
 * coordinates: 12,864 points, 804 KiB, built on first use (about 50 ms in a cold JVM) with one
 * batched inversion per window. The sum starts at K and adds one table entry per non-zero digit
 * with the Jacobian mixed addition (7M + 4S, no doublings), checking the two exceptional cases
 * (equal points: double; opposite points: infinity) only if the unchecked sum says one occurred
 * (see {@link #sum}). One variable-time inversion ({@link SafeGcd#invertVar}) brings the result to
 * affine. That is 26 additions and one inversion, against {@link Secp256k1#mulG}'s 43 additions with
 * 6-bit windows, a complete addition, and the former {@code BigInteger.modInverse} (a third of the
 * time in the profile). Measured per window width: W = 8 (264 KiB) 4.2×, 9 4.4×, 10 4.6× bitcoinj.
 * {@link #tweakAddBatch} does many tweaks of one K together, in affine coordinates.
 *
 * <p>Why this class is over 400 lines: the recoding, the table it indexes, the incomplete addition
 * with its exceptional-case argument (Z stays 0 once one occurs, see {@link #sum}) and the batched
 * affine variant that relies on the same recoding and table are one construction; split, the
 * reasons each part may skip a check would live in another file.
 */
final class PublicTweak {

  /** Window width in bits. */
  static final int W = 10;
  /** Digits: floor(256 / W) + 1; the top one takes the remaining 256 mod W bits and the carry. */
  static final int WINDOWS = 256 / W + 1;
  /** Multiples per window: 1 .. 2^(W-1). */
  static final int ENTRIES = 1 << (W - 1);
  /** Multiples in the top window: 1 .. 2^(256 mod W) (the top digit plus a carry never exceeds it). */
  static final int TOP_ENTRIES = Math.min(ENTRIES, 1 << (256 - W * (WINDOWS - 1)));

  private PublicTweak() {}

  /** The table, built when CKDpub first needs it (class initialization is thread-safe). */
  private static final class Table {
    /** [window][entry j-1][x as 4 words, y as 4 words], canonical affine j·2^(W·i)·G. */
    static final long[] T = build();
  }

  /** A Jacobian point (x = X/Z², y = Y/Z³) or the identity. */
  private static final class Jacobian {
    final long[] x = Fe.create();
    final long[] y = Fe.create();
    final long[] z = Fe.create();
    boolean infinity;
  }

  /** Scratch field elements of one call. */
  private static final class Tmp {
    final long[] t0 = Fe.create();
    final long[] t1 = Fe.create();
    final long[] t2 = Fe.create();
    final long[] t3 = Fe.create();
    final long[] t4 = Fe.create();
    final long[] t5 = Fe.create();
    final long[] t6 = Fe.create();
    final long[] t7 = Fe.create();
    final long[] ex = Fe.create();
    final long[] ey = Fe.create();
  }

  /**
   * Returns compress(t·G + K), or null for the point at infinity (BIP32: skip the index).
   *
   * @param t the public tweak, four little-endian words, 0 ≤ t &lt; n
   * @param kx canonical affine x of K (a point on the curve)
   * @param ky canonical affine y of K
   * @param outX receives the canonical affine x of the result
   * @param outY receives the canonical affine y of the result
   */
  static byte[] tweakAdd(long[] t, long[] kx, long[] ky, long[] outX, long[] outY) {
    Tmp s = new Tmp();
    Jacobian p = new Jacobian();
    long[] zi = s.t0;
    sum(p, t, kx, ky, false, s);
    invertVar(zi, p.z); // 0 for Z ≡ 0
    if (Fe.isZero(zi) == 1) {
      // Some addition met an exceptional case (or the sum is the identity): redo it with checks.
      sum(p, t, kx, ky, true, s);
      if (p.infinity) {
        return null;
      }
      invertVar(zi, p.z);
    }
    Fe.sqr(s.t1, zi);
    Fe.mul(outX, p.x, s.t1);
    Fe.mul(s.t1, s.t1, zi);
    Fe.mul(outY, p.y, s.t1);
    Fe.normalize(outX);
    Fe.normalize(outY);
    return Secp256k1.compress(outX, outY);
  }

  /**
   * {@link #tweakAdd} for many tweaks of the same K at once (a wallet deriving a run of addresses):
   * the sums advance window by window together and stay affine, each window's denominators
   * inverted in one batch (Montgomery's trick), so an addition costs 5M + 1S plus a share of one
   * inversion instead of 7M + 4S, and no final conversion is needed. A sum that meets an
   * exceptional case (a zero denominator: equal or opposite points) is finished by
   * {@link #tweakAdd} instead. Variable time, public inputs only, as the rest of this class.
   *
   * @param ts the tweaks, each as for {@link #tweakAdd}
   * @param outX receives each result's canonical affine x (arrays of five limbs)
   * @param outY receives each result's canonical affine y
   * @return each compress(t·G + K), null where that is the point at infinity
   */
  static byte[][] tweakAddBatch(long[][] ts, long[] kx, long[] ky, long[][] outX, long[][] outY) {
    long[] table = Table.T;
    int n = ts.length;
    long[][] px = outX;
    long[][] py = outY;
    long[][] ex = new long[n][5];
    long[][] ey = new long[n][5];
    long[][] den = new long[n][5];
    long[][] acc = new long[n][5];
    int[] carry = new int[n];
    boolean[] single = new boolean[n];
    int[] active = new int[n];
    for (int c = 0; c < n; c++) {
      Fe.copy(px[c], kx);
      Fe.copy(py[c], ky);
    }
    long[] inv = Fe.create();
    long[] lambda = Fe.create();
    long[] t0 = Fe.create();
    for (int i = 0; i < WINDOWS; i++) {
      int m = 0;
      for (int c = 0; c < n; c++) {
        int d = carry[c] + digit(ts[c], i * W);
        carry[c] = d > ENTRIES ? 1 : 0;
        d -= carry[c] << W;
        if (d == 0 || single[c]) {
          continue;
        }
        int off = (i * ENTRIES + Math.abs(d) - 1) * 8;
        unpack(ex[c], table, off);
        unpack(ey[c], table, off + 4);
        if (d < 0) {
          Fe.neg(ey[c], ey[c]);
        }
        Fe.sub(den[c], ex[c], px[c]); // x2 - x1
        active[m++] = c;
      }
      if (m == 0) {
        continue;
      }
      if (!batchInvert(den, acc, active, m, inv)) {
        // some denominator is 0: hand those sums to tweakAdd, invert the others
        int kept = 0;
        for (int a = 0; a < m; a++) {
          int c = active[a];
          if (isZeroVar(den[c])) {
            single[c] = true;
          } else {
            active[kept++] = c;
          }
        }
        m = kept;
        if (m == 0 || !batchInvert(den, acc, active, m, inv)) {
          continue;
        }
      }
      // back substitution: inv holds (den_active[0] ··· den_active[m-1])^-1
      for (int a = m - 1; a >= 0; a--) {
        int c = active[a];
        if (a > 0) {
          Fe.mul(t0, inv, acc[active[a - 1]]); // den_c^-1
          Fe.mul(inv, inv, den[c]);
        } else {
          Fe.copy(t0, inv);
        }
        Fe.subLazy(lambda, ey[c], py[c]);
        Fe.mul(lambda, lambda, t0); // λ = (y2 - y1) / (x2 - x1)
        Fe.sqr(t0, lambda);
        Fe.sub2(t0, t0, px[c], ex[c]); // x3 = λ² - x1 - x2
        Fe.subLazy(px[c], px[c], t0);
        Fe.mul(px[c], px[c], lambda);
        Fe.sub(py[c], px[c], py[c]); // y3 = λ·(x1 - x3) - y1
        Fe.copy(px[c], t0);
      }
    }
    byte[][] out = new byte[n][];
    for (int c = 0; c < n; c++) {
      if (single[c]) {
        out[c] = tweakAdd(ts[c], kx, ky, px[c], py[c]);
      } else {
        Fe.normalize(px[c]);
        Fe.normalize(py[c]);
        out[c] = Secp256k1.compress(px[c], py[c]);
      }
    }
    return out;
  }

  /**
   * Prefix products acc[active[a]] = den[active[0]] ··· den[active[a]] and inv = the inverse of
   * the whole product; false (inv = 0) if that product is 0, i.e. some denominator is.
   */
  private static boolean batchInvert(long[][] den, long[][] acc, int[] active, int m, long[] inv) {
    Fe.copy(acc[active[0]], den[active[0]]);
    for (int a = 1; a < m; a++) {
      Fe.mul(acc[active[a]], acc[active[a - 1]], den[active[a]]);
    }
    invertVar(inv, acc[active[m - 1]]);
    return !isZeroVar(inv);
  }

  /**
   * p = K + t·G. Unchecked, the additions assume no exceptional case: one that meets equal or
   * opposite points has H ≡ 0 and so sets Z3 = 2·Z1·H ≡ 0, and every later addition keeps Z ≡ 0
   * (Z3 = (Z1 + H)² - Z1² - H² with Z1 = 0), while additions without one multiply Z by 2H ≠ 0.
   * So Z ≡ 0 at the end tells exactly when to redo the sum checked, at the price of one test
   * instead of two per addition. (Random t meets the case with probability about 2^-250.)
   */
  private static void sum(Jacobian p, long[] t, long[] kx, long[] ky, boolean checked, Tmp s) {
    long[] table = Table.T;
    Fe.copy(p.x, kx);
    Fe.copy(p.y, ky);
    Fe.set(p.z, 1);
    p.infinity = false;
    int carry = 0;
    for (int i = 0; i < WINDOWS; i++) {
      int d = carry + digit(t, i * W);
      carry = d > ENTRIES ? 1 : 0;
      d -= carry << W; // d in [-(2^(W-1) - 1), 2^(W-1)]
      if (d == 0) {
        continue;
      }
      int off = (i * ENTRIES + Math.abs(d) - 1) * 8;
      unpack(s.ex, table, off);
      unpack(s.ey, table, off + 4);
      if (d < 0) {
        Fe.neg(s.ey, s.ey);
      }
      if (checked) {
        addAffine(p, s.ex, s.ey, s);
      } else {
        addAffineUnchecked(p, s.ex, s.ey, s);
      }
    }
  }

  /** Bits pos .. pos + W - 1 of the 256-bit t (zero above bit 255). */
  private static int digit(long[] t, int pos) {
    int word = pos >>> 6;
    if (word >= 4) {
      return 0;
    }
    int shift = pos & 63;
    long v = t[word] >>> shift;
    if (shift + W > 64 && word < 3) {
      v |= t[word + 1] << (64 - shift);
    }
    return (int) v & ((1 << W) - 1);
  }

  /**
   * p = p + (x2, y2) for an affine (x2, y2), any p: "madd-2007-bl" (7M + 4S) when the points
   * differ, the doubling when they are equal, the identity when they are opposite. Variable time.
   */
  private static void addAffine(Jacobian p, long[] x2, long[] y2, Tmp s) {
    if (p.infinity) {
      Fe.copy(p.x, x2);
      Fe.copy(p.y, y2);
      Fe.set(p.z, 1);
      p.infinity = false;
      return;
    }
    long[] z1z1 = s.t0;
    long[] u2 = s.t1;
    long[] s2 = s.t2;
    long[] h = s.t3;
    long[] r = s.t4;
    Fe.sqr(z1z1, p.z);
    Fe.mul(u2, x2, z1z1);
    Fe.mul(s2, p.z, z1z1);
    Fe.mul(s2, s2, y2);
    Fe.sub(h, u2, p.x); // H = U2 - X1
    Fe.sub(r, s2, p.y);
    if (isZeroVar(h)) {
      if (isZeroVar(r)) {
        doubleInPlace(p, s); // same point
      } else {
        p.infinity = true; // opposite points
      }
      return;
    }
    finishAdd(p, z1z1, h, r, s);
  }

  /** As {@link #addAffine} for p ≠ identity and p ≠ ±(x2, y2), which it does not check. */
  private static void addAffineUnchecked(Jacobian p, long[] x2, long[] y2, Tmp s) {
    long[] z1z1 = s.t0;
    long[] u2 = s.t1;
    long[] s2 = s.t2;
    long[] h = s.t3;
    long[] r = s.t4;
    Fe.sqr(z1z1, p.z);
    Fe.mul(u2, x2, z1z1);
    Fe.mul(s2, p.z, z1z1);
    Fe.mul(s2, s2, y2);
    Fe.subLazy(h, u2, p.x); // H = U2 - X1 (lazy: it feeds only products)
    Fe.subLazy(r, s2, p.y);
    finishAdd(p, z1z1, h, r, s);
  }

  /** The rest of madd-2007-bl from Z1², H and S2 - Y1 (held in r). */
  private static void finishAdd(Jacobian p, long[] z1z1, long[] h, long[] r, Tmp s) {
    long[] h2 = s.t1;
    long[] s2 = s.t2;
    long[] hh = s.t5;
    long[] j = s.t6;
    long[] v = s.t7;
    Fe.mulSmall(r, r, 2); // r = 2·(S2 - Y1)
    Fe.sqr(h2, h); // H²
    Fe.mulSmall(hh, h2, 4); // I = 4·H²
    Fe.mul(j, h, hh); // J = H·I
    Fe.mul(v, p.x, hh); // V = X1·I
    Fe.addLazy(p.z, p.z, h);
    Fe.sqr(p.z, p.z);
    Fe.sub2(p.z, p.z, z1z1, h2); // Z3 = (Z1 + H)² - Z1² - H²
    Fe.mul(s2, p.y, j); // Y1·J
    Fe.sqr(p.x, r);
    Fe.sub3(p.x, p.x, j, v, v); // X3 = r² - J - 2V
    Fe.subLazy(v, v, p.x);
    Fe.mul(p.y, r, v);
    Fe.sub2(p.y, p.y, s2, s2); // Y3 = r·(V - X3) - 2·Y1·J
  }

  /** p = 2p in Jacobian coordinates: "dbl-2009-l" (2M + 5S) for a = 0. Variable time. */
  private static void doubleInPlace(Jacobian p, Tmp s) {
    if (p.infinity) {
      return;
    }
    long[] a = s.t0;
    long[] b = s.t1;
    long[] c = s.t2;
    long[] d = s.t3;
    long[] e = s.t4;
    long[] f = s.t5;
    long[] y1 = s.t6;
    Fe.copy(y1, p.y);
    Fe.sqr(a, p.x); // A = X1²
    Fe.sqr(b, p.y); // B = Y1²
    Fe.sqr(c, b); // C = B²
    Fe.addLazy(d, p.x, b);
    Fe.sqr(d, d);
    Fe.sub2(d, d, a, c);
    Fe.add(d, d, d); // D = 2·((X1 + B)² - A - C)
    Fe.mulSmall(e, a, 3); // E = 3·A
    Fe.sqr(f, e); // F = E²
    Fe.sub2(p.x, f, d, d); // X3 = F - 2·D
    Fe.mul(p.z, y1, p.z);
    Fe.add(p.z, p.z, p.z); // Z3 = 2·Y1·Z1
    Fe.subLazy(d, d, p.x);
    Fe.mul(p.y, e, d);
    Fe.mulSmall(c, c, 8);
    Fe.sub(p.y, p.y, c); // Y3 = E·(D - X3) - 8·C
  }

  /** r = a^-1 mod p (0 for a ≡ 0) by {@link SafeGcd#invertVar}: variable time, public a only. */
  static void invertVar(long[] r, long[] a) {
    long[] t = a.clone();
    Fe.normalize(t);
    long[] w = {
      t[0] | (t[1] << 52), (t[1] >>> 12) | (t[2] << 40), (t[2] >>> 24) | (t[3] << 28), (t[3] >>> 36) | (t[4] << 16)
    };
    SafeGcd.FIELD.invertVar(w, w);
    unpack(r, w, 0);
  }

  /** Whether a ≡ 0 (mod p); variable time is fine for the public values here. */
  private static boolean isZeroVar(long[] a) {
    return Fe.isZero(a) == 1;
  }

  /** Four little-endian 64-bit words at t[off] to five 52-bit limbs. */
  private static void unpack(long[] r, long[] t, int off) {
    long w0 = t[off];
    long w1 = t[off + 1];
    long w2 = t[off + 2];
    long w3 = t[off + 3];
    r[0] = w0 & Fe.M;
    r[1] = ((w0 >>> 52) | (w1 << 12)) & Fe.M;
    r[2] = ((w1 >>> 40) | (w2 << 24)) & Fe.M;
    r[3] = ((w2 >>> 28) | (w3 << 36)) & Fe.M;
    r[4] = w3 >>> 16;
  }

  /** Five canonical 52-bit limbs to four little-endian 64-bit words at r[off]. */
  private static void pack(long[] r, int off, long[] a) {
    r[off] = a[0] | (a[1] << 52);
    r[off + 1] = (a[1] >>> 12) | (a[2] << 40);
    r[off + 2] = (a[2] >>> 24) | (a[3] << 28);
    r[off + 3] = (a[3] >>> 36) | (a[4] << 16);
  }

  /**
   * Window i holds j·B_i for j = 1..2^(W-1) with B_i = 2^(W·i)·G: each window's multiples are
   * summed in Jacobian coordinates from its affine B_i, brought to affine together (Montgomery's
   * trick: one inversion per window), and B_(i+1) = 2·(2^(W-1)·B_i).
   */
  private static long[] build() {
    long[] table = new long[((WINDOWS - 1) * ENTRIES + TOP_ENTRIES) * 8];
    Tmp s = new Tmp();
    long[] bx = Fe.create();
    long[] by = Fe.create();
    Fe.fromBytes(bx, Secp256k1.GX_BYTES, 0);
    Fe.fromBytes(by, Secp256k1.GY_BYTES, 0);
    Jacobian[] m = new Jacobian[ENTRIES];
    long[][] prefix = new long[ENTRIES][];
    long[] inv = Fe.create();
    long[] zi = Fe.create();
    long[] zi2 = Fe.create();
    long[] ax = Fe.create();
    long[] ay = Fe.create();
    for (int i = 0; i < WINDOWS; i++) {
      int count = i == WINDOWS - 1 ? TOP_ENTRIES : ENTRIES;
      for (int j = 0; j < count; j++) {
        Jacobian q = new Jacobian();
        if (j == 0) {
          Fe.copy(q.x, bx);
          Fe.copy(q.y, by);
          Fe.set(q.z, 1);
        } else {
          Fe.copy(q.x, m[j - 1].x);
          Fe.copy(q.y, m[j - 1].y);
          Fe.copy(q.z, m[j - 1].z);
          addAffine(q, bx, by, s); // (j+1)·B_i; never the identity, since j + 1 < n
        }
        m[j] = q;
        prefix[j] = Fe.create();
        if (j == 0) {
          Fe.copy(prefix[j], q.z);
        } else {
          Fe.mul(prefix[j], prefix[j - 1], q.z); // z_1 ··· z_j
        }
      }
      Fe.invert(inv, prefix[count - 1]); // (z_1 ··· z_count)^-1
      for (int j = count - 1; j >= 0; j--) {
        if (j > 0) {
          Fe.mul(zi, inv, prefix[j - 1]); // z_j^-1
          Fe.mul(inv, inv, m[j].z); // (z_1 ··· z_(j-1))^-1
        } else {
          Fe.copy(zi, inv);
        }
        Fe.sqr(zi2, zi);
        Fe.mul(ax, m[j].x, zi2);
        Fe.mul(zi2, zi2, zi);
        Fe.mul(ay, m[j].y, zi2);
        Fe.normalize(ax);
        Fe.normalize(ay);
        int off = (i * ENTRIES + j) * 8;
        pack(table, off, ax);
        pack(table, off + 4, ay);
      }
      if (i == WINDOWS - 1) {
        break;
      }
      // B_(i+1) = 2^W·B_i = 2·(2^(W-1)·B_i), read back in affine from the table
      Jacobian next = new Jacobian();
      int last = (i * ENTRIES + ENTRIES - 1) * 8;
      unpack(next.x, table, last);
      unpack(next.y, table, last + 4);
      Fe.set(next.z, 1);
      doubleInPlace(next, s);
      Fe.invert(zi, next.z);
      Fe.sqr(zi2, zi);
      Fe.mul(bx, next.x, zi2);
      Fe.mul(zi2, zi2, zi);
      Fe.mul(by, next.y, zi2);
      Fe.normalize(bx);
      Fe.normalize(by);
    }
    return table;
  }
}
