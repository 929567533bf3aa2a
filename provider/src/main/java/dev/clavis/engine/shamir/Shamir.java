package dev.clavis.engine.shamir;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Shamir's secret sharing over GF(2^8), byte by byte (Shamir, "How to share a secret", CACM 1979):
 * each byte of the secret is the constant term of a random polynomial of degree {@code m - 1},
 * and share {@code x} (1..255) holds the polynomial's values at {@code x}. Any {@code m} shares
 * give the secret back by Lagrange interpolation at 0; fewer give no information about it.
 *
 * <p>The field is the AES field, GF(2)[X]/(X^8 + X^4 + X^3 + X + 1) (polynomial 0x11B), as in
 * Bouncy Castle's {@code ShamirSecretSplitter} with {@code Algorithm.AES}, against which it is
 * tested. Multiplication is branch-free and table-free (eight masked shift-and-add steps), and
 * the inverse is {@code a^254}, so timing does not depend on secret bytes (log/exp tables would
 * index memory by secret values). JCA-free; callers wipe the arrays they get.
 */
public final class Shamir {

  /** The most shares a secret can have: x runs over the non-zero field elements. */
  public static final int MAX_SHARES = 255;

  private Shamir() {}

  /**
   * Splits {@code secret} into {@code n} shares, any {@code m} of which recover it.
   *
   * @param secret the secret (not kept)
   * @param n how many shares, 2..255
   * @param m how many recover it, 2..n
   * @param random the source of the polynomials' coefficients
   * @return {@code n} shares; share {@code i} belongs to x = {@code i + 1}
   * @throws IllegalArgumentException if {@code m < 2}, {@code m > n}, {@code n > 255} or the secret is empty
   */
  public static byte[][] split(byte[] secret, int n, int m, SecureRandom random) {
    checkQuorum(n, m);
    if (secret.length == 0) {
      throw new IllegalArgumentException("an empty secret cannot be split");
    }
    byte[][] shares = new byte[n][secret.length];
    int[] coeff = new int[m];
    byte[] r = new byte[m - 1];
    try {
      for (int b = 0; b < secret.length; b++) {
        random.nextBytes(r);
        coeff[0] = secret[b] & 0xFF;
        for (int k = 1; k < m; k++) {
          coeff[k] = r[k - 1] & 0xFF;
        }
        for (int i = 0; i < n; i++) {
          shares[i][b] = (byte) eval(coeff, i + 1);
        }
      }
      return shares;
    } finally {
      Arrays.fill(coeff, 0);
      Arrays.fill(r, (byte) 0);
    }
  }

  /**
   * Recovers the secret from shares by Lagrange interpolation at 0.
   *
   * @param xs the shares' x values (1..255, distinct)
   * @param ys the shares, all of one length, in the order of {@code xs}
   * @return the secret (the caller wipes it); garbage if the shares are of different secrets or
   *     fewer than the threshold: callers authenticate the result
   * @throws IllegalArgumentException if fewer than 2 shares, x values repeat or are out of range, or lengths differ
   */
  public static byte[] combine(int[] xs, byte[][] ys) {
    if (xs.length != ys.length || xs.length < 2) {
      throw new IllegalArgumentException("combining needs at least 2 shares, each with its x value");
    }
    int len = ys[0].length;
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] < 1 || xs[i] > MAX_SHARES) {
        throw new IllegalArgumentException("share x value " + xs[i] + " is outside 1..255");
      }
      if (ys[i].length != len) {
        throw new IllegalArgumentException("shares differ in length: " + len + " and " + ys[i].length + " bytes");
      }
      for (int j = 0; j < i; j++) {
        if (xs[i] == xs[j]) {
          throw new IllegalArgumentException("share " + xs[i] + " is given twice");
        }
      }
    }
    // l_i(0) = prod_{j != i} x_j / (x_j - x_i); subtraction is XOR in GF(2^8). The x values are public.
    int[] basis = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      int num = 1;
      int den = 1;
      for (int j = 0; j < xs.length; j++) {
        if (j != i) {
          num = mul(num, xs[j]);
          den = mul(den, xs[j] ^ xs[i]);
        }
      }
      basis[i] = mul(num, inverse(den));
    }
    byte[] out = new byte[len];
    for (int b = 0; b < len; b++) {
      int acc = 0;
      for (int i = 0; i < xs.length; i++) {
        acc ^= mul(ys[i][b] & 0xFF, basis[i]);
      }
      out[b] = (byte) acc;
    }
    return out;
  }

  /**
   * @throws IllegalArgumentException naming the rule a quorum of {@code m} out of {@code n} breaks
   */
  public static void checkQuorum(int n, int m) {
    if (m < 2) {
      throw new IllegalArgumentException("a threshold below 2 (" + m + ") is no quorum: one custodian would hold the"
          + " whole secret");
    }
    if (m > n) {
      throw new IllegalArgumentException("the threshold " + m + " is larger than the number of shares " + n
          + ": the secret could never be recovered");
    }
    if (n > MAX_SHARES) {
      throw new IllegalArgumentException("at most " + MAX_SHARES + " shares, got " + n);
    }
  }

  /** Horner's rule at x: c_0 + x(c_1 + x(c_2 + ...)). */
  private static int eval(int[] coeff, int x) {
    int acc = 0;
    for (int k = coeff.length - 1; k >= 0; k--) {
      acc = mul(acc, x) ^ coeff[k];
    }
    return acc;
  }

  /** GF(2^8) multiplication mod 0x11B without branches or tables: constant time in both operands. */
  static int mul(int a, int b) {
    int r = 0;
    for (int i = 0; i < 8; i++) {
      r ^= a & -(b & 1);
      int hi = -((a >> 7) & 1);
      a = ((a << 1) ^ (0x11B & hi)) & 0xFF;
      b >>= 1;
    }
    return r;
  }

  /** a^254 = a^-1 for a != 0 (and 0 for 0), by a fixed chain of squarings and multiplications. */
  static int inverse(int a) {
    int a2 = mul(a, a);
    int a3 = mul(a2, a);
    int a6 = mul(a3, a3);
    int a12 = mul(a6, a6);
    int a15 = mul(a12, a3);
    int a30 = mul(a15, a15);
    int a60 = mul(a30, a30);
    int a120 = mul(a60, a60);
    int a126 = mul(a120, a6);
    int a252 = mul(a126, a126);
    return mul(a252, a2);
  }
}
