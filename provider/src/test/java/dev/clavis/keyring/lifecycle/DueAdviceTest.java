package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import org.junit.jupiter.api.Test;

/** A due refusal names what the key does and how to get a version that may: per algorithm. */
class DueAdviceTest {

  @Test
  void verb_isWhatTheKeyProtectsWith() {
    assertEquals("encrypt", DueAdvice.verb(KeyAlgorithm.AES_256));
    assertEquals("compute a MAC", DueAdvice.verb(KeyAlgorithm.HMAC_SHA512));
    for (KeyAlgorithm a : new KeyAlgorithm[] {KeyAlgorithm.EC_P256, KeyAlgorithm.RSA, KeyAlgorithm.ED25519,
        KeyAlgorithm.SECP256K1}) {
      assertEquals("sign", DueAdvice.verb(a), a.name());
    }
  }

  @Test
  void remedy_ofAKeyPair_namesBothRotations_andOfASecretKeyRotate() {
    String pair = DueAdvice.remedy("tls", KeyAlgorithm.EC_P384);
    assertTrue(pair.contains("'clavis rotate tls'") && pair.contains("--begin --csr FILE"), pair);
    assertEquals("rotate the key", DueAdvice.remedy("k", KeyAlgorithm.AES_128));
    assertTrue(DueAdvice.remedy("c", KeyAlgorithm.SECP256K1).contains("derive a new key"));
  }
}
