package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Private-key and trusted-certificate entries of the Clavis key store (file store). */
class KeyPairKeyStoreTest {

  static final char[] PW = "store password".toCharArray();
  static final BouncyCastleProvider BC = new BouncyCastleProvider();
  @TempDir Path dir;
  KeyStore ks;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() throws Exception {
    ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(dir.resolve("pairs.clavis"), PW));
  }

  private static Map<String, String> attrs(KeyStore.Entry e) {
    Map<String, String> m = new HashMap<>();
    e.getAttributes().forEach(a -> m.put(a.getName(), a.getValue()));
    return m;
  }

  @ParameterizedTest
  @EnumSource(KeyPairFixtures.Type.class)
  void setKeyEntry_eachKeyType_storesVersion1_handleIsOpaquePrivateKey(KeyPairFixtures.Type t) throws Exception {
    KeyPair kp = t.generate();
    Certificate[] chain = KeyPairFixtures.chain(kp, "k");
    ks.setKeyEntry("k", kp.getPrivate(), null, chain);
    assertTrue(ks.isKeyEntry("k"));
    assertFalse(ks.isCertificateEntry("k"));
    PrivateKey h = (PrivateKey) ks.getKey("k", null);
    assertInstanceOf(ManagedPrivateKey.class, h);
    assertNull(h.getEncoded(), "not exportable: no encoding");
    assertNull(h.getFormat());
    assertFalse(h.toString().contains("BEGIN"));
    assertArrayEquals(chain, ks.getCertificateChain("k"));
    assertEquals(chain[0], ks.getCertificate("k#1"));
    KeyStore.Entry e = ks.getEntry("k", null);
    assertInstanceOf(KeyStore.PrivateKeyEntry.class, e);
    assertEquals("ACTIVE", attrs(e).get("clavis.status"));
    assertEquals("1", attrs(e).get("clavis.version"));
    assertTrue(ks.entryInstanceOf("k", KeyStore.PrivateKeyEntry.class));
    assertEquals("k", ks.getCertificateAlias(chain[0]));
  }

  @ParameterizedTest
  @EnumSource(KeyPairFixtures.Type.class)
  void managedSignature_reachedByDelayedSelection_verifiedByJdkAndBouncyCastle(KeyPairFixtures.Type t) throws Exception {
    KeyPair kp = t.generate();
    ks.setKeyEntry("signer", kp.getPrivate(), null, KeyPairFixtures.chain(kp, "signer"));
    PrivateKey h = (PrivateKey) ks.getKey("signer", null);
    for (int i = 0; i < 3; i++) {
      byte[] msg = new byte[1 + i * 700];
      new java.security.SecureRandom().nextBytes(msg);
      Signature s = Signature.getInstance(t.sigAlg);
      s.initSign(h);
      s.update(msg);
      byte[] sig = s.sign();
      assertEquals("Clavis", s.getProvider().getName(), "delayed provider selection must land on Clavis");
      Signature jdk = Signature.getInstance(t.sigAlg, t.jdkProvider);
      jdk.initVerify(ks.getCertificate("signer").getPublicKey());
      jdk.update(msg);
      assertTrue(jdk.verify(sig), t + ": the JDK verifies the managed signature");
      Signature bc = Signature.getInstance(t.sigAlg, BC);
      bc.initVerify(ks.getCertificate("signer").getPublicKey());
      bc.update(msg);
      assertTrue(bc.verify(sig), t + ": Bouncy Castle verifies the managed signature");
    }
  }

  @ParameterizedTest
  @EnumSource(KeyPairFixtures.Type.class)
  void managedPublicHandle_verifiesBouncyCastleSignatures_andRejectsTampered(KeyPairFixtures.Type t) throws Exception {
    KeyPair kp = t.generate();
    ks.setKeyEntry("v", kp.getPrivate(), null, KeyPairFixtures.chain(kp, "v"));
    ManagedPrivateKey h = (ManagedPrivateKey) ks.getKey("v", null);
    byte[] msg = "a random message".getBytes();
    Signature bc = Signature.getInstance(t.sigAlg, BC);
    bc.initSign(kp.getPrivate());
    bc.update(msg);
    byte[] sig = bc.sign();
    for (KeyRef r : List.of(KeyRef.parse("v"), KeyRef.parse("v#1"))) {
      Signature s = Signature.getInstance(t.sigAlg);
      s.initVerify(h.keyring().publicKeyHandle(r));
      s.update(msg);
      assertTrue(s.verify(sig));
      assertEquals("Clavis", s.getProvider().getName());
      s.update("another message".getBytes());
      assertFalse(s.verify(sig));
    }
  }

  @Test
  void rotation_newVersionActive_oldDeprecated_eachKeepsItsChain_deprecatedNoLongerSigns() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    KeyPair b = KeyPairFixtures.Type.EC_P256.generate();
    Certificate[] ca = KeyPairFixtures.chain(a, "tls v1");
    Certificate[] cb = KeyPairFixtures.chain(b, "tls v2");
    ks.setKeyEntry("tls", a.getPrivate(), null, ca);
    ks.setEntry("tls", new KeyStore.PrivateKeyEntry(b.getPrivate(), cb), null);
    assertEquals(List.of("tls"), Collections.list(ks.aliases()));
    assertEquals("2", attrs(ks.getEntry("tls", null)).get("clavis.version"));
    assertEquals("DEPRECATED", attrs(ks.getEntry("tls#1", null)).get("clavis.status"));
    assertArrayEquals(cb, ks.getCertificateChain("tls"));
    assertArrayEquals(ca, ks.getCertificateChain("tls#1"));
    assertArrayEquals(cb, ks.getCertificateChain("tls#2"));

    Signature s = Signature.getInstance("SHA256withECDSA");
    java.security.InvalidKeyException e = assertThrows(java.security.InvalidKeyException.class,
        () -> s.initSign((PrivateKey) ks.getKey("tls#1", null)));
    assertTrue(e.getMessage().contains("tls#1") && e.getMessage().contains("DEPRECATED"), e.getMessage());

    // the old version still verifies
    Signature bc = Signature.getInstance("SHA256withECDSA", BC);
    bc.initSign(a.getPrivate());
    bc.update(new byte[] {1});
    byte[] old = bc.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(((ManagedPrivateKey) ks.getKey("tls", null)).keyring().publicKeyHandle(KeyRef.parse("tls")));
    v.update(new byte[] {1});
    assertTrue(v.verify(old), "a name's handle verifies with every version that may verify");
  }

  @Test
  void nameHandleInitialisedBeforeRotation_refusesToSignWithTheDeprecatedVersion_thenSignsWithTheNew() throws Exception {
    KeyPair a = KeyPairFixtures.Type.ED25519.generate();
    KeyPair b = KeyPairFixtures.Type.ED25519.generate();
    ks.setKeyEntry("jws", a.getPrivate(), null, KeyPairFixtures.chain(a, "jws"));
    Signature s = Signature.getInstance("Ed25519");
    s.initSign((PrivateKey) ks.getKey("jws", null));
    s.update(new byte[] {1, 2, 3});
    ks.setKeyEntry("jws", b.getPrivate(), null, KeyPairFixtures.chain(b, "jws"));
    java.security.SignatureException e = assertThrows(java.security.SignatureException.class, s::sign);
    assertTrue(e.getMessage().contains("jws#1") && e.getMessage().contains("DEPRECATED"), e.getMessage());
    s.update(new byte[] {4});
    byte[] sig = s.sign();
    Signature jdk = Signature.getInstance("Ed25519", "SunEC");
    jdk.initVerify(b.getPublic());
    jdk.update(new byte[] {4});
    assertTrue(jdk.verify(sig), "the next message is signed by the new primary");
  }

  @Test
  void chainWhoseFirstCertificateIsAnotherKeys_isRefused_nothingStored() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    KeyPair other = KeyPairFixtures.Type.EC_P256.generate();
    KeyStoreException e = assertThrows(KeyStoreException.class,
        () -> ks.setKeyEntry("k", a.getPrivate(), null, KeyPairFixtures.chain(other, "other")));
    assertTrue(e.getMessage().contains("does not match the private key"), e.getMessage());
    assertEquals(0, ks.size());
  }

  @Test
  void unsupportedCurve_isRefused_nothingStored() throws Exception {
    KeyPair p521 = KeyPairFixtures.pair("EC", "secp521r1");
    KeyStoreException e = assertThrows(KeyStoreException.class,
        () -> ks.setKeyEntry("k", p521.getPrivate(), null, KeyPairFixtures.chain(p521, "p521")));
    assertTrue(e.getMessage().contains("unsupported EC curve"), e.getMessage());
    assertEquals(0, ks.size());
  }

  @Test
  void rsaBelow2048_isRefused_nothingStored() throws Exception {
    KeyPair small = KeyPairFixtures.pair("RSA", 1024);
    KeyStoreException e = assertThrows(KeyStoreException.class,
        () -> ks.setKeyEntry("k", small.getPrivate(), null, KeyPairFixtures.chain(small, "small")));
    assertTrue(e.getMessage().contains("1024 bits"), e.getMessage());
    assertEquals(0, ks.size());
  }

  @Test
  void privateKeyWithoutChain_isRefused() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    // KeyStore itself refuses an empty chain before the SPI; the SPI refuses a null one too
    assertThrows(IllegalArgumentException.class, () -> ks.setKeyEntry("k", a.getPrivate(), null, new Certificate[0]));
    assertThrows(KeyStoreException.class, () -> KeyPairEntries.ders(null));
    assertEquals(0, ks.size());
  }

  @Test
  void rotationToAnotherKeyType_isRefused_keepsTheOldVersion() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    KeyPair r = KeyPairFixtures.Type.RSA_2048.generate();
    ks.setKeyEntry("k", a.getPrivate(), null, KeyPairFixtures.chain(a, "k"));
    assertThrows(KeyStoreException.class, () -> ks.setKeyEntry("k", r.getPrivate(), null, KeyPairFixtures.chain(r, "k")));
    assertEquals("1", attrs(ks.getEntry("k", null)).get("clavis.version"));
  }

  @Test
  void caReply_replacesTheChainOfTheVersionItCertifies_stateUnchanged() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    KeyPair b = KeyPairFixtures.Type.EC_P256.generate();
    KeyPair ca = KeyPairFixtures.Type.EC_P256.generate();
    ks.setKeyEntry("tls", a.getPrivate(), null, KeyPairFixtures.chain(a, "tls"));
    ks.setKeyEntry("tls", b.getPrivate(), null, KeyPairFixtures.chain(b, "tls"));
    // a "CA reply" for version 1: a certificate of a's public key (self-issued here), then the CA's
    X509Certificate reply = KeyPairFixtures.selfSigned(a, "tls issued");
    X509Certificate caCert = KeyPairFixtures.selfSigned(ca, "Test CA");
    ks.setKeyEntry("tls", ks.getKey("tls", null), null, new Certificate[] {reply, caCert});
    assertArrayEquals(new Certificate[] {reply, caCert}, ks.getCertificateChain("tls#1"));
    assertEquals("DEPRECATED", attrs(ks.getEntry("tls#1", null)).get("clavis.status"));
    assertEquals("2", attrs(ks.getEntry("tls", null)).get("clavis.version"), "no new version for a CA reply");

    KeyPair stranger = KeyPairFixtures.Type.EC_P256.generate();
    KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setKeyEntry("tls", ks.getKey("tls", null),
        null, KeyPairFixtures.chain(stranger, "stranger")));
    assertTrue(e.getMessage().contains("certifies no version"), e.getMessage());

    // survives a reopen
    KeyStore again = KeyStore.getInstance("Clavis", "Clavis");
    again.load(new KeyringParameter(dir.resolve("pairs.clavis"), PW));
    assertArrayEquals(new Certificate[] {reply, caCert}, again.getCertificateChain("tls#1"));
  }

  @Test
  void trustedCertificateEntries_makeATrustStore_asPkcs12() throws Exception {
    KeyPair ca = KeyPairFixtures.Type.RSA_2048.generate();
    X509Certificate c = KeyPairFixtures.selfSigned(ca, "Root CA");
    ks.setCertificateEntry("root", c);
    assertTrue(ks.isCertificateEntry("root"));
    assertFalse(ks.isKeyEntry("root"));
    assertNull(ks.getKey("root", null));
    assertNull(ks.getCertificateChain("root"));
    assertEquals(c, ks.getCertificate("root"));
    assertEquals("root", ks.getCertificateAlias(c));
    assertTrue(ks.entryInstanceOf("root", KeyStore.TrustedCertificateEntry.class));
    assertEquals(c, ((KeyStore.TrustedCertificateEntry) ks.getEntry("root", null)).getTrustedCertificate());

    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    javax.net.ssl.X509TrustManager tm = (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
    assertEquals(c, tm.getAcceptedIssuers()[0]);

    KeyPair k = KeyPairFixtures.Type.EC_P256.generate();
    ks.setKeyEntry("key", k.getPrivate(), null, KeyPairFixtures.chain(k, "key"));
    assertThrows(KeyStoreException.class, () -> ks.setCertificateEntry("key", c), "a key entry is not overwritten");
  }

  @Test
  void exportableKeyPair_handleEncodesItsPkcs8() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P384.generate();
    ManagedPrivateKey seed = null;
    ks.setKeyEntry("tmp", a.getPrivate(), null, KeyPairFixtures.chain(a, "tmp"));
    seed = (ManagedPrivateKey) ks.getKey("tmp", null);
    dev.clavis.keyring.Keyring ring = seed.keyring();
    ring.importKeyPair("exp", dev.clavis.keyring.KeyAlgorithm.EC_P384,
        dev.clavis.keyring.KeyPairMaterial.of(a.getPrivate().getEncoded(),
            List.of(KeyPairFixtures.selfSigned(a, "exp").getEncoded())),
        dev.clavis.keyring.KeyPolicy.builder().exportable(true).build());
    assertArrayEquals(a.getPrivate().getEncoded(), ks.getKey("exp", null).getEncoded());
  }

  @Test
  void replaceCertificates_throughTheKeyringApi_refusesAChainForAnotherKey_andChangesNothing() throws Exception {
    KeyPair kp = KeyPairFixtures.Type.EC_P256.generate();
    Certificate[] chain = KeyPairFixtures.chain(kp, "k");
    ks.setKeyEntry("k", kp.getPrivate(), null, chain);
    ManagedPrivateKey h = (ManagedPrivateKey) ks.getKey("k", null);
    byte[] foreign = KeyPairFixtures.chain(KeyPairFixtures.Type.EC_P256.generate(), "k")[0].getEncoded();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> h.keyring().replaceCertificates(KeyRef.of("k", 1), List.of(foreign)));
    assertTrue(e.getMessage().contains("another key"), e.getMessage());
    assertArrayEquals(chain, ks.getCertificateChain("k"));
    // a chain for the same key (a CA reply) is still taken
    Certificate[] again = KeyPairFixtures.chain(kp, "k");
    h.keyring().replaceCertificates(KeyRef.of("k", 1), List.of(again[0].getEncoded()));
    assertEquals(again[0], ks.getCertificate("k#1"));
  }
}
