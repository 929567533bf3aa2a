package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class OrderFieldTest {

  private static final BigInteger N = OrderField.toBig(Scalar.N);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static BigInteger random() {
    return new BigInteger(256, RANDOM).mod(N);
  }

  private static BigInteger[] edges() {
    return new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, BigInteger.TWO, N.subtract(BigInteger.ONE),
        N.subtract(BigInteger.TWO), N.shiftRight(1), BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(128)};
  }

  @Test
  void mulMod_equalsBigIntegerModMultiply_onRandomAndEdgeValues() {
    BigInteger[] e = edges();
    for (int i = 0; i < 2000; i++) {
      BigInteger a = i < e.length * e.length ? e[i % e.length] : random();
      BigInteger b = i < e.length * e.length ? e[i / e.length] : random();
      long[] r = new long[4];
      OrderField.mulMod(r, OrderField.fromBig(a), OrderField.fromBig(b));
      assertEquals(a.multiply(b).mod(N), OrderField.toBig(r), "a=" + a.toString(16) + " b=" + b.toString(16));
    }
  }

  @Test
  void invert_equalsBigIntegerModInverse() {
    for (int i = 0; i < 200; i++) {
      BigInteger a = i == 0 ? BigInteger.ONE : i == 1 ? N.subtract(BigInteger.ONE) : random().max(BigInteger.ONE);
      long[] r = new long[4];
      OrderField.invert(r, OrderField.fromBig(a));
      assertEquals(a.modInverse(N), OrderField.toBig(r), "a=" + a.toString(16));
    }
  }

  @Test
  void invertBlinded_equalsBigIntegerModInverse() {
    for (int i = 0; i < 200; i++) {
      BigInteger a = i == 0 ? BigInteger.ONE : i == 1 ? N.subtract(BigInteger.ONE) : random().max(BigInteger.ONE);
      long[] r = new long[4];
      OrderField.invertBlinded(r, OrderField.fromBig(a), RANDOM);
      assertEquals(a.modInverse(N), OrderField.toBig(r), "a=" + a.toString(16));
    }
  }

  @Test
  void reduce_isHigh_negate_matchBigInteger() {
    BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    for (BigInteger a : new BigInteger[] {max, N, N.add(BigInteger.ONE), N.subtract(BigInteger.ONE), BigInteger.ONE}) {
      long[] r = new long[4];
      OrderField.reduce(r, OrderField.fromBig(a));
      assertEquals(a.mod(N), OrderField.toBig(r), a.toString(16));
    }
    BigInteger half = N.shiftRight(1);
    assertEquals(0, OrderField.isHigh(OrderField.fromBig(half)));
    assertEquals(1, OrderField.isHigh(OrderField.fromBig(half.add(BigInteger.ONE))));
    for (int i = 0; i < 200; i++) {
      BigInteger a = random().max(BigInteger.ONE);
      assertEquals(a.compareTo(half) > 0 ? 1 : 0, OrderField.isHigh(OrderField.fromBig(a)));
      long[] r = new long[4];
      OrderField.negate(r, OrderField.fromBig(a));
      assertEquals(N.subtract(a), OrderField.toBig(r));
    }
  }
}
