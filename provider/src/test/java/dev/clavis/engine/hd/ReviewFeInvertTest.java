package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Review (BC-free field): Fe.invert against BigInteger.modInverse on edge and lazily reduced inputs. */
class ReviewFeInvertTest {

  static final BigInteger P = BigInteger.TWO.pow(256).subtract(BigInteger.TWO.pow(32)).subtract(BigInteger.valueOf(977));

  static long[] fe(BigInteger v) {
    byte[] b = new byte[32];
    byte[] raw = v.toByteArray();
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, b, 32 - n, n);
    long[] r = Fe.create();
    Fe.fromBytes(r, b, 0);
    return r;
  }

  static BigInteger big(long[] a) {
    byte[] b = new byte[32];
    Fe.toBytes(b, 0, a);
    return new BigInteger(1, b);
  }

  static void check(long[] a, BigInteger value) {
    long[] r = Fe.create();
    Fe.invert(r, a);
    BigInteger v = value.mod(P);
    BigInteger want = v.signum() == 0 ? BigInteger.ZERO : v.modInverse(P);
    assertEquals(want, big(r), "inverse of " + value.toString(16));
  }

  @Test
  void edgeInputs_includingUnreducedOnes() {
    BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    for (BigInteger v : new BigInteger[] {BigInteger.ONE, BigInteger.TWO, P.subtract(BigInteger.ONE),
        P.subtract(BigInteger.TWO), P, P.add(BigInteger.ONE), max, max.subtract(BigInteger.ONE), BigInteger.ZERO,
        BigInteger.TWO.pow(255), BigInteger.TWO.pow(32).add(BigInteger.valueOf(977))}) {
      check(fe(v), v);
    }
  }

  @Test
  void lazilyAddedAndSubtractedInputs() {
    SecureRandom rnd = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      BigInteger x = new BigInteger(256, rnd);
      BigInteger y = new BigInteger(256, rnd);
      long[] s = Fe.create();
      Fe.addLazy(s, fe(x), fe(y));
      check(s, x.add(y));
      long[] d = Fe.create();
      Fe.subLazy(d, fe(x), fe(y));
      check(d, x.subtract(y));
      long[] m = Fe.create();
      Fe.mul(m, fe(x), fe(y));
      check(m, x.multiply(y));
    }
  }
}
