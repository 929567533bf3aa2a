package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.lifecycle.JdkKeyPairs;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.io.ByteArrayInputStream;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The key store's rules for private-key entries: which keys Clavis holds (EC P-256 and P-384, RSA
 * 2048 to 4096 bits, Ed25519, ML-DSA-44/65/87 on JDK 24+) and onto which version a CA reply goes (the one whose public key the
 * reply certifies). That a chain's first certificate is the key's own is proven below, by the
 * keyring's import ({@code keyring.lifecycle.KeyPairProof}), for this store and every other caller.
 */
final class KeyPairEntries {

  private KeyPairEntries() {}

  /**
   * @return the Clavis algorithm of a private key
   * @throws KeyStoreException for another curve, RSA outside 2048..4096 bits, Ed448, or another type
   */
  static KeyAlgorithm algorithmOf(PrivateKey key) throws KeyStoreException {
    try {
      return JdkKeyPairs.algorithmOf(key);
    } catch (IllegalArgumentException e) {
      throw new KeyStoreException(e.getMessage() + "; nothing was stored", e);
    }
  }

  /**
   * Checks a private key and its chain and builds the material to store.
   *
   * @throws KeyStoreException if the key is unsupported or has no encoding, or the chain is missing
   *     or not X.509
   */
  static KeyPairMaterial material(KeyAlgorithm alg, PrivateKey key, Certificate[] chain) throws KeyStoreException {
    List<byte[]> ders = ders(chain);
    // that ders[0] certifies the key is proven by the keyring itself (KeyPairProof), for every caller
    byte[] pkcs8 = key.getEncoded();
    if (pkcs8 == null || !"PKCS#8".equalsIgnoreCase(key.getFormat())) {
      throw new KeyStoreException("the private key has no PKCS#8 encoding to import (a non-exportable key of"
          + " another key store or token); nothing was stored");
    }
    try {
      return KeyPairMaterial.of(pkcs8, ders);
    } catch (IllegalArgumentException e) {
      throw new KeyStoreException(e.getMessage(), e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  static List<byte[]> ders(Certificate[] chain) throws KeyStoreException {
    if (chain == null || chain.length == 0) {
      throw new KeyStoreException("a private key needs its certificate chain (its own certificate first);"
          + " nothing was stored");
    }
    List<byte[]> out = new ArrayList<>(chain.length);
    for (Certificate c : chain) {
      if (!(c instanceof X509Certificate)) {
        throw new KeyStoreException("only X.509 certificates are held, got " + (c == null ? "null" : c.getType()));
      }
      try {
        out.add(c.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new KeyStoreException("a certificate of the chain cannot be encoded: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * The version of a key a certificate (a CA reply) belongs to: the one whose own certificate holds the same public key.
   *
   * @return the version, or empty if none does
   */
  static Optional<KeyRef> versionOf(KeyringEngine ring, KeyInfo k, PublicKey pub) {
    for (KeyVersionInfo v : k.versions()) {
      KeyRef r = KeyRef.of(k.name(), v.version());
      List<byte[]> chain = ring.certificates(r);
      if (!chain.isEmpty() && Arrays.equals(parse(chain.get(0)).getPublicKey().getEncoded(), pub.getEncoded())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** @return the certificates, parsed */
  static X509Certificate[] certificates(List<byte[]> ders) {
    X509Certificate[] out = new X509Certificate[ders.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = parse(ders.get(i));
    }
    return out;
  }

  static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalStateException("a stored certificate cannot be read: " + e.getMessage(), e);
    }
  }
}
