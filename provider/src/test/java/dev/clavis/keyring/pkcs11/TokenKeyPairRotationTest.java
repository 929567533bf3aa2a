package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.provider.x509.KeyPairRotation;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two-phase rotation of a key pair on the token: the staged PRE_ACTIVE version's private key has
 * {@code CKA_SIGN} false, is allowed to sign its own certification request only for that call
 * (false again right after, so a PIN holder cannot sign with it), and signs once completed.
 */
class TokenKeyPairRotationTest {

  @BeforeAll
  static void providers() {
    TokenKeyPairTest.providers();
  }

  private static boolean canSign(Pkcs11Token probe, String label) throws Exception {
    long h = TokenKeyPairTest.privateKey(probe, label);
    return probe.call(s -> s.getAttributes(h, CKA.SIGN).bool(CKA.SIGN).orElseThrow());
  }

  @Test
  void stagedVersion_signsItsRequestOnTheToken_butIsNotLeftAbleToSign_andSignsOnceCompleted() throws Exception {
    try (KeyringEngine ring = TokenKeyPairTest.open(); Pkcs11Token probe = TokenKeyPairTest.probe()) {
      String n = "tokrot-" + UUID.randomUUID().toString().substring(0, 8);
      KeyPair kp = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 0);
      ring.importKeyPair(n, KeyAlgorithm.EC_P256, KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(
          SelfSignedCertificate.create("CN=" + n, kp.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60),
              Duration.ofDays(30)).getEncoded())), KeyPolicy.defaults());

      KeyVersionInfo staged = KeyPairRotation.begin(ring, n, null);
      assertEquals(KeyState.PRE_ACTIVE, staged.state());
      assertEquals(false, canSign(probe, n + "#2"), "staged: the token does not let it sign");

      byte[] csr = KeyPairRotation.request(ring, staged.ref());
      X509Certificate c2 = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(ring.certificates(staged.ref()).get(0)));
      org.bouncycastle.asn1.pkcs.CertificationRequest req = org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(csr);
      assertArrayEquals(c2.getPublicKey().getEncoded(), req.getCertificationRequestInfo().getSubjectPublicKeyInfo()
          .getEncoded(), "a request for the staged key");
      Signature pop = Signature.getInstance("SHA256withECDSA", "SunEC");
      pop.initVerify(c2.getPublicKey());
      pop.update(req.getCertificationRequestInfo().getEncoded("DER"));
      assertTrue(pop.verify(req.getSignature().getOctets()), "the request's signature, made on the token, verifies");
      assertEquals(false, canSign(probe, n + "#2"), "switched off again right after the request");
      Signature early = Signature.getInstance("SHA256withECDSA");
      InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> early.initSign(ring.privateKeyHandle(staged.ref())));
      assertTrue(e.getMessage().contains("PRE_ACTIVE"), e.getMessage());
      assertEquals(true, canSign(probe, n + "#1"), "the primary still signs");

      ring.completeRotation(n);
      assertEquals(true, canSign(probe, n + "#2"), "completed: ACTIVE signs on the token");
      assertEquals(false, canSign(probe, n + "#1"), "DEPRECATED no longer signs");
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(ring.privateKeyHandle(KeyRef.of(n)));
      s.update(new byte[] {7});
      byte[] sig = s.sign();
      Signature v = Signature.getInstance("SHA256withECDSA", "SunEC");
      v.initVerify(c2.getPublicKey());
      v.update(new byte[] {7});
      assertTrue(v.verify(sig));
    }
  }
}
