package dev.clavis.provider.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-phase rotation of a key pair: the staged PRE_ACTIVE version publishes its certificate and
 * signs only its own PKCS#10 request (checked by Bouncy Castle and by openssl as a process), a CA
 * reply (issued by openssl) lands on it, and {@code completeRotation} makes it sign.
 */
class KeyPairRotationTest {

  @TempDir Path dir;
  KeyStore ks;
  Keyring ring;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() throws Exception {
    ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(dir.resolve("rot.clavis"), "pw".toCharArray()));
    KeyPair a = ec();
    X509Certificate c = SelfSignedCertificate.create("CN=api.example.com,O=Clavis", a.getPublic(), a.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(90));
    ks.setKeyEntry("api", a.getPrivate(), null, new Certificate[] {c});
    ring = ((ManagedPrivateKey) ks.getKey("api", null)).keyring();
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private List<String> audit() {
    return ring.auditLog().events().stream().map(e -> e.action() + " " + e.key()).collect(Collectors.toList());
  }

  @Test
  void begin_stagesAPreActiveVersionWhoseCertificateIsReadable() throws Exception {
    KeyVersionInfo v = KeyPairRotation.begin(ring, "api", null);
    assertEquals(2, v.version());
    assertEquals(KeyState.PRE_ACTIVE, v.state());
    X509Certificate one = (X509Certificate) ks.getCertificate("api#1");
    X509Certificate two = (X509Certificate) ks.getCertificate("api#2");
    assertEquals(one.getSubjectX500Principal(), two.getSubjectX500Principal(), "same subject");
    assertFalse(one.getPublicKey().equals(two.getPublicKey()), "a new key pair");
    assertEquals(one, ks.getCertificate("api"), "the old version stays the primary until complete");
  }

  @Test
  void preActiveVersion_doesNotSign() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    Signature s = Signature.getInstance("SHA256withECDSA");
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> s.initSign((PrivateKey) ks.getKey("api#2", null)));
    assertTrue(e.getMessage().contains("api#2") && e.getMessage().contains("PRE_ACTIVE"), e.getMessage());
  }

  @Test
  void request_ofTheStagedVersion_verifiesInBouncyCastleAndOpenssl_andIsAudited() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    byte[] csr = KeyPairRotation.request(ring, KeyRef.parse("api#2"));
    org.bouncycastle.jce.PKCS10CertificationRequest bc = new org.bouncycastle.jce.PKCS10CertificationRequest(csr);
    boolean added = Security.getProvider("BC") == null
        && Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()) > 0;
    try {
      assertTrue(bc.verify("BC"), "Bouncy Castle verifies the proof of possession");
    } finally {
      if (added) {
        Security.removeProvider("BC");
      }
    }
    assertArrayEquals(ks.getCertificate("api#2").getPublicKey().getEncoded(), bc.getCertificationRequestInfo().getSubjectPublicKeyInfo().getEncoded());
    Path f = dir.resolve("api.csr");
    Files.writeString(f, CertificationRequest.pem(csr));
    String out = openssl("req", "-in", f.toString(), "-verify", "-noout", "-subject");
    assertTrue(out.contains("api.example.com"), out);
    assertTrue(audit().contains("csr-sign api#2"), audit().toString());
  }

  @Test
  void requestSigning_refusesAnotherPublicKey() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    byte[] foreign = CertificationRequest.requestInfo(new X500Principal("CN=evil"), ec().getPublic());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.signCertificationRequest(KeyRef.parse("api#2"), "SHA256withECDSA", foreign));
    assertTrue(e.getMessage().contains("api#2"), e.getMessage());
    assertFalse(audit().contains("csr-sign api#2"), "nothing signed, nothing recorded");
  }

  @Test
  void requestSigning_refusesBytesThatAreNoRequest() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    byte[] spki = ks.getCertificate("api#2").getPublicKey().getEncoded();
    List<byte[]> attempts = new ArrayList<>();
    attempts.add("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(StandardCharsets.US_ASCII)); // a JWS input
    attempts.add(((X509Certificate) ks.getCertificate("api#2")).getTBSCertificate());
    byte[] good = CertificationRequest.requestInfo(new X500Principal("CN=x"), ks.getCertificate("api#2").getPublicKey());
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3); // the request, then bytes of the caller's choice
    attempts.add(trailing);
    byte[] spkiOnly = SelfSignedCertificate.seq(spki);
    attempts.add(spkiOnly);
    for (byte[] a : attempts) {
      assertThrows(IllegalArgumentException.class,
          () -> ring.signCertificationRequest(KeyRef.parse("api#2"), "SHA256withECDSA", a));
    }
    assertFalse(audit().contains("csr-sign api#2"));
  }

  @Test
  void requestSigning_refusesADeprecatedVersion() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    ring.completeRotation("api");
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> KeyPairRotation.request(ring, KeyRef.parse("api#1")));
    assertTrue(e.getMessage().contains("api#1") && e.getMessage().contains("DEPRECATED"), e.getMessage());
  }

  @Test
  void caReply_landsOnTheStagedVersion_andCompleteMakesItSign() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    Path csr = dir.resolve("api.csr");
    Files.writeString(csr, CertificationRequest.pem(KeyPairRotation.request(ring, KeyRef.parse("api#2"))));
    Path caKey = dir.resolve("ca.key");
    Path caCert = dir.resolve("ca.pem");
    Path leaf = dir.resolve("leaf.pem");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
        caKey.toString(), "-out", caCert.toString(), "-subj", "/CN=Test CA", "-days", "30");
    openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-out", leaf.toString(), "-days", "30");
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate issued = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(leaf)));
    X509Certificate ca = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caCert)));
    // what keytool -importcert of a CA reply does: the chain goes to the version it certifies
    ks.setKeyEntry("api", ks.getKey("api", null), null, new Certificate[] {issued, ca});
    assertEquals(issued, ks.getCertificate("api#2"));
    assertEquals(2, ks.getCertificateChain("api#2").length);
    assertEquals(KeyState.PRE_ACTIVE, ring.find("api").orElseThrow().versions().get(1).state(), "still staged");

    ring.completeRotation("api");
    assertEquals(issued, ks.getCertificate("api"), "the primary presents the CA's certificate");
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign((PrivateKey) ks.getKey("api", null));
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA", "SunEC");
    v.initVerify(issued.getPublicKey());
    v.update(new byte[] {1, 2, 3});
    assertTrue(v.verify(sig), "the new version signs, verifiable with the issued certificate");
  }

  @Test
  void completeWithTheCaReply_putsTheChainOnTheStagedVersionAndActivatesIt_auditedInOneCommit() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    TestCa ca = new TestCa("CN=Rotation CA");
    X509Certificate issued = ca.issue("CN=api.example.com,O=Clavis", ks.getCertificate("api#2").getPublicKey());
    int before = ring.auditLog().events().size();
    KeyVersionInfo v = ring.completeRotation("api", List.of(issued.getEncoded(), ca.cert.getEncoded()));
    assertEquals(2, v.version());
    assertEquals(KeyState.ACTIVE, v.state());
    assertEquals(KeyState.DEPRECATED, ring.find("api").orElseThrow().version(1).orElseThrow().state());
    assertEquals(issued, ks.getCertificate("api"), "the primary presents the CA's certificate");
    assertEquals(2, ks.getCertificateChain("api").length);
    assertEquals("CN=Rotation CA", v.certificate().orElseThrow().issuer(), "the facts listing shows are the reply's");
    List<dev.clavis.keyring.AuditEvent> events = ring.auditLog().events();
    List<String> added = events.subList(before, events.size()).stream().map(e -> e.action() + " " + e.key()).toList();
    assertEquals(List.of("certificate api#2", "rotate-complete api#2", "deprecate api#1"), added);
    assertEquals(1, events.subList(before, events.size()).stream().map(e -> e.time()).distinct().count(),
        "one transaction: one time for all three");
  }

  @Test
  void completeWithAReplyForAnotherKey_orWithNothingStaged_isRefused_andNothingChanges() throws Exception {
    TestCa ca = new TestCa("CN=Rotation CA");
    byte[] foreign = ca.issue("CN=api.example.com,O=Clavis", ec().getPublic()).getEncoded();
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> ring.completeRotation("api", List.of(foreign)));
    assertTrue(none.getMessage().contains("no rotation is in progress"), none.getMessage());
    KeyPairRotation.begin(ring, "api", null);
    byte[] self = ks.getCertificate("api#2").getEncoded();
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> ring.completeRotation("api", List.of(foreign)));
    assertTrue(other.getMessage().contains("certifies another key than api#2"), other.getMessage());
    assertEquals(KeyState.PRE_ACTIVE, ring.find("api").orElseThrow().version(2).orElseThrow().state());
    assertEquals(KeyState.ROTATING, ring.find("api").orElseThrow().version(1).orElseThrow().state());
    assertArrayEquals(self, ks.getCertificate("api#2").getEncoded(), "the staged chain is unchanged");
  }

  @Test
  void completeWithAnExpiredOrNotYetValidReply_isRefusedInTheWrite_andTheRotationStaysStaged() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    TestCa ca = new TestCa("CN=Rotation CA");
    java.security.PublicKey staged = ks.getCertificate("api#2").getPublicKey();
    java.time.Instant now = java.time.Instant.now();
    byte[] self = ks.getCertificate("api#2").getEncoded();
    byte[] expired = ca.issue("CN=api.example.com", staged, now.minusSeconds(86400 * 2), now.minusSeconds(3600))
        .getEncoded();
    byte[] future = ca.issue("CN=api.example.com", staged, now.plusSeconds(86400), now.plusSeconds(86400 * 30))
        .getEncoded();
    IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class,
        () -> ring.completeRotation("api", List.of(expired, ca.cert.getEncoded())));
    assertTrue(e1.getMessage().contains("expired"), e1.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> ring.completeRotation("api", List.of(future, ca.cert.getEncoded())));
    assertTrue(e2.getMessage().contains("valid only from"), e2.getMessage());
    assertEquals(KeyState.PRE_ACTIVE, ring.find("api").orElseThrow().version(2).orElseThrow().state());
    assertEquals(KeyState.ROTATING, ring.find("api").orElseThrow().version(1).orElseThrow().state());
    assertArrayEquals(self, ks.getCertificate("api#2").getEncoded(), "the staged chain is unchanged");
  }

  @Test
  void begin_onASecretKey_isRefused() throws Exception {
    ring.create("aes", dev.clavis.keyring.KeyAlgorithm.AES_256, dev.clavis.keyring.KeyPolicy.defaults());
    assertThrows(IllegalArgumentException.class, () -> KeyPairRotation.begin(ring, "aes", null));
    assertThrows(IllegalArgumentException.class, () -> ring.beginRotation("aes",
        KeyPairMaterial.of(ec().getPrivate().getEncoded(), List.of(ks.getCertificate("api").getEncoded())), null));
  }

  @Test
  void begin_twice_isRefused_andAbortDropsTheStagedVersion() throws Exception {
    KeyPairRotation.begin(ring, "api", null);
    assertThrows(IllegalStateException.class, () -> KeyPairRotation.begin(ring, "api", null));
    ring.abortRotation("api");
    assertEquals(KeyState.ACTIVE, ring.find("api").orElseThrow().primary().orElseThrow().state());
    assertEquals(3, KeyPairRotation.begin(ring, "api", null).version());
  }

  @Test
  void begin_withASubject_certifiesTheStagedPairUnderIt_andABadOneStagesNothing() throws Exception {
    KeyVersionInfo v = KeyPairRotation.begin(ring, "api", "CN=api2.example.com,O=Clavis", null);
    assertEquals(new X500Principal("CN=api2.example.com,O=Clavis"),
        ((X509Certificate) ks.getCertificate(v.ref().toString())).getSubjectX500Principal());
    ring.abortRotation("api");
    assertThrows(IllegalArgumentException.class, () -> KeyPairRotation.begin(ring, "api", "not a name", null));
    assertEquals(1, ring.find("api").orElseThrow().primary().orElseThrow().version());
    assertEquals(KeyState.ACTIVE, ring.find("api").orElseThrow().primary().orElseThrow().state(), "nothing staged");
  }

  @Test
  void plainRotationOfAKeyPair_namesTheWaysItCanBeRotated() {
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> ring.rotate("api", null));
    assertTrue(one.getMessage().contains("clavis rotate api --begin --csr FILE")
        && one.getMessage().contains("--complete --cert FILE") && one.getMessage().contains("KeyPairRotation.begin"),
        one.getMessage());
    IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> ring.beginRotation("api"));
    assertTrue(two.getMessage().contains("--begin --csr FILE"), two.getMessage());
  }

  private String openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl finished");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }
}
