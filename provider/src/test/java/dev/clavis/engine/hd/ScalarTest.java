package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScalarTest {

  private static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  private static long[] of(BigInteger v) {
    byte[] b = new byte[32];
    byte[] raw = v.toByteArray();
    int len = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - len, b, 32 - len, len);
    return Scalar.fromBytes(b, 0);
  }

  private static BigInteger value(long[] a) {
    byte[] b = new byte[32];
    Scalar.toBytes(a, b, 0);
    return new BigInteger(1, b);
  }

  @Test
  void isValidPrivate_boundaries() {
    assertFalse(Scalar.isValidPrivate(of(BigInteger.ZERO)), "0");
    assertTrue(Scalar.isValidPrivate(of(BigInteger.ONE)), "1");
    assertTrue(Scalar.isValidPrivate(of(N.subtract(BigInteger.ONE))), "n-1");
    assertFalse(Scalar.isValidPrivate(of(N)), "n");
    assertFalse(Scalar.isValidPrivate(of(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))), "2^256-1");
  }

  @Test
  void addMod_randomAndWrapping_matchBigInteger() {
    Random r = new Random(7);
    long[] o = new long[4];
    for (int i = 0; i < 5000; i++) {
      BigInteger a = i < 3 ? N.subtract(BigInteger.valueOf(i + 1)) : new BigInteger(256, r).mod(N);
      BigInteger b = i < 3 ? N.subtract(BigInteger.valueOf(1)) : new BigInteger(256, r).mod(N);
      Scalar.addMod(o, of(a), of(b));
      assertEquals(a.add(b).mod(N), value(o), "case " + i);
    }
  }

  @Test
  void fromBytesToBytes_roundTrip() {
    byte[] b = new byte[32];
    new Random(1).nextBytes(b);
    byte[] out = new byte[32];
    Scalar.toBytes(Scalar.fromBytes(b, 0), out, 0);
    assertArrayEquals(b, out);
  }
}
