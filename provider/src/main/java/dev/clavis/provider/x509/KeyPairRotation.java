package dev.clavis.provider.x509;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.lifecycle.JdkKeyPairs;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Two-phase rotation of a key pair, the part that needs X.509: {@link #begin} generates a key pair
 * of the primary's type (and RSA size) with the JDK's providers, self-signs it with the primary's
 * subject and validity period, and stages it PRE_ACTIVE ({@link Keyring#beginRotation(String,
 * KeyPairMaterial, String)}); {@link #request} makes the PKCS#10 request a CA answers, signed by the
 * version inside the keyring. The CA reply then becomes the staged version's chain and the version
 * the primary in one write ({@link Keyring#completeRotation(String, List)}).
 */
public final class KeyPairRotation {

  private KeyPairRotation() {}

  /**
   * @param ring the keyring
   * @param name the key pair
   * @param reason recorded with the change; null for the default
   * @return the staged version
   * @throws IllegalArgumentException if the key is no key pair
   * @throws IllegalStateException if its primary has no certificate, a version is staged already, or the key is doomed
   * @throws dev.clavis.keyring.UnknownKeyException if the key does not exist
   * @throws dev.clavis.keyring.KeyringException if generating or storing fails
   */
  public static KeyVersionInfo begin(Keyring ring, String name, String reason) {
    return begin(ring, name, null, reason);
  }

  /**
   * As {@link #begin(Keyring, String, String)}, with the staged certificate's (and so the request's)
   * subject given rather than taken from the primary: a renewal that changes the name.
   *
   * @param ring the keyring
   * @param name the key pair
   * @param subject the distinguished name (RFC 2253), or null for the primary's
   * @param reason recorded with the change; null for the default
   * @return the staged version
   * @throws IllegalArgumentException if the key is no key pair, or {@code subject} is no distinguished name
   * @throws IllegalStateException if its primary has no certificate, a version is staged already, or the key is doomed
   * @throws dev.clavis.keyring.UnknownKeyException if the key does not exist
   * @throws dev.clavis.keyring.KeyringException if generating or storing fails
   */
  public static KeyVersionInfo begin(Keyring ring, String name, String subject, String reason) {
    if (subject != null) {
      new javax.security.auth.x500.X500Principal(subject); // throws IllegalArgumentException before anything is made
    }
    KeyInfo k = ring.find(name).orElseThrow(() -> new dev.clavis.keyring.UnknownKeyException(KeyRef.of(name)));
    if (!k.algorithm().isKeyPair() || k.algorithm() == KeyAlgorithm.CERTIFICATE) {
      throw new IllegalArgumentException("key " + name + " is " + k.algorithm() + ", not a key pair");
    }
    List<byte[]> chain = ring.certificates(KeyRef.of(name));
    if (chain.isEmpty()) {
      throw new IllegalStateException("key " + name + " has no primary certificate to take the subject from");
    }
    byte[] pkcs8 = null;
    try {
      X509Certificate c = parse(chain.get(0));
      KeyPair kp = generate(k.algorithm(), c);
      Duration validity = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
      X509Certificate self = SelfSignedCertificate.create(
          subject != null ? subject : c.getSubjectX500Principal().getName(), kp.getPublic(),
          kp.getPrivate(), Instant.now().minusSeconds(60), validity);
      pkcs8 = kp.getPrivate().getEncoded();
      KeyPairMaterial m = KeyPairMaterial.of(pkcs8, List.of(self.getEncoded()));
      try {
        return ring.beginRotation(name, m, reason == null ? "two-phase key-pair rotation begun" : reason);
      } finally {
        m.wipe();
      }
    } catch (GeneralSecurityException e) {
      throw new dev.clavis.keyring.KeyringException("cannot make the next " + k.algorithm() + " key pair of "
          + name + ": " + e.getMessage(), e);
    } finally {
      if (pkcs8 != null) {
        Arrays.fill(pkcs8, (byte) 0);
      }
    }
  }

  /**
   * @param ring the keyring
   * @param version the exact version ({@code name#N}); its certificate gives subject and key
   * @return the DER PKCS#10 request, signed by that version (audited {@code csr-sign})
   * @throws IllegalStateException if the version has no certificate (destroyed)
   * @throws dev.clavis.keyring.KeyUsageException if its state may not sign a request
   * @throws dev.clavis.keyring.UnknownKeyException if the key or version does not exist
   * @throws dev.clavis.keyring.KeyringException if signing fails
   */
  public static byte[] request(Keyring ring, KeyRef version) {
    List<byte[]> chain = ring.certificates(version);
    if (chain.isEmpty()) {
      throw new IllegalStateException("key " + version + " has no certificate left (destroyed)");
    }
    try {
      X509Certificate c = parse(chain.get(0));
      return CertificationRequest.create(c.getSubjectX500Principal(), c.getPublicKey(),
          (alg, info) -> ring.signCertificationRequest(version, alg, info));
    } catch (GeneralSecurityException e) {
      throw new dev.clavis.keyring.KeyringException("cannot make the certification request of " + version + ": "
          + e.getMessage(), e);
    }
  }

  private static KeyPair generate(KeyAlgorithm a, X509Certificate like) throws GeneralSecurityException {
    int rsaBits = a == KeyAlgorithm.RSA ? ((RSAKey) like.getPublicKey()).getModulus().bitLength() : 0;
    return JdkKeyPairs.generate(a, rsaBits);
  }

  private static X509Certificate parse(byte[] der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
