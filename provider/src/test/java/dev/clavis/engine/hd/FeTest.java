package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeTest {

  private static final BigInteger P =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(0x1000003D1L));

  private static BigInteger value(long[] a) {
    BigInteger v = BigInteger.ZERO;
    for (int i = 4; i >= 0; i--) {
      v = v.shiftLeft(52).add(BigInteger.valueOf(a[i]));
    }
    return v;
  }

  /** Random limbs up to the given width, with all-ones limbs mixed in to hit the carry edges. */
  private static long[] random(Random r, int bits) {
    long[] a = new long[5];
    for (int i = 0; i < 5; i++) {
      a[i] = r.nextInt(6) == 0 ? (1L << bits) - 1 : r.nextLong() >>> (64 - bits);
    }
    return a;
  }

  private static long[] weak(Random r) {
    long[] a = random(r, 52);
    a[0] |= r.nextBoolean() ? 1L << 52 : 0;
    return a;
  }

  private static void assertWeak(long[] o, BigInteger expected, String what) {
    assertTrue(o[0] >= 0 && o[0] < 1L << 53, what + ": limb 0 out of range");
    for (int i = 1; i < 5; i++) {
      assertTrue(o[i] >= 0 && o[i] < 1L << 52, what + ": limb " + i + " out of range");
    }
    assertEquals(expected, value(o).mod(P), what);
  }

  @Test
  void mulAndSqr_randomLooseInputs_matchBigInteger() {
    Random r = new Random(1);
    long[] o = Fe.create();
    for (int i = 0; i < 20_000; i++) {
      long[] a = random(r, 52 + r.nextInt(4)); // up to the documented bound: limbs below 2^55
      long[] b = random(r, 52 + r.nextInt(4));
      Fe.mul(o, a, b);
      assertWeak(o, value(a).multiply(value(b)).mod(P), "mul #" + i);
      Fe.sqr(o, a);
      assertWeak(o, value(a).pow(2).mod(P), "sqr #" + i);
    }
  }

  @Test
  void mulAndSqr_everyLimbAtTheBound_matchBigInteger() {
    // the largest inputs mul and sqr accept: every column sum and every folded product at its maximum
    long[] max = {(1L << 55) - 1, (1L << 55) - 1, (1L << 55) - 1, (1L << 55) - 1, (1L << 55) - 1};
    long[] o = Fe.create();
    Fe.mul(o, max, max);
    assertWeak(o, value(max).pow(2).mod(P), "mul at the bound");
    Fe.sqr(o, max);
    assertWeak(o, value(max).pow(2).mod(P), "sqr at the bound");
    long[] one = {1, 0, 0, 0, 0};
    Fe.mul(o, max, one);
    assertWeak(o, value(max).mod(P), "mul by one at the bound");
  }

  @Test
  void addSubNegMulSmallAndLazyForms_randomWeakInputs_matchBigInteger() {
    Random r = new Random(2);
    long[] o = Fe.create();
    for (int i = 0; i < 20_000; i++) {
      long[] a = weak(r);
      long[] b = weak(r);
      Fe.add(o, a, b);
      assertWeak(o, value(a).add(value(b)).mod(P), "add #" + i);
      Fe.sub(o, a, b);
      assertWeak(o, value(a).subtract(value(b)).mod(P), "sub #" + i);
      Fe.neg(o, a);
      assertWeak(o, value(a).negate().mod(P), "neg #" + i);
      long[] c = weak(r);
      long[] d = weak(r);
      Fe.sub2(o, a, b, c);
      assertWeak(o, value(a).subtract(value(b)).subtract(value(c)).mod(P), "sub2 #" + i);
      Fe.sub3(o, a, b, c, d);
      assertWeak(o, value(a).subtract(value(b)).subtract(value(c)).subtract(value(d)).mod(P), "sub3 #" + i);
      Fe.addLazy(o, a, b);
      Fe.mul(o, o, c);
      assertWeak(o, value(a).add(value(b)).multiply(value(c)).mod(P), "addLazy then mul #" + i);
      Fe.subLazy(o, a, b);
      Fe.sqr(o, o);
      assertWeak(o, value(a).subtract(value(b)).pow(2).mod(P), "subLazy then sqr #" + i);
      Fe.shiftLazy(o, a, 2);
      Fe.mul(o, o, b);
      assertWeak(o, value(a).shiftLeft(2).multiply(value(b)).mod(P), "shiftLazy then mul #" + i);
      Fe.mulSmall(o, a, 21);
      assertWeak(o, value(a).multiply(BigInteger.valueOf(21)).mod(P), "mulSmall #" + i);
    }
  }

  @Test
  void normalize_valuesAroundP_giveCanonicalResidues() {
    BigInteger[] edge = {
      BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE),
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE), P.shiftLeft(1), P.shiftLeft(4).subtract(BigInteger.ONE)
    };
    for (BigInteger v : edge) {
      long[] a = Fe.create();
      BigInteger t = v;
      for (int i = 0; i < 5; i++) {
        a[i] = t.and(BigInteger.ONE.shiftLeft(52).subtract(BigInteger.ONE)).longValue();
        t = t.shiftRight(52);
      }
      Fe.normalize(a);
      assertEquals(v.mod(P), value(a), "normalize " + v.toString(16));
    }
  }

  @Test
  void fromBytesToBytes_roundTripAndCanonicalCheck() {
    byte[] pBytes = P.toByteArray(); // 33 bytes with a leading zero
    assertFalse(Fe.isCanonical(pBytes, 1), "p itself is not canonical");
    byte[] pMinus1 = P.subtract(BigInteger.ONE).toByteArray();
    assertTrue(Fe.isCanonical(pMinus1, 1));
    long[] a = Fe.create();
    Fe.fromBytes(a, pMinus1, 1);
    byte[] out = new byte[32];
    Fe.toBytes(out, 0, a);
    assertEquals(P.subtract(BigInteger.ONE), new BigInteger(1, out));
    Fe.fromBytes(a, pBytes, 1);
    assertEquals(1, Fe.isZero(a), "p ≡ 0");
  }

  @Test
  void sqrt_random_matchesBigInteger() {
    Random r = new Random(3);
    long[] o = Fe.create();
    for (int i = 0; i < 300; i++) {
      long[] a = random(r, 52);
      BigInteger av = value(a).mod(P);
      if (av.signum() == 0) {
        continue;
      }
      boolean residue = av.modPow(P.shiftRight(1), P).equals(BigInteger.ONE);
      assertEquals(residue, Fe.sqrt(o, a), "sqrt flag #" + i);
      if (residue) {
        assertEquals(av, value(o).pow(2).mod(P), "sqrt #" + i);
      }
    }
  }
}
