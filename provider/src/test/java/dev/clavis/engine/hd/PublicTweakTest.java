package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link PublicTweak} (variable-time K + t·G for CKDpub) against Bouncy Castle's generic EC
 * arithmetic: every table entry, random points and tweaks, the recoding's carry edges, and the
 * exceptional additions (equal points double, opposite points cancel) at the start, in the middle
 * and at the end of the sum.
 */
class PublicTweakTest {

  private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();
  private static final ECPoint G = CURVE.getG();

  private static long[] words(BigInteger v) {
    byte[] b = new byte[32];
    byte[] raw = v.toByteArray();
    int len = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - len, b, 32 - len, len);
    return Scalar.fromBytes(b, 0);
  }

  /** Returns PublicTweak's compress(t·G + k·G), or null. */
  private static byte[] tweak(BigInteger t, BigInteger k) {
    long[] kx = Fe.create();
    long[] ky = Fe.create();
    Secp256k1.decompress(G.multiply(k.mod(N)).normalize().getEncoded(true), kx, ky);
    return PublicTweak.tweakAdd(words(t), kx, ky, Fe.create(), Fe.create());
  }

  private static byte[] expected(BigInteger t, BigInteger k) {
    return G.multiply(t.add(k).mod(N)).normalize().getEncoded(true);
  }

  @Test
  void everyTableEntry_isItsMultipleOfG() {
    // t = j·2^(Wi) recodes to the single digit j in window i, so the sum is G + T[i][j]. The top
    // window's last entry (2^256·G) needs 257 bits: n - 1 in the recoding test reaches it.
    for (int i = 0; i < PublicTweak.WINDOWS; i++) {
      ECPoint base = G.multiply(BigInteger.ONE.shiftLeft(PublicTweak.W * i));
      ECPoint sum = G; // (j·2^(Wi) + 1)·G, one Bouncy Castle addition per entry
      for (int j = 1; j <= (i == PublicTweak.WINDOWS - 1 ? PublicTweak.TOP_ENTRIES : PublicTweak.ENTRIES); j++) {
        sum = sum.add(base);
        BigInteger t = BigInteger.valueOf(j).shiftLeft(PublicTweak.W * i);
        if (t.bitLength() > 256) {
          break;
        }
        assertArrayEquals(sum.normalize().getEncoded(true), tweak(t, BigInteger.ONE), "window " + i + " entry " + j);
      }
    }
  }

  @Test
  void randomPointsAndTweaks_equalBouncyCastle() {
    Random r = new Random(15);
    for (int c = 0; c < 1000; c++) {
      BigInteger k = new BigInteger(256, r).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      BigInteger t = new BigInteger(256, r).mod(N);
      assertArrayEquals(expected(t, k), tweak(t, k), "case " + c);
    }
  }

  @Test
  void recodingEdges_carryChainsAndTheTopWindow_equalBouncyCastle() {
    List<BigInteger> ts = new ArrayList<>();
    ts.add(BigInteger.ZERO); // no digit at all: the result is K
    ts.add(BigInteger.ONE);
    ts.add(N.subtract(BigInteger.ONE)); // top byte FF: carries into the extra window
    ts.add(N.subtract(BigInteger.TWO));
    ts.add(BigInteger.ONE.shiftLeft(255));
    ts.add(BigInteger.ONE.shiftLeft(250).multiply(BigInteger.valueOf(63))); // the top window's largest digit
    ts.add(BigInteger.ONE.shiftLeft(250).multiply(BigInteger.valueOf(63)).add(BigInteger.ONE.shiftLeft(249))); // + carry
    for (String b : new String[] {"80", "81", "7f", "ff", "01", "fe"}) {
      BigInteger t = new BigInteger(b.repeat(32), 16);
      ts.add(t.mod(N));
      ts.add(t.shiftRight(8)); // the same pattern below the top window
    }
    int w = PublicTweak.W;
    int half = PublicTweak.ENTRIES;
    for (int i = 0; i < PublicTweak.WINDOWS - 1; i++) {
      ts.add(BigInteger.valueOf(half).shiftLeft(w * i)); // digit exactly 2^(W-1): no carry
      ts.add(BigInteger.valueOf(half + 1).shiftLeft(w * i)); // digit -(2^(W-1) - 1) and a carry into window i + 1
      ts.add(BigInteger.ONE.shiftLeft(w * i + w).subtract(BigInteger.ONE).min(N.subtract(BigInteger.ONE))); // all ones: carries all the way
    }
    BigInteger k = new BigInteger("3c2ab8f0e1d2", 16);
    for (BigInteger t : ts) {
      assertArrayEquals(expected(t, k), tweak(t, k), "t=" + t.toString(16));
    }
  }

  @Test
  void equalPoints_double_atTheFirstAdditionAndAtTheLast() {
    BigInteger k = new BigInteger("123456789abcdef", 16);
    // With t's only digit equal to K's multiple the first addition meets K itself; with more
    // digits the doubling happens first and the sum goes on from 2K.
    assertArrayEquals(expected(k, k), tweak(k, k), "t·G + K with t = k");
    BigInteger small = BigInteger.valueOf(77);
    assertArrayEquals(expected(small, small), tweak(small, small), "the first addition doubles");
    BigInteger mid = BigInteger.valueOf(77).add(BigInteger.valueOf(3).shiftLeft(PublicTweak.W));
    assertArrayEquals(expected(mid, small), tweak(mid, small), "a doubling in the middle");
  }

  @Test
  void oppositePoints_cancel_toInfinityOrAndThenContinue() {
    BigInteger k = new BigInteger("123456789abcdef", 16);
    assertNull(tweak(N.subtract(k), k), "(n - k)·G + k·G is the point at infinity");
    assertNull(tweak(BigInteger.ONE, N.subtract(BigInteger.ONE)), "G + (-G) is the point at infinity");
    // K = -5G and t = 5 + 3·2^W: the first addition gives the identity, the next one leaves it.
    BigInteger minus5 = N.subtract(BigInteger.valueOf(5));
    BigInteger t = BigInteger.valueOf(5).add(BigInteger.valueOf(3).shiftLeft(PublicTweak.W));
    assertArrayEquals(expected(t, minus5), tweak(t, minus5), "identity in the middle of the sum");
  }
  @Test
  void batch_equalsOneByOne_includingSumsThatDoubleOrCancel() {
    Random r = new Random(16);
    BigInteger k = new BigInteger(256, r).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    List<BigInteger> ts = new ArrayList<>();
    for (int c = 0; c < 60; c++) {
      ts.add(new BigInteger(256, r).mod(N));
    }
    ts.add(5, k); // the sum is 2K
    ts.add(9, N.subtract(k)); // the point at infinity
    ts.add(BigInteger.ZERO); // no digit: K itself
    ts.add(N.subtract(BigInteger.ONE)); // the top window's carry
    long[] kx = Fe.create();
    long[] ky = Fe.create();
    Secp256k1.decompress(G.multiply(k).normalize().getEncoded(true), kx, ky);
    long[][] in = new long[ts.size()][];
    long[][] xs = new long[ts.size()][5];
    long[][] ys = new long[ts.size()][5];
    for (int c = 0; c < in.length; c++) {
      in[c] = words(ts.get(c));
    }
    byte[][] out = PublicTweak.tweakAddBatch(in, kx, ky, xs, ys);
    for (int c = 0; c < in.length; c++) {
      byte[] one = PublicTweak.tweakAdd(in[c], kx, ky, Fe.create(), Fe.create());
      assertArrayEquals(one, out[c], "sum " + c);
      if (one != null) {
        assertArrayEquals(expected(ts.get(c), k), out[c], "sum " + c + " vs Bouncy Castle");
        assertArrayEquals(Secp256k1.compress(xs[c], ys[c]), out[c], "affine output of sum " + c);
      }
    }
    assertNull(out[9], "the cancelling sum");
    // K = 77·G with t = 77 + (other windows): the very first addition of that sum meets K
    BigInteger small = BigInteger.valueOf(77);
    Secp256k1.decompress(G.multiply(small).normalize().getEncoded(true), kx, ky);
    long[][] first = {words(small), words(small.add(BigInteger.ONE.shiftLeft(40))), words(BigInteger.TEN)};
    byte[][] got = PublicTweak.tweakAddBatch(first, kx, ky, new long[3][5], new long[3][5]);
    assertArrayEquals(expected(small, small), got[0]);
    assertArrayEquals(expected(small.add(BigInteger.ONE.shiftLeft(40)), small), got[1]);
    assertArrayEquals(expected(BigInteger.TEN, small), got[2]);
  }
}
