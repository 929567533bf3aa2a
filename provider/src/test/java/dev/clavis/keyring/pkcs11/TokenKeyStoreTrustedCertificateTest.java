package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.provider.x509.TestCa;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trusted-certificate entries of the {@code ClavisPKCS11} key store: each version is an X.509
 * certificate object on the token ({@link TokenTrustedCertificates}), found again by a store opened
 * later, listed by OpenSC's {@code pkcs11-tool}, rotated and destroyed as on the file store, and
 * usable as a PKIX trust store.
 */
class TokenKeyStoreTrustedCertificateTest {

  @BeforeAll
  static void providers() {
    SoftHsm.require(); // fails loudly without SoftHSM2
    TokenKeyStores.installProvider();
  }

  private static KeyStore store() throws Exception {
    return TokenKeyStores.open();
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A name with two trusted-certificate versions in a key store: #1 of {@code first}, #2 of {@code second}. */
  private record TwoVersions(String name, TestCa first, TestCa second) {}

  /** @return a new name of {@code prefix} set twice in {@code ks}, to two CAs' certificates */
  private static TwoVersions setTwice(KeyStore ks, String prefix) throws Exception {
    String n = name(prefix);
    TwoVersions v = new TwoVersions(n, new TestCa("CN=" + n + " 1"), new TestCa("CN=" + n + " 2"));
    ks.setCertificateEntry(n, v.first().cert);
    ks.setCertificateEntry(n, v.second().cert);
    return v;
  }

  @Test
  void setCertificateEntry_answersAsPkcs12_andIsACertificateObjectOnTheToken() throws Exception {
    KeyStore ks = store();
    String n = name("ca");
    TestCa ca = new TestCa("CN=" + n);
    ks.setCertificateEntry(n, ca.cert);
    assertTrue(ks.isCertificateEntry(n));
    assertFalse(ks.isKeyEntry(n));
    assertNull(ks.getKey(n, null), "a trusted certificate entry has no key");
    assertNull(ks.getCertificateChain(n));
    assertEquals(ca.cert, ks.getCertificate(n));
    assertEquals(ca.cert, ks.getCertificate(n + "#1"));
    assertEquals(n, ks.getCertificateAlias(ca.cert));
    assertTrue(ks.entryInstanceOf(n, KeyStore.TrustedCertificateEntry.class));
    assertEquals(ca.cert, ((KeyStore.TrustedCertificateEntry) ks.getEntry(n, null)).getTrustedCertificate());

    // on the token: one X.509 certificate object, private (no write without the PIN), named like every version object
    try (Pkcs11Token probe = TokenKeyPairTest.probe()) {
      long[] h = certificateObjects(probe, n + "#1");
      assertEquals(1, h.length, "certificate objects labelled " + n + "#1");
      AttributeValues v = probe.call(s -> s.getAttributes(h[0], CKA.VALUE, CKA.ID, CKA.PRIVATE, CKA.TOKEN, CKA.MODIFIABLE,
          CKA.CERTIFICATE_TYPE, CKA.SUBJECT, CKA.ISSUER, CKA.SERIAL_NUMBER));
      assertArrayEquals(ca.cert.getEncoded(), v.bytes(CKA.VALUE).orElseThrow());
      assertEquals("clavis:" + n + "#1;CERTIFICATE", v.string(CKA.ID).orElseThrow());
      assertEquals(true, v.bool(CKA.PRIVATE).orElseThrow());
      assertEquals(false, v.bool(CKA.MODIFIABLE).orElseThrow(), "a new certificate is a new version, never a rewrite");
      assertEquals(true, v.bool(CKA.TOKEN).orElseThrow());
      assertEquals(TokenTrustedCertificates.CKC_X_509, v.ulong(CKA.CERTIFICATE_TYPE).orElseThrow());
      assertArrayEquals(ca.cert.getSubjectX500Principal().getEncoded(), v.bytes(CKA.SUBJECT).orElseThrow());
      assertArrayEquals(ca.cert.getIssuerX500Principal().getEncoded(), v.bytes(CKA.ISSUER).orElseThrow());
      assertArrayEquals(TokenTrustedCertificates.derInteger(ca.cert.getSerialNumber().toByteArray()),
          v.bytes(CKA.SERIAL_NUMBER).orElseThrow());
    }
    // a key entry is not overwritten by a trusted certificate, as PKCS12
    String key = name("key");
    KeyPair kp = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 0);
    ks.setKeyEntry(key, kp.getPrivate(), null, new java.security.cert.Certificate[] {
        dev.clavis.provider.x509.SelfSignedCertificate.create("CN=" + key, kp.getPublic(), kp.getPrivate(),
            Instant.now().minusSeconds(60), java.time.Duration.ofDays(30))});
    assertThrows(java.security.KeyStoreException.class, () -> ks.setCertificateEntry(key, ca.cert));
  }

  @Test
  void secondSetCertificateEntry_isVersion2_theFirstDeprecated_andBothSurviveReopening() throws Exception {
    KeyStore ks = store();
    TwoVersions v = setTwice(ks, "rot");
    String n = v.name();
    X509Certificate first = v.first().cert;
    X509Certificate second = v.second().cert;
    assertEquals(second, ks.getCertificate(n));
    assertEquals(first, ks.getCertificate(n + "#1"));
    assertEquals(second, ks.getCertificate(n + "#2"));
    assertEquals("DEPRECATED", status(ks, n + "#1"));
    assertEquals("ACTIVE", status(ks, n + "#2"));

    // close and reopen the same key store, and open another (a new engine indexing the token alone)
    ks.load(null, SoftHsm.PIN.toCharArray());
    for (KeyStore again : new KeyStore[] {ks, store()}) {
      assertTrue(again.isCertificateEntry(n));
      assertFalse(again.isKeyEntry(n));
      assertEquals(second, again.getCertificate(n));
      assertEquals(first, again.getCertificate(n + "#1"));
      assertEquals("2", attribute(again, n, "clavis.version"));
      assertEquals(n, again.getCertificateAlias(second));
    }
  }

  @Test
  void destroy_removesTheCertificateObject_andDeleteEntryTakesTheAliasAway() throws Exception {
    TwoVersions v = setTwice(store(), "gone");
    String n = v.name();
    try (KeyringEngine ring = TokenKeyPairTest.open(); Pkcs11Token probe = TokenKeyPairTest.probe()) {
      assertEquals(1, certificateObjects(probe, n + "#1").length);
      ring.destroyNow(KeyRef.parse(n + "#1")); // DEPRECATED since #2: destroyed at once
      assertEquals(0, certificateObjects(probe, n + "#1").length, "the destroyed version's object is gone");
      assertEquals(1, certificateObjects(probe, n + "#2").length, "the other version's object stays");
      assertTrue(ring.certificates(KeyRef.parse(n + "#1")).isEmpty());
      KeyStore again = store();
      assertNull(again.getCertificate(n + "#1"));
      assertEquals(v.second().cert, again.getCertificate(n));

      again.deleteEntry(n);
      assertFalse(Collections.list(store().aliases()).contains(n));
      assertFalse(store().containsAlias(n));
    }
  }

  @Test
  void export_followsTheEntrysPolicy_asOnTheFileStore() throws Exception {
    String n = name("exp");
    TestCa ca = new TestCa("CN=" + n);
    try (KeyringEngine ring = TokenKeyPairTest.open()) {
      ring.importKey(n, KeyAlgorithm.CERTIFICATE, ca.cert.getEncoded(), dev.clavis.keyring.KeyPolicy.defaults());
      assertThrows(KeyUsageException.class, () -> ring.exportKey(KeyRef.parse(n)), "not created exportable");
      String e = name("exp");
      ring.importKey(e, KeyAlgorithm.CERTIFICATE, ca.cert.getEncoded(),
          dev.clavis.keyring.KeyPolicy.builder().exportable(true).build());
      assertArrayEquals(ca.cert.getEncoded(), ring.exportKey(KeyRef.parse(e)));
      assertThrows(IllegalArgumentException.class,
          () -> ring.importKey(name("bad"), KeyAlgorithm.CERTIFICATE, new byte[] {0x30, 0x03, 1, 2, 3},
              dev.clavis.keyring.KeyPolicy.defaults()), "no certificate: refused");
    }
  }

  /** A transaction that fails after a certificate object was created leaves no object behind. */
  @Test
  void failedTransaction_destroysTheCertificateObjectItCreated() throws Exception {
    String taken = name("taken");
    String fresh = name("fresh");
    TestCa ca = new TestCa("CN=" + fresh);
    try (KeyringEngine ring = TokenKeyPairTest.open(); Pkcs11Token probe = TokenKeyPairTest.probe()) {
      ring.importKey(taken, KeyAlgorithm.CERTIFICATE, ca.cert.getEncoded(), dev.clavis.keyring.KeyPolicy.defaults());
      java.util.Map<String, byte[]> batch = new java.util.LinkedHashMap<>();
      batch.put(fresh, ca.cert.getEncoded()); // its object is created first
      batch.put(taken, ca.cert.getEncoded()); // then the batch fails: the name exists
      assertThrows(RuntimeException.class,
          () -> ring.importKeys(batch, KeyAlgorithm.CERTIFICATE, dev.clavis.keyring.KeyPolicy.defaults()));
      assertTrue(ring.find(fresh).isEmpty());
      assertEquals(0, certificateObjects(probe, fresh + "#1").length, "rolled back: no object left on the token");
      assertEquals(1, certificateObjects(probe, taken + "#1").length);
    }
  }

  @Test
  void trustManagerPkix_overTheTokenStore_acceptsAChainOfItsCa_andRejectsAnotherCas() throws Exception {
    KeyStore ks = store();
    String n = name("root");
    TestCa ca = new TestCa("CN=" + n);
    TestCa stranger = new TestCa("CN=" + name("stranger"));
    ks.setCertificateEntry(n, ca.cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(store()); // the certificate read back from the token by another store
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    assertTrue(java.util.Arrays.asList(tm.getAcceptedIssuers()).contains(ca.cert));
    KeyPair leaf = TestCa.ec();
    tm.checkServerTrusted(new X509Certificate[] {ca.issue("CN=server", leaf.getPublic())}, "ECDHE_ECDSA");
    assertThrows(CertificateException.class, () -> tm.checkServerTrusted(
        new X509Certificate[] {stranger.issue("CN=server", leaf.getPublic())}, "ECDHE_ECDSA"));
  }

  /** OpenSC's pkcs11-tool, a real process, lists the version's certificate object and reads back its DER. */
  @Test
  void pkcs11Tool_listsTheTrustedCertificate_andReadsItsDer(@TempDir Path dir) throws Exception {
    KeyStore ks = store();
    String n = name("tool");
    TestCa ca = new TestCa("CN=" + n);
    ks.setCertificateEntry(n, ca.cert);
    String out = pkcs11Tool("--list-objects", "--type", "cert");
    assertTrue(out.matches("(?s).*Certificate Object.*label:\\s+" + java.util.regex.Pattern.quote(n + "#1")
        + "\\s*\n.*"), out);
    assertTrue(out.contains(n), out);
    Path der = dir.resolve("c.der");
    pkcs11Tool("--read-object", "--type", "cert", "--label", n + "#1", "--output-file", der.toString());
    assertArrayEquals(ca.cert.getEncoded(), Files.readAllBytes(der), "pkcs11-tool reads the certificate's DER");
  }

  private static String pkcs11Tool(String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("pkcs11-tool", "--module",
        SoftHsm.LIBRARY.toString(), "--token-label", SoftHsm.LABEL, "--login", "--pin", SoftHsm.PIN));
    cmd.addAll(java.util.List.of(args));
    // stderr apart: its unbuffered warnings would land inside the buffered listing
    Path err = Files.createTempFile("pkcs11-tool", ".err");
    try {
      Process tool = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(tool.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, tool.exitValue(), out + Files.readString(err));
      return out;
    } finally {
      Files.delete(err);
    }
  }

  private static long[] certificateObjects(Pkcs11Token probe, String label) throws Exception {
    return probe.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.CERTIFICATE)
        .string(CKA.LABEL, label).build()));
  }

  private static String status(KeyStore ks, String alias) throws Exception {
    return attribute(ks, alias, "clavis.status");
  }

  private static String attribute(KeyStore ks, String alias, String name) throws Exception {
    for (KeyStore.Entry.Attribute a : ks.getEntry(alias, null).getAttributes()) {
      if (a.getName().equals(name)) {
        return a.getValue();
      }
    }
    throw new AssertionError("no attribute " + name + " on " + alias);
  }
}
