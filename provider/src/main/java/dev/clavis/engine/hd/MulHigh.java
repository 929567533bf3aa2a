package dev.clavis.engine.hd;

/**
 * The high 64 bits of a signed 64×64 → 128-bit product without a branch on the operands.
 *
 * <p>{@link Math#multiplyHigh} is one instruction once C2 intrinsifies it, but until then (the
 * interpreter and C1: the first thousands of calls) the JVM runs its Java body, and JDK 17's
 * starts with {@code if (x < 0 || y < 0)}: on the signed, secret-derived limbs of {@link SafeGcd}
 * that branch would follow the secret. JDK 25's body is the branch-free algorithm below, so there
 * {@code Math.multiplyHigh} is used as is (intrinsic and all); before 25 this class's own copy of
 * it ({@code Math.unsignedMultiplyHigh} is JDK 18+ and calls {@code multiplyHigh} itself).
 *
 * <p>Cost on JDK 17, measured: a safegcd inversion takes 3.08 instead of 2.55 µs (the four 32-bit
 * products replace one intrinsic), about 3% of an ECDSA signature. Calling the intrinsic on the
 * non-negative low 63 bits and folding the signs in with masks was slower still (3.4 µs).
 */
final class MulHigh {

  /** True where {@code Math.multiplyHigh}'s Java body is known branch-free (checked: JDK 25). */
  static final boolean JDK_BODY_BRANCH_FREE = Runtime.version().feature() >= 25;

  private static final long LOW32 = 0xFFFFFFFFL;

  private MulHigh() {}

  /**
   * Returns floor(x·y / 2^64) for signed x and y, i.e. {@code Math.multiplyHigh(x, y)}, with no
   * branch on x or y in any JIT tier. (The test of the constant is the same every call.)
   */
  static long signed(long x, long y) {
    return JDK_BODY_BRANCH_FREE ? Math.multiplyHigh(x, y) : halves(x, y);
  }

  /**
   * Hacker's Delight (2nd ed.) §8-2 "mulhs": correct for every sign, so it needs no test of one;
   * four 32×32 products, shifts and adds only.
   */
  static long halves(long x, long y) {
    long x1 = x >> 32;
    long x0 = x & LOW32;
    long y1 = y >> 32;
    long y0 = y & LOW32;
    long w0 = x0 * y0; // unsigned 64-bit product of the low halves
    long t = x1 * y0 + (w0 >>> 32); // |t| < 2^63: no overflow
    long w1 = (t & LOW32) + x0 * y1;
    return x1 * y1 + (t >> 32) + (w1 >> 32);
  }
}
