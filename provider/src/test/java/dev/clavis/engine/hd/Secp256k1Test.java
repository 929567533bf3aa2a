package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** Checks the fast engine against Bouncy Castle's generic EC arithmetic as an oracle. */
class Secp256k1Test {

  private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final ECPoint G = CURVE.getG();

  private static byte[] bytes32(BigInteger v) {
    byte[] b = new byte[32];
    byte[] raw = v.toByteArray();
    int len = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - len, b, 32 - len, len);
    return b;
  }

  private static long[] scalar(BigInteger v) {
    return Scalar.fromBytes(bytes32(v), 0);
  }

  private static List<BigInteger> scalars() {
    List<BigInteger> ks = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      ks.add(BigInteger.valueOf(i));
      ks.add(N.subtract(BigInteger.valueOf(i)));
      ks.add(BigInteger.ONE.shiftLeft(6 * i)); // window boundaries
      ks.add(BigInteger.ONE.shiftLeft(6 * i).subtract(BigInteger.ONE));
    }
    for (int d = 1; d < 64; d += 2) {
      ks.add(BigInteger.valueOf(d).shiftLeft(253).mod(N)); // top-window digits
    }
    Random r = new Random(11);
    for (int i = 0; i < 400; i++) {
      ks.add(new BigInteger(256, r).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE));
    }
    return ks;
  }

  @Test
  void publicKey_manyScalars_matchesBouncyCastle() {
    for (BigInteger k : scalars()) {
      byte[] expected = G.multiply(k).normalize().getEncoded(true);
      assertArrayEquals(expected, Secp256k1.publicKey(scalar(k)), "constant-time k·G, k=" + k.toString(16));
      assertArrayEquals(expected, Secp256k1.mulGVar(scalar(k)), "variable-time k·G, k=" + k.toString(16));
    }
  }

  @Test
  void tweakAddVar_random_matchesBouncyCastle() {
    Random r = new Random(12);
    for (int i = 0; i < 200; i++) {
      BigInteger k = new BigInteger(255, r).add(BigInteger.ONE);
      BigInteger t = new BigInteger(255, r).add(BigInteger.ONE);
      long[] kx = Fe.create();
      long[] ky = Fe.create();
      assertNull(Secp256k1.decompress(G.multiply(k).normalize().getEncoded(true), kx, ky));
      byte[] expected = G.multiply(k.add(t)).normalize().getEncoded(true);
      assertArrayEquals(expected, Secp256k1.tweakAddVar(scalar(t), kx, ky, Fe.create(), Fe.create()), "case " + i);
    }
  }

  @Test
  void tweakAddVar_sameAndOppositePoint_doublesOrGivesInfinity() {
    BigInteger k = new BigInteger("123456789abcdef", 16);
    long[] kx = Fe.create();
    long[] ky = Fe.create();
    Secp256k1.decompress(G.multiply(k).normalize().getEncoded(true), kx, ky);
    assertArrayEquals(
        G.multiply(k.shiftLeft(1)).normalize().getEncoded(true),
        Secp256k1.tweakAddVar(scalar(k), kx, ky, Fe.create(), Fe.create()),
        "t·G + K with t = k must double");
    assertNull(Secp256k1.tweakAddVar(scalar(N.subtract(k)), kx, ky, Fe.create(), Fe.create()),
        "(n-k)·G + k·G is the point at infinity");
  }

  @Test
  void decompress_invalidEncodings_nameTheDefect() {
    long[] x = Fe.create();
    long[] y = Fe.create();
    byte[] g = G.getEncoded(true);
    byte[] bad = g.clone();
    bad[0] = 4;
    assertTrue(Secp256k1.decompress(bad, x, y).contains("prefix 04"));
    byte[] notOnCurve = new byte[33];
    notOnCurve[0] = 2;
    notOnCurve[32] = 7; // x = 7: 7³ + 7 = 350 is not a square mod p (BIP32 test vector 5)
    assertTrue(Secp256k1.decompress(notOnCurve, x, y).contains("not on the secp256k1 curve"));
    byte[] xTooBig = new byte[33];
    xTooBig[0] = 2;
    java.util.Arrays.fill(xTooBig, 1, 33, (byte) 0xFF);
    assertTrue(Secp256k1.decompress(xTooBig, x, y).contains("not below the field prime"));
    assertTrue(Secp256k1.decompress(new byte[32], x, y).contains("32 bytes"));
  }

  @Test
  void decompress_generator_givesItsCoordinates() {
    long[] x = Fe.create();
    long[] y = Fe.create();
    assertNull(Secp256k1.decompress(G.getEncoded(true), x, y));
    byte[] out = new byte[32];
    Fe.toBytes(out, 0, y);
    assertEquals(G.getAffineYCoord().toBigInteger(), new BigInteger(1, out));
    assertNotNull(Secp256k1.compress(x, y));
    assertArrayEquals(G.getEncoded(true), Secp256k1.compress(x, y));
  }
}
