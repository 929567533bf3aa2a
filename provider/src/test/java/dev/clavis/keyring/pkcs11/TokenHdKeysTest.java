package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The token keyring has no derived HD keys, so there is no HD signing or verifying handle to
 * enforce there: it stores a seed entry (a generic secret, sensitive), but cannot derive from it
 * (the seed never leaves the token and the token has no BIP32), and it takes no secp256k1 key.
 * If this changes, the token needs the HD state tests of {@code ManagedHdVerifyTest} too.
 */
class TokenHdKeysTest {

  @Test
  void aSeedOnTheToken_derivesNoChild_andTheTokenTakesNoSecp256k1Key() throws Exception {
    String seed = "seed-" + UUID.randomUUID().toString().substring(0, 8);
    try (KeyringEngine ring = TokenKeyPairTest.open()) {
      ring.importSeed(seed, new byte[32], KeyPolicy.defaults());
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> ring.deriveKey(seed, "m/0'", seed + "-child", KeyPolicy.defaults()));
      assertTrue(e.getMessage().contains("file store"), e.getMessage());
      assertTrue(ring.find(seed + "-child").isEmpty(), "no child was written");
      assertThrows(IllegalArgumentException.class, () -> ring.publicKeyHandle(KeyRef.parse(seed)));
      assertThrows(IllegalArgumentException.class,
          () -> ring.importKey(seed + "-k1", KeyAlgorithm.SECP256K1, new byte[32], KeyPolicy.defaults()));
      assertTrue(ring.find(seed + "-k1").isEmpty());
    }
  }
}
