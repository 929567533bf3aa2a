package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The field inversion that replaced Bouncy Castle's safegcd, against BigInteger.modInverse. */
class Secp256k1InvertTest {

  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(0x1000003D1L));

  private static long[] fe(BigInteger v) {
    byte[] b = new byte[32];
    byte[] raw = v.toByteArray();
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, b, 32 - n, n);
    long[] r = Fe.create();
    Fe.fromBytes(r, b, 0);
    return r;
  }

  private static BigInteger value(long[] a) {
    byte[] b = new byte[32];
    Fe.toBytes(b, 0, a);
    return new BigInteger(1, b);
  }

  private static void check(BigInteger v) {
    BigInteger expected = v.mod(P).modInverse(P);
    for (boolean secret : new boolean[] {true, false}) {
      long[] r = Fe.create();
      assertTrue(Secp256k1.invert(r, fe(v), secret), v.toString(16));
      assertEquals(expected, value(r), (secret ? "secret " : "public ") + v.toString(16));
    }
  }

  @Test
  void invert_randomAndEdgeValues_matchBigInteger() {
    SecureRandom rnd = new SecureRandom();
    for (int i = 0; i < 300; i++) {
      check(new BigInteger(256, rnd).mod(P.subtract(BigInteger.ONE)).add(BigInteger.ONE));
    }
    check(BigInteger.ONE);
    check(BigInteger.TWO);
    check(P.subtract(BigInteger.ONE));
    check(P.subtract(BigInteger.TWO));
    check(P.add(BigInteger.ONE)); // a non-canonical input, 2^256 > p + 1
    check(BigInteger.ONE.shiftLeft(255));
  }

  @Test
  void invert_zeroAndP_returnFalse() {
    for (BigInteger zero : new BigInteger[] {BigInteger.ZERO, P}) {
      for (boolean secret : new boolean[] {true, false}) {
        long[] r = Fe.create();
        assertFalse(Secp256k1.invert(r, fe(zero), secret));
        assertEquals(BigInteger.ZERO, value(r));
      }
    }
  }

  @Test
  void invert_unnormalizedLimbs_matchBigInteger() {
    // a weakly reduced element: limb values above 52 bits, as the lazy additions leave them
    long[] a = Fe.create();
    Fe.set(a, 5);
    long[] b = fe(P.subtract(BigInteger.valueOf(3)));
    long[] s = Fe.create();
    Fe.addLazy(s, a, b); // 2 mod p, not normalized
    for (boolean secret : new boolean[] {true, false}) {
      long[] r = Fe.create();
      assertTrue(Secp256k1.invert(r, s.clone(), secret));
      assertEquals(BigInteger.TWO.modInverse(P), value(r));
    }
  }
}
