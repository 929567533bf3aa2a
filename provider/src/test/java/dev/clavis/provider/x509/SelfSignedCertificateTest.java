package dev.clavis.provider.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The minimal self-signed certificate: parsed and verified by the JDK and by Bouncy Castle. */
class SelfSignedCertificateTest {

  @ParameterizedTest
  @CsvSource({"EC, 256, SHA256withECDSA", "EC, 384, SHA384withECDSA", "RSA, 2048, SHA256withRSA",
      "Ed25519, 0, Ed25519"})
  void certificate_isValidX509v3_signedByItsKey(String alg, int size, String sigAlg) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    if (size != 0) {
      g.initialize(size);
    }
    KeyPair kp = g.generateKeyPair();
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    X509Certificate c = SelfSignedCertificate.create("CN=test, O=Clavis", kp.getPublic(), kp.getPrivate(), from,
        Duration.ofDays(30 * 365));
    assertEquals(3, c.getVersion());
    assertEquals("CN=test,O=Clavis", c.getSubjectX500Principal().getName());
    assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
    assertEquals(from, c.getNotBefore().toInstant());
    assertEquals(from.plus(Duration.ofDays(30 * 365)), c.getNotAfter().toInstant(), "GeneralizedTime after 2049");
    assertEquals(-1, c.getBasicConstraints(), "not a CA");
    c.verify(kp.getPublic());
    java.security.cert.CertificateFactory.getInstance("X.509", new BouncyCastleProvider())
        .generateCertificate(new java.io.ByteArrayInputStream(c.getEncoded())).verify(kp.getPublic(),
            new BouncyCastleProvider());
    assertEquals(sigAlg.toUpperCase(), c.getSigAlgName().toUpperCase().replace("EDDSA", "ED25519"));
  }

  @Test
  void otherKeyTypes_areRefused() throws Exception {
    KeyPair dsa = KeyPairGenerator.getInstance("DSA").generateKeyPair();
    assertThrows(GeneralSecurityException.class, () -> SelfSignedCertificate.create("CN=x", dsa.getPublic(),
        dsa.getPrivate(), Instant.now(), Duration.ofDays(1)));
  }
}
