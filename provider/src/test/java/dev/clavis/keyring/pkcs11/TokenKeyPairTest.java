package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.ManagedPrivateKey;
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
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.testkit.SoftHsm;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key pairs on the token: imported with {@code C_CreateObject} (sensitive, never extractable),
 * signing with {@code C_Sign} on the token, verified by SunEC/SunRsaSign and Bouncy Castle, and
 * the states written into {@code CKA_SIGN} so that a session that bypasses Clavis cannot sign with
 * a version whose state forbids it.
 */
class TokenKeyPairTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void providers() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  static KeyPair generate(KeyAlgorithm a, int rsaBits) throws Exception {
    KeyPairGenerator g;
    switch (a) {
      case EC_P256:
      case EC_P384:
        g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec(a == KeyAlgorithm.EC_P256 ? "secp256r1" : "secp384r1"));
        return g.generateKeyPair();
      case RSA:
        g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
        g.initialize(rsaBits);
        return g.generateKeyPair();
      default:
        return KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
    }
  }

  static KeyPairMaterial material(KeyPair kp, String cn) throws Exception {
    X509Certificate c = SelfSignedCertificate.create("CN=" + cn, kp.getPublic(), kp.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(30));
    return KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(c.getEncoded()));
  }

  static KeyringEngine open() throws Exception {
    SoftHsm.require();
    return (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
  }

  static Pkcs11Token probe() throws Exception {
    return Pkcs11Token.open(SoftHsmTokens.config(), SoftHsm.PIN.toCharArray());
  }

  static long privateKey(Pkcs11Token probe, String label) throws Exception {
    return probe.call(s -> {
      long[] h = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY).string(CKA.LABEL, label).build());
      assertEquals(1, h.length, "private keys labelled " + label);
      return h[0];
    });
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static byte[] message() {
    byte[] m = new byte[1 + RANDOM.nextInt(3000)];
    RANDOM.nextBytes(m);
    return m;
  }

  /** Signs through Clavis (delayed provider selection) and verifies with the JDK and Bouncy Castle. */
  private static void signOnToken_verifyElsewhere(KeyringEngine ring, String n, KeyPair kp, String alg,
      java.security.spec.AlgorithmParameterSpec params) throws Exception {
    ManagedPrivateKey h = ring.privateKeyHandle(KeyRef.parse(n));
    long before = TokenSigner.SIGN_CALLS.get();
    Signature s = Signature.getInstance(alg);
    s.initSign(h); // first: a parameter set before would select the JDK's provider
    if (params != null) {
      s.setParameter(params);
    }
    assertEquals("Clavis", s.getProvider().getName());
    for (int i = 0; i < 3; i++) {
      byte[] m = message();
      s.update(m);
      byte[] sig = s.sign();
      for (String verifier : new String[] {alg.contains("RSA") ? "SunRsaSign" : "SunEC", BouncyCastleProvider.PROVIDER_NAME}) {
        Signature v = verifier.equals("BC") ? Signature.getInstance(alg, new BouncyCastleProvider())
            : Signature.getInstance(alg, verifier);
        if (params != null) {
          v.setParameter(params);
        }
        v.initVerify(kp.getPublic());
        v.update(m);
        assertTrue(v.verify(sig), alg + " by the token verified by " + verifier);
      }
    }
    assertEquals(before + 3, TokenSigner.SIGN_CALLS.get(), "each signature is one C_Sign on the token");
  }

  @Test
  void everyKeyType_importedOntoTheToken_signsThere_andTheJdkAndBcVerify() throws Exception {
    try (KeyringEngine ring = open()) {
      String ec = name("ec256");
      KeyPair p256 = generate(KeyAlgorithm.EC_P256, 0);
      ring.importKeyPair(ec, KeyAlgorithm.EC_P256, material(p256, ec), KeyPolicy.defaults());
      signOnToken_verifyElsewhere(ring, ec, p256, "SHA256withECDSA", null);
      signOnToken_verifyElsewhere(ring, ec, p256, "SHA384withECDSA", null);

      String ec384 = name("ec384");
      KeyPair p384 = generate(KeyAlgorithm.EC_P384, 0);
      ring.importKeyPair(ec384, KeyAlgorithm.EC_P384, material(p384, ec384), KeyPolicy.defaults());
      signOnToken_verifyElsewhere(ring, ec384, p384, "SHA384withECDSA", null);

      String rsa = name("rsa");
      KeyPair r = generate(KeyAlgorithm.RSA, 2048);
      ring.importKeyPair(rsa, KeyAlgorithm.RSA, material(r, rsa), KeyPolicy.defaults());
      signOnToken_verifyElsewhere(ring, rsa, r, "SHA256withRSA", null);
      signOnToken_verifyElsewhere(ring, rsa, r, "SHA384withRSA", null);
      signOnToken_verifyElsewhere(ring, rsa, r, "RSASSA-PSS",
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      signOnToken_verifyElsewhere(ring, rsa, r, "RSASSA-PSS",
          new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));

      String ed = name("ed");
      KeyPair e = generate(KeyAlgorithm.ED25519, 0);
      ring.importKeyPair(ed, KeyAlgorithm.ED25519, material(e, ed), KeyPolicy.defaults());
      signOnToken_verifyElsewhere(ring, ed, e, "Ed25519", null);
    }
  }

  @Test
  void importedPrivateKey_isSensitive_neverExtractable_private_andNotLocal() throws Exception {
    try (KeyringEngine ring = open(); Pkcs11Token probe = probe()) {
      String n = name("attrs");
      KeyPair kp = generate(KeyAlgorithm.EC_P256, 0);
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ring.importKeyPair(n,
          KeyAlgorithm.EC_P256, material(kp, n), KeyPolicy.builder().exportable(true).build()));
      assertTrue(refused.getMessage().contains("never exportable"), refused.getMessage());
      assertTrue(ring.find(n).isEmpty(), "nothing stored");
      assertEquals(0, probe.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY)
          .string(CKA.LABEL, n + "#1").build())).length, "no object left on the token");
      ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(kp, n), KeyPolicy.defaults());
      long h = privateKey(probe, n + "#1");
      AttributeValues v = probe.call(s -> s.getAttributes(h, CKA.SENSITIVE, CKA.EXTRACTABLE, CKA.PRIVATE,
          CKA.TOKEN, CKA.LOCAL, CKA.VALUE, CKA.ID));
      assertTrue(v.bool(CKA.SENSITIVE).orElseThrow());
      assertFalse(v.bool(CKA.EXTRACTABLE).orElseThrow(), "never extractable");
      assertTrue(v.bool(CKA.PRIVATE).orElseThrow());
      assertTrue(v.bool(CKA.TOKEN).orElseThrow());
      assertFalse(v.bool(CKA.LOCAL).orElseThrow(), "imported: the token says it was not generated there");
      assertFalse(v.has(CKA.VALUE), "the private value cannot be read");
      assertEquals("clavis:" + n + "#1;EC_P256", v.string(CKA.ID).orElseThrow());
      // the chain beside it, as Clavis reads it back
      List<byte[]> chain = ring.certificates(KeyRef.parse(n));
      assertEquals(1, chain.size());
      X509Certificate c = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(chain.get(0)));
      assertEquals(kp.getPublic(), c.getPublicKey());
      ManagedPrivateKey handle = ring.privateKeyHandle(KeyRef.parse(n));
      assertEquals(null, handle.getEncoded(), "a token key pair never exports");
      assertThrows(RuntimeException.class, () -> ring.exportKey(KeyRef.parse(n)));
    }
  }

  @Test
  void deprecatedVersion_cannotSignOnTheToken_evenFromASessionThatBypassesClavis() throws Exception {
    try (KeyringEngine ring = open(); Pkcs11Token probe = probe()) {
      String n = name("dep");
      ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(generate(KeyAlgorithm.EC_P256, 0), n), KeyPolicy.defaults());
      long v1 = privateKey(probe, n + "#1");
      byte[] digest = new byte[32];
      assertEquals(64, probe.call(s -> s.sign(Mechanism.of(CKM.ECDSA), v1, digest)).length, "ACTIVE signs");
      ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(generate(KeyAlgorithm.EC_P256, 0), n), KeyPolicy.defaults());
      assertEquals(KeyState.DEPRECATED, ring.find(n).orElseThrow().version(1).orElseThrow().state());
      Pkcs11Exception e = assertThrows(Pkcs11Exception.class,
          () -> probe.call(s -> {
            s.signInit(Mechanism.of(CKM.ECDSA), v1);
            return null;
          }));
      assertEquals(CKR.KEY_FUNCTION_NOT_PERMITTED, e.returnValue(), e.getMessage());
      long v2 = privateKey(probe, n + "#2");
      assertEquals(64, probe.call(s -> s.sign(Mechanism.of(CKM.ECDSA), v2, digest)).length, "the new primary signs");
    }
  }

  /** Every state × {initSign, sign}: through Clavis, and with Clavis bypassed (C_SignInit on the token). */
  @Test
  void everyState_initSignAndSign_followTheStateTable_onTheTokenToo() throws Exception {
    try (KeyringEngine ring = open(); Pkcs11Token probe = probe()) {
      for (KeyState target : new KeyState[] {KeyState.ACTIVE, KeyState.DEPRECATED, KeyState.SUSPENDED,
          KeyState.REVOKED, KeyState.COMPROMISED}) {
        String n = name("st");
        ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(generate(KeyAlgorithm.EC_P256, 0), n), KeyPolicy.defaults());
        KeyRef v1 = KeyRef.parse(n + "#1");
        Signature early = Signature.getInstance("SHA256withECDSA");
        early.initSign(ring.privateKeyHandle(v1)); // started while ACTIVE
        switch (target) {
          case DEPRECATED:
            ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(generate(KeyAlgorithm.EC_P256, 0), n),
                KeyPolicy.defaults());
            break;
          case SUSPENDED:
            ring.suspend(v1, "test");
            break;
          case REVOKED:
            ring.revoke(v1, "test");
            break;
          case COMPROMISED:
            ring.markCompromised(v1, "test");
            break;
          default:
            break;
        }
        assertEquals(target, ring.find(n).orElseThrow().version(1).orElseThrow().state());
        boolean signs = target.allowsProtect();
        long h = privateKey(probe, n + "#1");
        boolean tokenSign = probe.call(s -> s.getAttributes(h, CKA.SIGN)).bool(CKA.SIGN).orElseThrow();
        assertEquals(signs, tokenSign, target + ": CKA_SIGN on the token");
        early.update(new byte[] {1, 2, 3});
        if (signs) {
          assertTrue(early.sign().length > 0, target + " sign");
          Signature s = Signature.getInstance("SHA256withECDSA");
          s.initSign(ring.privateKeyHandle(v1));
          s.update(new byte[] {4});
          assertTrue(s.sign().length > 0, target + " initSign + sign");
          probe.call(x -> x.sign(Mechanism.of(CKM.ECDSA), h, new byte[32]));
        } else {
          SignatureException se = assertThrows(SignatureException.class, early::sign, target + " sign");
          assertTrue(se.getMessage().contains(target.name()), se.getMessage());
          InvalidKeyException ie = assertThrows(InvalidKeyException.class,
              () -> Signature.getInstance("SHA256withECDSA").initSign(ring.privateKeyHandle(v1)), target + " initSign");
          assertTrue(ie.getMessage().contains(target.name()), ie.getMessage());
          Pkcs11Exception pe = assertThrows(Pkcs11Exception.class,
              () -> probe.call(x -> x.sign(Mechanism.of(CKM.ECDSA), h, new byte[32])), target + " C_SignInit");
          assertEquals(CKR.KEY_FUNCTION_NOT_PERMITTED, pe.returnValue());
        }
      }
    }
  }
}
