package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.CertificateInfo;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.KeyMaterial;
import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The engine's small rules for key pairs and their certificates (no I/O, no lifecycle state). */
final class KeyPairs {

  private KeyPairs() {}

  /** @return the exact version a reference reads certificates from: itself, the primary, or the newest */
  static KeyRef resolve(KeyRecord k, KeyRef ref) {
    if (ref.version().isPresent()) {
      Permissions.version(k, ref);
      return ref;
    }
    int v = k.primary() != 0 ? k.primary() : k.versions().size();
    return KeyRef.of(k.name(), v);
  }

  static void requireKeyPair(KeyAlgorithm a, KeyRef ref) {
    if (!a.isKeyPair()) {
      throw new IllegalArgumentException("key " + ref + " is " + a + ", not a key pair");
    }
  }

  /**
   * @return the stored form of {@code m}'s private key with a new chain, or for a backend that
   *     keeps the private key itself a chain replacement ({@link KeyPairMaterial#encodeChainReplacement});
   *     the caller wipes it
   * @throws IllegalArgumentException if the key is no key pair, or the chain is empty
   * @throws UnsupportedOperationException if the material cannot be read in this process (a token)
   */
  static byte[] withChain(KeyAlgorithm a, KeyRef version, KeyMaterial m, List<byte[]> chain) {
    requireKeyPair(a, version);
    requireSameKey(version, m.certificates(), chain);
    byte[] old;
    try {
      old = m.rawForInProcessCrypto();
    } catch (UnsupportedOperationException e) {
      // The backend keeps the private key itself (a token): it replaces the chain beside it.
      return KeyPairMaterial.encodeChainReplacement(chain);
    }
    KeyPairMaterial before = KeyPairMaterial.decode(old);
    Arrays.fill(old, (byte) 0);
    KeyPairMaterial after = before.withChain(chain);
    before.wipe();
    try {
      return after.encode();
    } finally {
      after.wipe();
    }
  }

  /**
   * A new chain must certify the key the version holds: its first certificate's public key equals
   * the one of the chain it replaces, whoever calls (the key store checks it too, but the keyring
   * API must not let a caller put another key behind a version's signatures and verifications).
   *
   * @throws IllegalArgumentException if the chain is empty or certifies another key
   */
  static void requireSameKey(KeyRef version, List<byte[]> current, List<byte[]> chain) {
    if (chain == null || chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain for " + version + " needs at least one certificate");
    }
    PublicKey next = parse(version, chain.get(0)).getPublicKey();
    if (current.isEmpty()) {
      throw new IllegalStateException("key " + version + " has no certificate left (destroyed)");
    }
    PublicKey now = parse(version, current.get(0)).getPublicKey();
    if (!Arrays.equals(now.getEncoded(), next.getEncoded())) {
      throw new IllegalArgumentException("the certificate " + parse(version, chain.get(0)).getSubjectX500Principal()
          .getName() + " certifies another key than " + version + "; nothing was changed");
    }
  }

  /**
   * @return the public facts of a chain's first certificate, to record on its version
   * @throws IllegalArgumentException if the chain is empty or its first certificate cannot be read
   */
  static CertificateInfo certificateInfo(KeyRef version, List<byte[]> chain) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain for " + version + " needs at least one certificate");
    }
    return CertificateInfo.of(parse(version, chain.get(0)), chain.size());
  }

  /**
   * @return the facts of the certificate in the material of a new version: of a key pair's chain
   *     ({@link KeyPairMaterial#publicChain}), of a trusted certificate's DER; null for other keys
   * @throws IllegalArgumentException if a key pair's material holds a chain that cannot be read
   */
  static CertificateInfo certificateInfo(KeyRef version, KeyAlgorithm a, byte[] stored) {
    if (a == KeyAlgorithm.CERTIFICATE) {
      try {
        return certificateInfo(version, List.of(stored));
      } catch (IllegalArgumentException e) {
        return null; // the entry's bytes were never refused for not parsing: they still are not, just not summed up
      }
    }
    return a.isKeyPair() ? KeyPairMaterial.publicChain(stored).map(c -> certificateInfo(version, c)).orElse(null) : null;
  }

  /** @return audit details of a certificate: subject, issuer, serial, notAfter (public values) */
  static Map<String, String> describe(byte[] der) {
    X509Certificate c = parse(KeyRef.of("certificate"), der);
    return Map.of("subject", c.getSubjectX500Principal().getName(), "issuer", c.getIssuerX500Principal().getName(),
        "serial", c.getSerialNumber().toString(16), "notAfter", c.getNotAfter().toInstant().toString());
  }

  /**
   * @return the public key of the first certificate of a chain
   * @throws IllegalStateException if the version holds no certificate (destroyed)
   */
  static PublicKey publicKey(KeyRef ref, List<byte[]> chain) {
    if (chain.isEmpty()) {
      throw new IllegalStateException("key " + ref + " has no certificate left (destroyed)");
    }
    return parse(ref, chain.get(0)).getPublicKey();
  }

  static X509Certificate parse(KeyRef ref, byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("the certificate of " + ref + " cannot be read: " + e.getMessage(), e);
    }
  }
}
