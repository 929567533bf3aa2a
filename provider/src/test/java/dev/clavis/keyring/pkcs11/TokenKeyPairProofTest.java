package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.security.KeyPair;
import java.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On the token as on the file store: a key pair whose first certificate is of another public key
 * is refused before anything reaches the token (no private key object is created), as a new key,
 * as the next version and as a staged rotation.
 */
class TokenKeyPairProofTest {

  @BeforeAll
  static void providers() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private static KeyPairMaterial foreign(KeyPair kp, KeyPair other, String cn) throws Exception {
    return KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(SelfSignedCertificate.create("CN=" + cn,
        other.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded()));
  }

  private static int privateKeys(Pkcs11Token probe, String label) throws Exception {
    return probe.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY)
        .string(CKA.LABEL, label).build())).length;
  }

  private static void assertNamesTheMismatch(IllegalArgumentException e, String name) {
    assertTrue(e.getMessage().contains("key " + name), e.getMessage());
    assertTrue(e.getMessage().contains("does not match the private key"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA", "ED25519"})
  void importKeyPair_onTheToken_refusesACertificateOfAnotherKey_andStoresNothing(KeyAlgorithm alg) throws Exception {
    try (KeyringEngine ring = TokenKeyPairTest.open(); Pkcs11Token probe = TokenKeyPairTest.probe()) {
      String n = "proof-" + UUID.randomUUID().toString().substring(0, 8);
      KeyPair kp = TokenKeyPairTest.generate(alg, 2048);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.importKeyPair(n, alg,
          foreign(kp, TokenKeyPairTest.generate(alg, 2048), n), KeyPolicy.defaults()));
      assertNamesTheMismatch(e, n);
      assertTrue(ring.find(n).isEmpty(), "nothing stored");
      assertEquals(0, privateKeys(probe, n + "#1"), "no private key reached the token");

      ring.importKeyPair(n, alg, TokenKeyPairTest.material(kp, n), KeyPolicy.defaults()); // its own is taken
      KeyPair next = TokenKeyPairTest.generate(alg, 2048);
      IllegalArgumentException rotation = assertThrows(IllegalArgumentException.class,
          () -> ring.importKeyPair(n, alg, foreign(next, kp, n), KeyPolicy.defaults()));
      assertNamesTheMismatch(rotation, n);
      IllegalArgumentException staged = assertThrows(IllegalArgumentException.class,
          () -> ring.beginRotation(n, foreign(next, kp, n), "renewal"));
      assertNamesTheMismatch(staged, n);
      assertEquals(1, ring.find(n).orElseThrow().versions().size(), "no version added or staged");
      assertEquals(0, privateKeys(probe, n + "#2"), "no second private key on the token");
    }
  }

  @ParameterizedTest
  @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "ED25519"})
  void aKeyPairGeneratedOnTheToken_refusesACertificateOfAnotherKey_andStaysPendingForItsOwn(KeyAlgorithm alg)
      throws Exception {
    try (KeyringEngine ring = TokenKeyPairTest.open();
        TokenGeneratedKeyPair p = TokenGeneratedKeyPair.generate(ring, alg, 0)) {
      String n = "proof-gen-" + UUID.randomUUID().toString().substring(0, 8);
      KeyPair other = TokenKeyPairTest.generate(alg, 0);
      // a certificate of another public key, even signed by the generated private key
      byte[] forged = SelfSignedCertificate.create("CN=" + n, other.getPublic(), p::sign,
          Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ring.importKey(n, alg, p.material(List.of(forged)), KeyPolicy.defaults()));
      assertNamesTheMismatch(e, n);
      assertTrue(ring.find(n).isEmpty(), "nothing stored");
      byte[] own = SelfSignedCertificate.create("CN=" + n, p.publicKey(), p::sign,
          Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded();
      ring.importKey(n, alg, p.material(List.of(own)), KeyPolicy.defaults()); // still pending: taken with its own
      assertEquals(1, ring.find(n).orElseThrow().versions().size());
    }
  }

  @Test
  void aChainReplacementOfAnotherKey_reachingTheTokenBackendDirectly_isRefusedByTheToken() throws Exception {
    try (KeyringEngine ring = TokenKeyPairTest.open()) {
      String n = "chain-" + UUID.randomUUID().toString().substring(0, 8);
      KeyPair kp = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 2048);
      ring.importKeyPair(n, KeyAlgorithm.EC_P256, TokenKeyPairTest.material(kp, n), KeyPolicy.defaults());
      byte[] own = ring.certificates(dev.clavis.keyring.KeyRef.of(n)).get(0);
      KeyPair other = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 2048);
      byte[] foreignChain = KeyPairMaterial.encodeChainReplacement(List.of(SelfSignedCertificate.create("CN=" + n,
          other.getPublic(), other.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded()));
      // past the engine, which checks first: the backend's own check is what stops this caller
      dev.clavis.keyring.KeyringException e = assertThrows(dev.clavis.keyring.KeyringException.class,
          () -> ring.backend().transact((latest, changes) -> {
            changes.importMaterial(dev.clavis.keyring.KeyRef.parse(n + "#1"), KeyAlgorithm.EC_P256, foreignChain,
                false);
            return null;
          }));
      assertTrue(e.getMessage().contains("certifies another key"), e.getMessage());
      assertArrayEquals(own, ring.certificates(dev.clavis.keyring.KeyRef.of(n)).get(0), "the chain is as it was");
    }
  }
}
