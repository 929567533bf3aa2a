package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.testkit.MutableClock;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key pair is due for rotation at its certificate's notAfter minus a margin (reported, not
 * rotated), keeps signing until notAfter, and refuses to sign after it.
 */
class CertificateRenewalTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  MutableClock clock;
  KeyringEngine ring;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() {
    clock = new MutableClock(T0);
    ring = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF), clock, Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private void importPair(String name, Duration validity, KeyPolicy policy) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X509Certificate c = SelfSignedCertificate.create("CN=" + name, kp.getPublic(), kp.getPrivate(), T0, validity);
    ring.importKeyPair(name, KeyAlgorithm.EC_P256, KeyPairMaterial.of(kp.getPrivate().getEncoded(),
        List.of(c.getEncoded())), policy);
  }

  private byte[] sign(String ref) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(ring.privateKeyHandle(KeyRef.parse(ref)));
    s.update(new byte[] {1, 2, 3});
    return s.sign();
  }

  @Test
  void nextRotation_ofAKeyPair_isNotAfterMinusThirtyDays() throws Exception {
    importPair("tls", Duration.ofDays(365), KeyPolicy.defaults());
    assertEquals(T0.plus(Duration.ofDays(335)), ring.find("tls").orElseThrow().nextRotation().orElseThrow());
    assertEquals(T0.plus(Duration.ofDays(335)), ring.find("tls").orElseThrow().certificateDue().orElseThrow());
  }

  @Test
  void nextRotation_ofAShortLivedCertificate_isAThirdOfItsValidityBeforeNotAfter() throws Exception {
    importPair("short", Duration.ofDays(30), KeyPolicy.defaults());
    assertEquals(T0.plus(Duration.ofDays(20)), ring.find("short").orElseThrow().nextRotation().orElseThrow());
  }

  @Test
  void nextRotation_isTheRotationPeriodWhenItComesFirst() throws Exception {
    importPair("aged", Duration.ofDays(365), KeyPolicy.builder().rotationPeriod(Duration.ofDays(90)).build());
    assertEquals(T0.plus(Duration.ofDays(90)), ring.find("aged").orElseThrow().nextRotation().orElseThrow());
  }

  @Test
  void rotateDue_reportsADueKeyPairButRotatesOnlyTheSecretKeys() throws Exception {
    importPair("tls", Duration.ofDays(365), KeyPolicy.builder().rotationPeriod(Duration.ofDays(1)).build());
    ring.create("aes", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(1)).build());
    clock.advance(Duration.ofDays(2));
    List<KeyVersionInfo> rotated = ring.rotateDue();
    assertEquals(List.of("aes#2"), rotated.stream().map(v -> v.ref().toString()).toList());
    assertEquals(1, ring.find("tls").orElseThrow().versions().size(), "a key pair is not rotated by itself");
    assertFalse(clock.instant().isBefore(ring.find("tls").orElseThrow().nextRotation().orElseThrow()), "reported due");
  }

  @Test
  void keyPair_signsInTheMarginAndThroughNotAfter() throws Exception {
    importPair("tls", Duration.ofDays(365), KeyPolicy.defaults());
    clock.advance(Duration.ofDays(340));
    assertNotNull(sign("tls"), "due, but the certificate is still valid");
    clock.advance(Duration.ofDays(25));
    assertNotNull(sign("tls#1"), "valid through notAfter inclusive");
  }

  @Test
  void keyPair_refusesToSignAfterItsCertificatesNotAfter_namingKeyVersionAndNotAfter() throws Exception {
    importPair("tls", Duration.ofDays(365), KeyPolicy.defaults());
    assertNotNull(sign("tls"), "a first signature caches the grant");
    clock.advance(Duration.ofDays(365).plusSeconds(1));
    for (String ref : List.of("tls", "tls#1")) {
      Exception e = assertThrows(Exception.class, () -> sign(ref));
      String msg = e.getMessage();
      assertTrue(msg.contains("tls#1") && msg.contains("notAfter") && msg.contains(T0.plus(Duration.ofDays(365)).toString()),
          msg);
    }
  }
  @Test
  void keyPair_overItsRotationPeriod_isRefusedSayingItMayNotSign_andHowToRotateIt() throws Exception {
    importPair("jws", Duration.ofDays(365), KeyPolicy.builder().rotationPeriod(Duration.ofDays(30)).build());
    assertNotNull(sign("jws"));
    clock.advance(Duration.ofDays(31));
    Exception e = assertThrows(Exception.class, () -> sign("jws"));
    String msg = e.getMessage();
    assertTrue(msg.contains("jws#1") && msg.contains("rotation period") && msg.contains("it may not sign")
        && msg.contains("clavis rotate jws --begin --csr FILE"), msg);
    assertFalse(msg.contains("encrypt"), msg);
    assertNotNull(sign("jws#1"), "the exact version is not due by age: it names what the caller wants");
  }
}
