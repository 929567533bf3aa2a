package dev.clavis.conformance.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import dev.clavis.hd.Network;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.bitcoinj.params.MainNetParams;
import org.bitcoinj.params.TestNet3Params;
import org.junit.jupiter.api.Test;

/**
 * Random seeds and random paths (mixed hardened and non-hardened, indices over the whole 31-bit
 * range) derived by Clavis and by bitcoinj: private scalars, xprv, xpub and public points equal.
 */
class BitcoinjDifferentialTest {

  private static final int SEEDS = 300;

  /** A random path of 1 to 8 steps; about half hardened; a quarter of the indices small. */
  private static int[] randomPath(Random r) {
    int[] p = new int[1 + r.nextInt(8)];
    for (int i = 0; i < p.length; i++) {
      int index = r.nextInt(4) == 0 ? r.nextInt(10) : r.nextInt() & 0x7FFFFFFF;
      p[i] = r.nextBoolean() ? index | 0x80000000 : index;
    }
    return p;
  }

  private static String format(int[] p, boolean hSuffix) {
    StringBuilder b = new StringBuilder("m");
    for (int i : p) {
      b.append('/').append(i & 0x7FFFFFFF);
      if (i < 0) {
        b.append(hSuffix ? "h" : "'");
      }
    }
    return b.toString();
  }

  @Test
  void randomSeedsAndPaths_privateDerivation_equalsBitcoinj() throws Exception {
    KeyFactory kf = KeyFactory.getInstance("BIP32", new ClavisProvider());
    Random r = new Random(20261122);
    for (int s = 0; s < SEEDS; s++) {
      byte[] seed = new byte[16 + r.nextInt(49)];
      r.nextBytes(seed);
      int[] path = randomPath(r);
      boolean testnet = s % 5 == 0;
      NetworkParameters params = testnet ? TestNet3Params.get() : MainNetParams.get();
      String id = "seed #" + s + " path " + format(path, false);

      DeterministicKey theirs = HDKeyDerivation.createMasterPrivateKey(seed);
      ExtendedPrivateKey ours = (ExtendedPrivateKey) kf.generatePrivate(
          new HDKeySpec(seed, "m", testnet ? Network.TESTNET : Network.MAINNET));
      for (int step = 0; step < path.length; step++) {
        theirs = HDKeyDerivation.deriveChildKey(theirs, new ChildNumber(path[step]));
        ours = ours.deriveChild(path[step]);
        String at = id + " step " + (step + 1);
        assertEquals(theirs.getPrivKey(), ours.getS(), at + ": private scalar");
        assertEquals(theirs.serializePrivB58(params), ours.toBase58(), at + ": xprv");
      }
      ExtendedPublicKey pub = ours.getPublicKey();
      assertEquals(theirs.serializePubB58(params), pub.toBase58(), id + ": xpub");
      assertArrayEquals(theirs.getPubKey(), pub.getCompressed(), id + ": compressed point");
      org.bouncycastle.math.ec.ECPoint point = theirs.getPubKeyPoint().normalize();
      assertEquals(point.getAffineXCoord().toBigInteger(), pub.getW().getAffineX(), id + ": x");
      assertEquals(point.getAffineYCoord().toBigInteger(), pub.getW().getAffineY(), id + ": y");
      // The same path through the spec, with the other hardened spelling.
      ExtendedPrivateKey viaSpec = (ExtendedPrivateKey) kf.generatePrivate(
          new HDKeySpec(seed, format(path, true), testnet ? Network.TESTNET : Network.MAINNET));
      assertEquals(ours.toBase58(), viaSpec.toBase58(), id + ": spec path");
    }
  }

  @Test
  void randomXpubsAndNonHardenedPaths_publicDerivation_equalsBitcoinj() throws Exception {
    KeyFactory kf = KeyFactory.getInstance("BIP32", new ClavisProvider());
    NetworkParameters params = MainNetParams.get();
    Random r = new Random(7);
    for (int s = 0; s < SEEDS; s++) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      DeterministicKey account = HDKeyDerivation.deriveChildKey(
          HDKeyDerivation.createMasterPrivateKey(seed), new ChildNumber(r.nextInt() | 0x80000000));
      String xpub = account.serializePubB58(params);
      DeterministicKey theirs = DeterministicKey.deserializeB58(xpub, params);
      List<Integer> steps = new ArrayList<>();
      int n = 1 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        steps.add(r.nextBoolean() ? r.nextInt(100) : r.nextInt() & 0x7FFFFFFF);
      }
      StringBuilder path = new StringBuilder("m");
      for (int i : steps) {
        theirs = HDKeyDerivation.deriveChildKey(theirs, new ChildNumber(i));
        path.append('/').append(i);
      }
      ExtendedPublicKey ours = (ExtendedPublicKey) kf.generatePublic(new HDKeySpec(xpub, path.toString()));
      String id = "xpub #" + s + " path " + path;
      assertEquals(theirs.serializePubB58(params), ours.toBase58(), id + ": xpub");
      assertEquals(new BigInteger(1, theirs.getPubKeyPoint().normalize().getAffineXCoord().getEncoded()),
          ours.getW().getAffineX(), id + ": x");
    }
  }
}
