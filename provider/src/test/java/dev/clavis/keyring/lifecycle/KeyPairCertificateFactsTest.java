package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.CertificateInfo;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.ForwardingKeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.provider.x509.KeyPairRotation;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.provider.x509.TestCa;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key-pair version's certificate facts (subject, issuer, serial, validity, chain length) live in
 * its metadata from the moment its chain is set: listing and finding keys, the due date their
 * certificates make, and each version's facts are read without decrypting any version's material,
 * and equal what the chain itself says.
 */
class KeyPairCertificateFactsTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  @TempDir Path dir;

  /** A file store's backend that records every version whose material the engine asks for (a decryption on a cold cache). */
  static class Watched extends ForwardingKeyBackend {
    final List<KeyRef> read = new ArrayList<>();

    Watched(FileKeyBackend inner) {
      super(inner);
    }

    @Override
    public Optional<KeyMaterial> material(KeyRef version) {
      read.add(version);
      return inner.material(version);
    }
  }

  /** As {@link Watched}, for a backend whose chains are public objects (a token's). */
  static class PublicChains extends Watched {
    PublicChains(FileKeyBackend inner) {
      super(inner);
    }

    @Override
    public boolean readsChainsWithoutKeys() {
      return true;
    }
  }

  private KeyringEngine open(Watched[] seen) {
    Watched w = new Watched(FileKeyBackend.open(dir.resolve("pairs.clavis"), "pw".toCharArray(), TestStores.FAST_KDF));
    if (seen != null) {
      seen[0] = w;
    }
    return new KeyringEngine(w, Clock.systemUTC(), Duration.ZERO);
  }

  static KeyPairMaterial pair(String alg, String subject, Instant from, Duration validity) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    if (alg.equals("EC")) {
      g.initialize(new ECGenParameterSpec("secp256r1"));
    }
    KeyPair kp = g.generateKeyPair();
    X509Certificate c = SelfSignedCertificate.create(subject, kp.getPublic(), kp.getPrivate(), from, validity);
    return KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(c.getEncoded()));
  }

  static X509Certificate parse(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  /** Two EC versions, an Ed25519 pair, a staged two-phase rotation, an AES key. */
  private void populate() throws Exception {
    try (KeyringEngine ring = open(null)) {
      ring.importKeyPair("tls", KeyAlgorithm.EC_P256, pair("EC", "CN=tls.example.com,O=Facts", T0,
          Duration.ofDays(365)), KeyPolicy.defaults());
      ring.importKeyPair("tls", KeyAlgorithm.EC_P256, pair("EC", "CN=tls.example.com,O=Facts", T0.plus(Duration.ofDays(100)),
          Duration.ofDays(90)), KeyPolicy.defaults());
      ring.importKeyPair("sig", KeyAlgorithm.ED25519, pair("Ed25519", "CN=signer", T0, Duration.ofDays(30)),
          KeyPolicy.defaults());
      ring.importKeyPair("api", KeyAlgorithm.EC_P256, pair("EC", "CN=api.example", T0, Duration.ofDays(400)),
          KeyPolicy.defaults());
      KeyPairRotation.begin(ring, "api", null);
      ring.create("aes", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
  }

  @Test
  void aBackendWhoseChainsArePublic_hasItsDueDatesReadFromTheChain_notFromTheRecordedFacts() throws Exception {
    populate();
    PublicChains w = new PublicChains(FileKeyBackend.open(dir.resolve("pairs.clavis"), "pw".toCharArray(),
        TestStores.FAST_KDF));
    try (KeyringEngine ring = new KeyringEngine(w, Clock.systemUTC(), Duration.ZERO)) {
      w.read.clear();
      KeyInfo tls = ring.find("tls").orElseThrow();
      assertEquals(List.of(KeyRef.of("tls", 2)), w.read, "the primary's chain is read, as a token's chain objects");
      assertEquals(T0.plus(Duration.ofDays(160)), tls.certificateDue().orElseThrow(), "the same due date");
    }
  }

  @Test
  void aBackendWhoseChainsArePublic_butCannotReadOne_fallsBackToTheRecordedFacts_andListingGoesOn() throws Exception {
    populate();
    PublicChains w = new PublicChains(FileKeyBackend.open(dir.resolve("pairs.clavis"), "pw".toCharArray(),
        TestStores.FAST_KDF)) {
      @Override
      public Optional<KeyMaterial> material(KeyRef version) {
        throw new dev.clavis.keyring.KeyringException("the token failed to read " + version);
      }
    };
    try (KeyringEngine ring = new KeyringEngine(w, Clock.systemUTC(), Duration.ZERO)) {
      assertEquals(4, ring.list().size(), "the list does not fail: tls, sig, api, aes");
      assertEquals(T0.plus(Duration.ofDays(160)), ring.find("tls").orElseThrow().certificateDue().orElseThrow(),
          "tls#2's recorded notAfter minus 30 days");
    }
  }

  @Test
  void listAndFind_ofAStoreOfKeyPairs_decryptNoVersionsMaterial() throws Exception {
    populate();
    Watched[] w = new Watched[1];
    try (KeyringEngine ring = open(w)) {
      w[0].read.clear(); // what opening reads is not the question
      List<KeyInfo> listed = ring.list();
      KeyInfo tls = ring.find("tls").orElseThrow();
      List<CertificateInfo> facts = new ArrayList<>();
      for (KeyInfo k : listed) {
        k.nextRotation();
        k.certificateDue();
        k.versions().forEach(v -> v.certificate().ifPresent(facts::add));
      }
      assertEquals(List.of(), w[0].read, "listing key pairs decrypted versions' material");
      assertEquals(5, facts.size(), "tls#1, tls#2, sig#1, api#1, api#2");
      assertEquals(T0.plus(Duration.ofDays(160)), tls.certificateDue().orElseThrow(), "tls#2's notAfter minus 30 days");
    }
  }

  @Test
  void recordedFacts_equalWhatEachVersionsChainSays_andTheDueDateIsTheSame() throws Exception {
    populate();
    try (KeyringEngine ring = open(null)) {
      for (KeyInfo k : ring.list()) {
        for (KeyVersionInfo v : k.versions()) {
          List<byte[]> chain = ring.certificates(v.ref());
          assertEquals(chain.isEmpty() ? Optional.empty() : Optional.of(CertificateInfo.of(parse(chain.get(0)),
              chain.size())), v.certificate(), v.ref().toString());
        }
        if (k.algorithm().isKeyPair()) {
          X509Certificate leaf = parse(ring.certificates(KeyRef.of(k.name())).get(0));
          assertEquals(CertificateRenewal.dueAt(leaf), k.certificateDue().orElseThrow(), k.name());
        }
      }
      KeyInfo api = ring.find("api").orElseThrow();
      assertEquals(KeyState.PRE_ACTIVE, api.version(2).orElseThrow().state());
      assertEquals("CN=api.example", api.version(2).orElseThrow().certificate().orElseThrow().subject(),
          "the staged version's self-signed certificate");
    }
  }

  @Test
  void aCaReply_recordsTheNewChainsFacts_andADestroyedVersionHasNone() throws Exception {
    populate();
    TestCa ca = new TestCa("CN=Facts CA,O=Test");
    try (KeyringEngine ring = open(null)) {
      X509Certificate staged = parse(ring.certificates(KeyRef.of("api", 2)).get(0));
      X509Certificate leaf = ca.issue("CN=api.example,O=Renewed", staged.getPublicKey());
      ring.completeRotation("api", List.of(leaf.getEncoded(), ca.cert.getEncoded()));
      ring.destroyNow(KeyRef.of("tls", 1));
    }
    try (KeyringEngine ring = open(null)) {
      CertificateInfo c = ring.find("api").orElseThrow().version(2).orElseThrow().certificate().orElseThrow();
      assertEquals(CertificateInfo.of(parse(ring.certificates(KeyRef.of("api", 2)).get(0)), 2), c);
      assertEquals("CN=Facts CA,O=Test", c.issuer());
      assertEquals(2, c.chainLength());
      assertEquals(Optional.empty(), ring.find("tls").orElseThrow().version(1).orElseThrow().certificate(),
          "its chain went with its material");
      assertEquals(List.of(), ring.certificates(KeyRef.of("tls", 1)));
    }
  }
}
