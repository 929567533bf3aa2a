package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.provider.jca.TokenKeyPairGeneration;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.UUID;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key pairs generated on the token ({@code C_GenerateKeyPair}): the private key sensitive, never
 * extractable and local, the public object beside it, a self-signed certificate made by the token,
 * signatures verified by the JDK and Bouncy Castle, and {@code CKA_SIGN}/{@code CKA_VERIFY}
 * following the states.
 */
class TokenGeneratedKeyPairTest {

  @BeforeAll
  static void providers() {
    TokenKeyPairTest.providers();
  }

  private static String name(String p) {
    return p + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static X509Certificate certificate(KeyringEngine ring, String ref) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(ring.certificates(KeyRef.parse(ref)).get(0)));
  }

  private static long object(Pkcs11Token probe, long cls, String label) throws Exception {
    return probe.call(s -> {
      long[] h = s.findObjects(Template.builder().ulong(CKA.CLASS, cls).string(CKA.LABEL, label).build());
      assertEquals(1, h.length, label);
      return h[0];
    });
  }

  private static void signAndVerify(KeyringEngine ring, String n, String alg, PublicKey pub) throws Exception {
    Signature s = Signature.getInstance(alg);
    s.initSign(ring.privateKeyHandle(KeyRef.parse(n)));
    byte[] m = UUID.randomUUID().toString().getBytes();
    s.update(m);
    byte[] sig = s.sign();
    for (java.security.Provider p : new java.security.Provider[] {
        java.security.Security.getProvider(alg.contains("RSA") ? "SunRsaSign" : "SunEC"), new BouncyCastleProvider()}) {
      Signature v = Signature.getInstance(alg, p);
      v.initVerify(pub);
      v.update(m);
      assertTrue(v.verify(sig), alg + " verified by " + p.getName());
    }
  }

  @Test
  void everyKeyType_generatedOnTheToken_isLocalSensitiveNeverExtractable_andSignsItsOwnCertificate() throws Exception {
    Object[][] types = {{KeyAlgorithm.EC_P256, 0, "SHA256withECDSA"}, {KeyAlgorithm.EC_P384, 0, "SHA384withECDSA"},
        {KeyAlgorithm.RSA, 2048, "SHA256withRSA"}, {KeyAlgorithm.ED25519, 0, "Ed25519"}};
    try (KeyringEngine ring = TokenKeyPairTest.open(); Pkcs11Token probe = TokenKeyPairTest.probe()) {
      for (Object[] t : types) {
        KeyAlgorithm a = (KeyAlgorithm) t[0];
        String n = name("gen");
        TokenKeyPairGeneration.generate(ring, n, a, (Integer) t[1], "CN=" + n, Duration.ofDays(30), KeyPolicy.defaults());
        long priv = object(probe, CKO.PRIVATE_KEY, n + "#1");
        AttributeValues v = probe.call(s -> s.getAttributes(priv, CKA.SENSITIVE, CKA.EXTRACTABLE, CKA.LOCAL,
            CKA.ALWAYS_SENSITIVE, CKA.NEVER_EXTRACTABLE, CKA.PRIVATE, CKA.VALUE, CKA.SIGN));
        assertTrue(v.bool(CKA.SENSITIVE).orElseThrow(), a + " sensitive");
        assertFalse(v.bool(CKA.EXTRACTABLE).orElseThrow(), a + " not extractable");
        assertTrue(v.bool(CKA.LOCAL).orElseThrow(), a + " generated on the token");
        assertTrue(v.bool(CKA.ALWAYS_SENSITIVE).orElseThrow(), a + " always sensitive");
        assertTrue(v.bool(CKA.NEVER_EXTRACTABLE).orElseThrow(), a + " never extractable");
        assertTrue(v.bool(CKA.PRIVATE).orElseThrow());
        assertFalse(v.has(CKA.VALUE));
        long pub = object(probe, CKO.PUBLIC_KEY, n + "#1");
        assertTrue(probe.call(s -> s.getAttributes(pub, CKA.VERIFY)).bool(CKA.VERIFY).orElseThrow());
        X509Certificate c = certificate(ring, n);
        assertEquals("CN=" + n, c.getSubjectX500Principal().getName());
        c.verify(c.getPublicKey()); // self-signed on the token
        signAndVerify(ring, n, (String) t[2], c.getPublicKey());
      }
      assertEquals(0, probe.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY).build()))
          .length - countClavisPrivateKeys(probe), "no pending key pair left behind");
    }
  }

  @Test
  void certificateFacts_ofPairsOnTheToken_areRecorded_sayWhatTheirChainsSay_andGiveTheSameDueDate() throws Exception {
    String gen = name("facts-gen");
    String imp = name("facts-imp");
    try (KeyringEngine ring = TokenKeyPairTest.open()) {
      TokenKeyPairGeneration.generate(ring, gen, KeyAlgorithm.EC_P256, 0, "CN=" + gen, Duration.ofDays(30),
          KeyPolicy.defaults());
      java.security.KeyPair kp = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 0);
      ring.importKeyPair(imp, KeyAlgorithm.EC_P256, TokenKeyPairTest.material(kp, imp), KeyPolicy.defaults());
      dev.clavis.provider.x509.TestCa ca = new dev.clavis.provider.x509.TestCa("CN=Token Facts CA");
      ring.replaceCertificates(KeyRef.of(imp, 1), java.util.List.of(ca.issue("CN=" + imp, kp.getPublic()).getEncoded(),
          ca.cert.getEncoded()));
    }
    try (KeyringEngine ring = TokenKeyPairTest.open()) { // a fresh keyring: the facts come from the token's metadata
      for (String n : java.util.List.of(gen, imp)) {
        dev.clavis.keyring.KeyInfo k = ring.find(n).orElseThrow();
        java.util.List<byte[]> chain = ring.certificates(KeyRef.of(n, 1));
        X509Certificate leaf = certificate(ring, n + "#1");
        assertEquals(dev.clavis.keyring.CertificateInfo.of(leaf, chain.size()),
            k.version(1).orElseThrow().certificate().orElseThrow(), n);
        java.time.Instant to = leaf.getNotAfter().toInstant();
        Duration third = Duration.between(leaf.getNotBefore().toInstant(), to).dividedBy(3);
        assertEquals(to.minus(third.compareTo(Duration.ofDays(30)) < 0 ? third : Duration.ofDays(30)),
            k.certificateDue().orElseThrow(), n + ": notAfter minus the margin, as read from the chain");
      }
      assertEquals(2, ring.find(imp).orElseThrow().version(1).orElseThrow().certificate().orElseThrow().chainLength(),
          "the CA reply's facts, not the self-signed certificate's");
    }
  }

  private static int countClavisPrivateKeys(Pkcs11Token probe) throws Exception {
    return probe.call(s -> {
      int n = 0;
      for (long h : s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY).build())) {
        if (s.getAttributes(h, CKA.LABEL).string(CKA.LABEL).orElse("").contains("#")) {
          n++;
        }
      }
      return n;
    });
  }

  @Test
  void rotationAndRevocation_ofGeneratedPairs_switchSignOnThePrivate_andVerifyOnThePublicObject() throws Exception {
    try (KeyringEngine ring = TokenKeyPairTest.open(); Pkcs11Token probe = TokenKeyPairTest.probe()) {
      String n = name("genrot");
      TokenKeyPairGeneration.generate(ring, n, KeyAlgorithm.EC_P256, 0, "CN=" + n, Duration.ofDays(30), KeyPolicy.defaults());
      TokenKeyPairGeneration.generate(ring, n, KeyAlgorithm.EC_P256, 0, "CN=" + n, Duration.ofDays(30), KeyPolicy.defaults());
      assertEquals(KeyState.DEPRECATED, ring.find(n).orElseThrow().version(1).orElseThrow().state());
      assertEquals(2, ring.find(n).orElseThrow().primary().orElseThrow().version());
      long priv1 = object(probe, CKO.PRIVATE_KEY, n + "#1");
      long pub1 = object(probe, CKO.PUBLIC_KEY, n + "#1");
      assertFalse(probe.call(s -> s.getAttributes(priv1, CKA.SIGN)).bool(CKA.SIGN).orElseThrow());
      assertTrue(probe.call(s -> s.getAttributes(pub1, CKA.VERIFY)).bool(CKA.VERIFY).orElseThrow(), "DEPRECATED verifies");
      Pkcs11Exception e = assertThrows(Pkcs11Exception.class,
          () -> probe.call(s -> s.sign(Mechanism.of(CKM.ECDSA), priv1, new byte[32])));
      assertEquals(CKR.KEY_FUNCTION_NOT_PERMITTED, e.returnValue());
      signAndVerify(ring, n, "SHA256withECDSA", certificate(ring, n + "#2").getPublicKey());
      ring.revoke(KeyRef.parse(n + "#1"), "test");
      assertFalse(probe.call(s -> s.getAttributes(pub1, CKA.VERIFY)).bool(CKA.VERIFY).orElseThrow(), "REVOKED: no verify");
    }
  }

  @Test
  void badRequests_areRefused_andLeaveNothingOnTheToken() throws Exception {
    try (KeyringEngine ring = TokenKeyPairTest.open(); Pkcs11Token probe = TokenKeyPairTest.probe()) {
      int before = countPending(probe);
      String n = name("genbad");
      assertThrows(IllegalArgumentException.class, () -> TokenKeyPairGeneration.generate(ring, n, KeyAlgorithm.RSA,
          1024, "CN=x", Duration.ofDays(1), KeyPolicy.defaults()));
      assertThrows(IllegalArgumentException.class, () -> TokenKeyPairGeneration.generate(ring, n, KeyAlgorithm.AES_256,
          0, "CN=x", Duration.ofDays(1), KeyPolicy.defaults()));
      assertThrows(IllegalArgumentException.class, () -> TokenKeyPairGeneration.generate(ring, n, KeyAlgorithm.EC_P256,
          0, "CN=x", Duration.ofDays(1), KeyPolicy.builder().exportable(true).build()));
      assertTrue(ring.find(n).isEmpty());
      assertEquals(before, countPending(probe), "the generated pair of a refused import is destroyed");
      // a reference is honoured once, by the backend that generated the pair
      try (TokenGeneratedKeyPair p = TokenGeneratedKeyPair.generate(ring, KeyAlgorithm.EC_P256, 0)) {
        byte[] cert = dev.clavis.provider.x509.SelfSignedCertificate.create("CN=" + n, p.publicKey(), p::sign,
            java.time.Instant.now(), Duration.ofDays(1)).getEncoded();
        byte[] ref = p.material(java.util.List.of(cert));
        ring.importKey(n, KeyAlgorithm.EC_P256, ref, KeyPolicy.defaults());
        assertThrows(RuntimeException.class, () -> ring.importKey(n, KeyAlgorithm.EC_P256, ref, KeyPolicy.defaults()));
        assertEquals(1, ring.find(n).orElseThrow().versions().size());
      }
      assertEquals(before, countPending(probe));
    }
  }

  private static int countPending(Pkcs11Token probe) throws Exception {
    return probe.call(s -> {
      int n = 0;
      for (long h : s.findObjects(Template.builder().bool(CKA.TOKEN, true).build())) {
        if (s.getAttributes(h, CKA.LABEL).string(CKA.LABEL).orElse("").startsWith("clavis-pending:")) {
          n++;
        }
      }
      return n;
    });
  }
}
