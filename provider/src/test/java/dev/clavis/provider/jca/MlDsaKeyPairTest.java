package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.MlDsa;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.KeyPairRotation;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.spec.KeyringParameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ML-DSA (FIPS 204) key pairs in the key store. On JDK 24 and later the JDK signs: a managed
 * handle signs through {@code Signature} with the lifecycle enforced, and Bouncy Castle, an
 * independent implementation, verifies every signature and the self-signed certificates. Before
 * JDK 24 each use is refused with one message naming the JDK, and nothing is stored. Each JDK
 * asserts its own behaviour: neither half is skipped.
 */
class MlDsaKeyPairTest {

  private static final char[] PW = "ml-dsa-pw".toCharArray();
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

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
    ks.load(new KeyringParameter(dir.resolve("pq.clavis"), PW));
  }

  /** An ML-DSA pair from the JDK where it has one, else from Bouncy Castle (to be refused). */
  private static KeyPair pair(KeyAlgorithm a) throws Exception {
    String set = MlDsa.parameterSet(a);
    return (MlDsa.available() ? KeyPairGenerator.getInstance(set, "SUN") : KeyPairGenerator.getInstance(set, BC))
        .generateKeyPair();
  }

  private static byte[] message() {
    byte[] m = new byte[1 + new SecureRandom().nextInt(300)];
    new SecureRandom().nextBytes(m);
    return m;
  }

  private static boolean bcVerifies(KeyAlgorithm a, X509Certificate cert, byte[] message, byte[] sig)
      throws Exception {
    Signature v = Signature.getInstance(MlDsa.parameterSet(a), BC);
    v.initVerify(java.security.KeyFactory.getInstance("ML-DSA", BC)
        .generatePublic(new java.security.spec.X509EncodedKeySpec(cert.getPublicKey().getEncoded())));
    v.update(message);
    return v.verify(sig);
  }

  /** Before JDK 24: the key is refused naming the JDK, and nothing is stored. */
  private void assertRefusedOnThisJdk(KeyPair kp) throws Exception {
    Certificate[] standIn = {KeyPairFixtures.selfSigned(KeyPairFixtures.Type.EC_P256.generate(), "stand-in")};
    KeyStoreException e = assertThrows(KeyStoreException.class,
        () -> ks.setKeyEntry("pq", kp.getPrivate(), null, standIn));
    assertTrue(e.getMessage().contains(MlDsa.unavailableMessage()), e.getMessage());
    assertFalse(ks.containsAlias("pq"), "nothing was stored");
  }

  @ParameterizedTest
  @EnumSource(value = KeyAlgorithm.class, names = {"ML_DSA_44", "ML_DSA_65", "ML_DSA_87"})
  void aKeyEntry_signsThroughItsHandle_andAnIndependentImplementationVerifies(KeyAlgorithm a) throws Exception {
    KeyPair kp = pair(a);
    if (!MlDsa.available()) {
      assertRefusedOnThisJdk(kp);
      return;
    }
    X509Certificate self = SelfSignedCertificate.create("CN=pq " + a, kp.getPublic(), kp.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(30));
    assertEquals(MlDsa.oid(a), self.getSigAlgOID());
    self.verify(kp.getPublic(), "SUN");
    ks.setKeyEntry("pq", kp.getPrivate(), null, new Certificate[] {self});
    Key handle = ks.getKey("pq", null);
    assertTrue(handle instanceof ManagedPrivateKey, String.valueOf(handle));
    assertNull(handle.getEncoded(), "not exportable");
    assertEquals(a, ((ManagedPrivateKey) handle).keyring().find("pq").orElseThrow().algorithm());

    for (String name : new String[] {"ML-DSA", MlDsa.parameterSet(a)}) {
      byte[] m = message();
      Signature s = Signature.getInstance(name);
      s.initSign((ManagedPrivateKey) handle);
      s.update(m);
      byte[] sig = s.sign();
      assertEquals("Clavis", s.getProvider().getName());
      assertTrue(bcVerifies(a, self, m, sig), name + ": Bouncy Castle verifies the signature");
      m[0] ^= 1;
      assertFalse(bcVerifies(a, self, m, sig), "and refuses it for another message");
    }
  }

  @Test
  void aWrongCertificate_isRefused_andTheOtherParameterSetIsNotTaken() throws Exception {
    KeyPair kp = pair(KeyAlgorithm.ML_DSA_65);
    if (!MlDsa.available()) {
      assertRefusedOnThisJdk(kp);
      return;
    }
    KeyPair other = pair(KeyAlgorithm.ML_DSA_65);
    X509Certificate foreign = SelfSignedCertificate.create("CN=other", other.getPublic(), other.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(30));
    KeyStoreException e = assertThrows(KeyStoreException.class,
        () -> ks.setKeyEntry("pq", kp.getPrivate(), null, new Certificate[] {foreign}));
    assertTrue(e.getMessage().contains("first certificate"), e.getMessage());
    assertFalse(ks.containsAlias("pq"));

    X509Certificate own = SelfSignedCertificate.create("CN=own", kp.getPublic(), kp.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(30));
    ks.setKeyEntry("pq", kp.getPrivate(), null, new Certificate[] {own});
    Signature s44 = Signature.getInstance("ML-DSA-44");
    assertThrows(InvalidKeyException.class, () -> s44.initSign((ManagedPrivateKey) ks.getKey("pq", null)),
        "an ML-DSA-65 key is not an ML-DSA-44 key");
  }

  @Test
  void rotationMakesANewPairOfTheSameSet_andARevokedVersionNoLongerSigns() throws Exception {
    KeyPair kp = pair(KeyAlgorithm.ML_DSA_44);
    if (!MlDsa.available()) {
      assertRefusedOnThisJdk(kp);
      return;
    }
    ks.setKeyEntry("pq", kp.getPrivate(), null, new Certificate[] {SelfSignedCertificate.create("CN=rot",
        kp.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(30))});
    Keyring ring = ((ManagedPrivateKey) ks.getKey("pq", null)).keyring();
    KeyPairRotation.begin(ring, "pq", "next ML-DSA pair");
    ring.completeRotation("pq");
    X509Certificate v2 = (X509Certificate) ks.getCertificate("pq#2");
    assertEquals(MlDsa.oid(KeyAlgorithm.ML_DSA_44), v2.getSigAlgOID());
    assertEquals("CN=rot", v2.getSubjectX500Principal().getName());
    byte[] m = "signed by version 2".getBytes(StandardCharsets.UTF_8);
    Signature s = Signature.getInstance("ML-DSA");
    s.initSign((ManagedPrivateKey) ks.getKey("pq", null));
    s.update(m);
    assertTrue(bcVerifies(KeyAlgorithm.ML_DSA_44, v2, m, s.sign()));

    ring.revoke(KeyRef.parse("pq#2"), "test");
    assertEquals(KeyState.REVOKED, ring.find("pq").orElseThrow().versions().get(1).state());
    ManagedPrivateKey revoked = (ManagedPrivateKey) ks.getKey("pq#2", null);
    // delayed selection tries the JDK's SUN first, which takes any key and reports its own failure
    // ("Unextractable key"); the refusal itself names version and state
    assertThrows(InvalidKeyException.class, () -> Signature.getInstance("ML-DSA").initSign(revoked));
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> Signature.getInstance("ML-DSA", "Clavis").initSign(revoked));
    assertTrue(e.getMessage().contains("pq#2") && e.getMessage().contains("REVOKED"), e.getMessage());
  }

  @Test
  void theParameterSetIsReadFromTheEncoding() throws Exception {
    for (KeyAlgorithm a : new KeyAlgorithm[] {KeyAlgorithm.ML_DSA_44, KeyAlgorithm.ML_DSA_65, KeyAlgorithm.ML_DSA_87}) {
      KeyPair kp = KeyPairGenerator.getInstance(MlDsa.parameterSet(a), BC).generateKeyPair();
      assertEquals(a, MlDsa.ofEncoding(kp.getPublic().getEncoded()).orElseThrow());
      byte[] pkcs8 = kp.getPrivate().getEncoded();
      assertEquals(a, MlDsa.ofEncoding(pkcs8).orElseThrow());
    }
    assertTrue(MlDsa.ofEncoding(KeyPairFixtures.Type.EC_P256.generate().getPublic().getEncoded()).isEmpty());
    assertTrue(MlDsa.ofEncoding(new byte[3]).isEmpty());
    assertTrue(MlDsa.ofEncoding(null).isEmpty());
  }

  @Test
  void aPairOfOneParameterSet_isNotTakenUnderAnother() throws Exception {
    KeyPair kp = pair(KeyAlgorithm.ML_DSA_44);
    Keyring ring = dev.clavis.keyring.Keyrings.openFile(dir.resolve("label.clavis"), PW,
        dev.clavis.keyring.TestStores.FAST_KDF);
    try (ring) {
      byte[] cert = MlDsa.available() ? SelfSignedCertificate.create("CN=label", kp.getPublic(), kp.getPrivate(),
          Instant.now().minusSeconds(60), Duration.ofDays(1)).getEncoded()
          : KeyPairFixtures.selfSigned(KeyPairFixtures.Type.EC_P256.generate(), "x").getEncoded();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.importKeyPair("label",
          KeyAlgorithm.ML_DSA_87, dev.clavis.keyring.KeyPairMaterial.of(kp.getPrivate().getEncoded(),
              java.util.List.of(cert)), dev.clavis.keyring.KeyPolicy.defaults()));
      assertTrue(e.getMessage().contains(MlDsa.available() ? "is ML_DSA_44, not the declared ML_DSA_87"
          : "cannot be read as ML_DSA_87"), e.getMessage());
      assertTrue(ring.find("label").isEmpty());
    }
  }
}
