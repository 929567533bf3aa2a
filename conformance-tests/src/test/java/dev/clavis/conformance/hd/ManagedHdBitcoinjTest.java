package dev.clavis.conformance.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import org.bitcoinj.core.ECKey;
import org.bitcoinj.core.Sha256Hash;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed HD keys against bitcoinj, an implementation nobody here wrote: the derived key's public
 * key is bitcoinj's for the same seed and BIP44 path, every JCA signature of the managed key
 * verifies with {@code ECKey.verify} and is canonical (low S), and it is byte for byte the
 * signature bitcoinj's own {@code ECKey.sign} makes (RFC 6979, canonicalised). Through the managed
 * public-key handle ({@code Keyring.publicKeyHandle}) Clavis verifies both, and refuses a
 * bitcoinj signature of another message or key.
 */
class ManagedHdBitcoinjTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;

  @BeforeAll
  static void addClavis() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @Test
  void managedHdSignatures_verifyWithBitcoinj_andEqualBitcoinjsOwn_onRandomSeedsPathsAndMessages() throws Exception {
    try (Keyring ring = TestStores.open(dir.resolve("hd.store"))) {
      for (int round = 0; round < 4; round++) {
        byte[] seed = new byte[16 + RANDOM.nextInt(49)];
        RANDOM.nextBytes(seed);
        ring.importSeed("seed" + round, seed, KeyPolicy.defaults());
        int account = RANDOM.nextInt(5);
        int index = RANDOM.nextInt(1 << 20);
        String child = ring.deriveKey("seed" + round, 44, account, 0, index, null, KeyPolicy.defaults()).name();

        DeterministicKey k = HDKeyDerivation.createMasterPrivateKey(seed);
        for (int level : new int[] {44, 0, account, 0, index}) {
          k = HDKeyDerivation.deriveChildKey(k, new ChildNumber(level, true));
        }
        byte[] pub = ring.hdPublicKey(KeyRef.parse(child));
        assertArrayEquals(k.getPubKey(), pub, "public key of " + child);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(ring.publicKeyHandle(KeyRef.parse(child)));

        for (int i = 0; i < 25; i++) {
          byte[] msg = new byte[RANDOM.nextInt(500)];
          RANDOM.nextBytes(msg);
          Signature s = Signature.getInstance("SHA256withECDSA");
          s.initSign(ring.privateKeyHandle(KeyRef.parse(child)));
          s.update(msg);
          byte[] sig = s.sign();
          byte[] hash = MessageDigest.getInstance("SHA-256").digest(msg);
          assertTrue(ECKey.verify(hash, sig, pub), "bitcoinj verifies " + child);
          assertTrue(ECKey.ECDSASignature.decodeFromDER(sig).isCanonical(), "low S");
          assertArrayEquals(k.sign(Sha256Hash.wrap(hash)).encodeToDER(), sig, "bitcoinj's RFC 6979 signature");
          verifier.update(msg);
          assertTrue(verifier.verify(sig), "the managed handle verifies " + child);
          byte[] other = ECKey.fromPrivate(k.getPrivKey().add(BigInteger.ONE)).sign(Sha256Hash.wrap(hash)).encodeToDER();
          verifier.update(msg);
          assertFalse(verifier.verify(other), "another key's signature");
          byte[] shifted = hash.clone();
          shifted[0] ^= 1;
          verifier.update(msg);
          assertFalse(verifier.verify(k.sign(Sha256Hash.wrap(shifted)).encodeToDER()), "another message's signature");
        }
      }
    }
  }
}
