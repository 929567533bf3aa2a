package dev.clavis.conformance.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import java.util.List;
import java.util.Random;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.bitcoinj.params.MainNetParams;
import org.junit.jupiter.api.Test;

/**
 * CKDpub (the variable-time {@code PublicTweak} path) against bitcoinj: 1,000 random xpubs, each
 * with a random non-hardened index, and that child's own child (so a derived point is used as a
 * parent too). The child xpub (chain code, depth, fingerprint, index, point) and the compressed
 * key must be identical.
 */
class XpubChildBitcoinjTest {

  private static final int PARENTS = 1000;

  @Test
  void thousandRandomXpubsAndIndices_childAndGrandchild_equalBitcoinj() {
    NetworkParameters params = MainNetParams.get();
    Random r = new Random(20261207);
    for (int s = 0; s < PARENTS; s++) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      DeterministicKey account = HDKeyDerivation.deriveChildKey(
          HDKeyDerivation.createMasterPrivateKey(seed), new ChildNumber(r.nextInt() | 0x80000000));
      String xpub = account.serializePubB58(params);
      DeterministicKey theirs = DeterministicKey.deserializeB58(xpub, params);
      ExtendedPublicKey ours = ExtendedPublicKey.fromBase58(xpub);
      int index = r.nextInt(4) == 0 ? r.nextInt(20) : r.nextInt() & 0x7FFFFFFF; // a quarter address-gap sized
      int next = r.nextInt(20);
      String id = "xpub #" + s + " child " + index;
      DeterministicKey theirChild = HDKeyDerivation.deriveChildKey(theirs, new ChildNumber(index));
      ExtendedPublicKey ourChild = ours.deriveChild(index);
      assertEquals(theirChild.serializePubB58(params), ourChild.toBase58(), id + ": child xpub");
      assertArrayEquals(theirChild.getPubKey(), ourChild.getCompressed(), id + ": compressed key");
      DeterministicKey theirGrandchild = HDKeyDerivation.deriveChildKey(theirChild, new ChildNumber(next));
      ExtendedPublicKey ourGrandchild = ourChild.deriveChild(next);
      assertEquals(theirGrandchild.serializePubB58(params), ourGrandchild.toBase58(), id + "/" + next + ": grandchild xpub");
    }
  }
  @Test
  void deriveChildren_runsOfChildren_equalBitcoinjAndDeriveChild() {
    NetworkParameters params = MainNetParams.get();
    Random r = new Random(8);
    for (int s = 0; s < 60; s++) {
      byte[] seed = new byte[32];
      r.nextBytes(seed);
      DeterministicKey account = HDKeyDerivation.deriveChildKey(
          HDKeyDerivation.createMasterPrivateKey(seed), new ChildNumber(r.nextInt() | 0x80000000));
      String xpub = account.serializePubB58(params);
      DeterministicKey theirs = DeterministicKey.deserializeB58(xpub, params);
      ExtendedPublicKey ours = ExtendedPublicKey.fromBase58(xpub);
      int first = s % 3 == 0 ? 0 : r.nextInt(Integer.MAX_VALUE - 100);
      int count = 1 + r.nextInt(40);
      List<ExtendedPublicKey> run = ours.deriveChildren(first, count);
      assertEquals(count, run.size());
      for (int k = 0; k < count; k++) {
        String id = "xpub #" + s + " child " + (first + k);
        DeterministicKey theirChild = HDKeyDerivation.deriveChildKey(theirs, new ChildNumber(first + k));
        assertEquals(theirChild.serializePubB58(params), run.get(k).toBase58(), id);
        assertEquals(ours.deriveChild(first + k), run.get(k), id + ": equal to deriveChild");
        assertEquals(ours.deriveChild(first + k).getPath(), run.get(k).getPath(), id + ": path");
      }
    }
  }

  @Test
  void deriveChildren_refusesHardenedOrNegativeRanges_andAcceptsTheLastIndices() {
    byte[] seed = new byte[32];
    ExtendedPublicKey xpub = ExtendedPrivateKey.fromSeed(seed).derive("m/0'").getPublicKey();
    assertEquals(List.of(), xpub.deriveChildren(5, 0));
    List<ExtendedPublicKey> last = xpub.deriveChildren(Integer.MAX_VALUE - 2, 3);
    assertEquals(xpub.deriveChild(Integer.MAX_VALUE), last.get(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> xpub.deriveChildren(Integer.MAX_VALUE - 2, 4));
    assertTrue(e.getMessage().contains("non-hardened"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> xpub.deriveChildren(0x80000000, 2));
    assertThrows(IllegalArgumentException.class, () -> xpub.deriveChildren(0, -1));
  }
}
