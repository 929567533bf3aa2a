package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks {@link MulHigh#halves} (the JDK 17 path) and {@link MulHigh#signed} against BigInteger's exact product on every pair of edge
 * values (signs, halves and extremes of the 32-bit split) and on random pairs of every sign.
 */
class MulHighTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final long[] EDGES = {
    0, 1, -1, 2, -2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
    0xFFFFFFFFL, 0x100000000L, -0x100000000L, -0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, -0x80000000L,
    0x3FFFFFFFFFFFFFFFL, -0x3FFFFFFFFFFFFFFFL, 1L << 62, -(1L << 62), 0x8000000080000000L, 0x7FFFFFFF7FFFFFFFL
  };

  private static long expected(long x, long y) {
    return BigInteger.valueOf(x).multiply(BigInteger.valueOf(y)).shiftRight(64).longValueExact();
  }

  @Test
  void signedHighProduct_equalsBigInteger_onAllPairsOfEdgeValues() {
    for (long x : EDGES) {
      for (long y : EDGES) {
        assertEquals(expected(x, y), MulHigh.halves(x, y), () -> Long.toHexString(x) + " * " + Long.toHexString(y));
        assertEquals(expected(x, y), MulHigh.signed(x, y), () -> Long.toHexString(x) + " * " + Long.toHexString(y));
      }
    }
  }

  @Test
  void signedHighProduct_equalsBigInteger_on200000RandomPairsOfEverySignAndSize() {
    for (int i = 0; i < 200_000; i++) {
      // random widths too, so small and 62-bit limbs (SafeGcd's) are covered, not only full words
      long x = RANDOM.nextLong() >> RANDOM.nextInt(64);
      long y = RANDOM.nextLong() >> RANDOM.nextInt(64);
      assertEquals(expected(x, y), MulHigh.halves(x, y), () -> Long.toHexString(x) + " * " + Long.toHexString(y));
      assertEquals(expected(x, y), MulHigh.signed(x, y), () -> Long.toHexString(x) + " * " + Long.toHexString(y));
    }
  }
}
