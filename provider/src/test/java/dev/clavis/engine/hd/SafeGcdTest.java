package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the safegcd inversion ({@link SafeGcd}, behind {@link OrderField#invert} and
 * {@link Fe#invert}) against {@link BigInteger#modInverse}: 10,000 random inputs per modulus plus
 * the edge values 1, 2, m-1, m-2, (m-1)/2, powers of two and values with long runs of equal bits,
 * which drive the divstep matrices to their bounds.
 */
class SafeGcdTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final BigInteger N = OrderField.toBig(Scalar.N);
  private static final BigInteger P = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.valueOf(0x1000003D1L));

  private static List<BigInteger> inputs(BigInteger m) {
    List<BigInteger> in = new ArrayList<>();
    BigInteger one = BigInteger.ONE;
    for (BigInteger e : new BigInteger[] {one, BigInteger.TWO, BigInteger.valueOf(3), m.subtract(one),
        m.subtract(BigInteger.TWO), m.shiftRight(1), m.shiftRight(1).add(one), m.subtract(BigInteger.valueOf(0x1000003D1L)),
        one.shiftLeft(255), one.shiftLeft(128), one.shiftLeft(64), one.shiftLeft(62), one.shiftLeft(200).subtract(one),
        one.shiftLeft(255).subtract(one), m.subtract(one.shiftLeft(64))}) {
      in.add(e.mod(m));
    }
    for (int i = 0; i < 10_000; i++) {
      BigInteger a;
      do {
        a = new BigInteger(256, RANDOM).mod(m);
      } while (a.signum() == 0);
      in.add(a);
    }
    return in;
  }

  @Test
  void orderInverse_equalsBigIntegerModInverse_on10000RandomAndEdgeInputs() {
    long[] r = new long[4];
    for (BigInteger a : inputs(N)) {
      OrderField.invert(r, OrderField.fromBig(a));
      assertEquals(a.modInverse(N), OrderField.toBig(r), "a=" + a.toString(16));
    }
  }

  @Test
  void fieldInverse_equalsBigIntegerModInverse_on10000RandomAndEdgeInputs() {
    long[] fe = Fe.create();
    long[] r = Fe.create();
    byte[] b = new byte[32];
    for (BigInteger a : inputs(P)) {
      Fe.fromBytes(fe, bytes(a), 0);
      Fe.invert(r, fe);
      Fe.toBytes(b, 0, r);
      assertEquals(a.modInverse(P), new BigInteger(1, b), "a=" + a.toString(16));
    }
  }

  @Test
  void inverseOfZero_isZero_forBothModuli() {
    long[] r = {7, 7, 7, 7};
    OrderField.invert(r, new long[4]);
    assertArrayEquals(new long[4], r);
    long[] f = Fe.create();
    Fe.set(f, 5);
    Fe.invert(f, Fe.create());
    assertEquals(1, Fe.isZero(f));
  }

  @Test
  void invert_allowsOutputToAliasInput() {
    BigInteger a = new BigInteger(256, RANDOM).mod(N).max(BigInteger.ONE);
    long[] x = OrderField.fromBig(a);
    OrderField.invert(x, x);
    assertEquals(a.modInverse(N), OrderField.toBig(x));
  }

  @Test
  void variableTimeInverse_equalsBigIntegerModInverse_onRandomAndEdgeInputs_forBothModuli() {
    long[] r = new long[4];
    for (BigInteger m : new BigInteger[] {N, P}) {
      SafeGcd gcd = m.equals(N) ? SafeGcd.ORDER : SafeGcd.FIELD;
      for (BigInteger a : inputs(m)) {
        gcd.invertVar(r, OrderField.fromBig(a));
        assertEquals(a.modInverse(m), OrderField.toBig(r), "mod " + m.toString(16) + ", a=" + a.toString(16));
      }
      // small inputs and the ones with long runs end the rounds early or shrink (f, g) soonest
      for (long small = 1; small < 2000; small++) {
        BigInteger a = BigInteger.valueOf(small);
        gcd.invertVar(r, OrderField.fromBig(a));
        assertEquals(a.modInverse(m), OrderField.toBig(r), "a=" + small);
      }
      long[] x = OrderField.fromBig(BigInteger.valueOf(12345));
      gcd.invertVar(x, x); // output aliasing input
      assertEquals(BigInteger.valueOf(12345).modInverse(m), OrderField.toBig(x));
      gcd.invertVar(r, new long[4]);
      assertArrayEquals(new long[4], r, "0 has no inverse: 0, as the constant-time one");
    }
  }

  private static byte[] bytes(BigInteger a) {
    byte[] out = new byte[32];
    Scalar.toBytes(OrderField.fromBig(a), out, 0);
    return out;
  }
}
