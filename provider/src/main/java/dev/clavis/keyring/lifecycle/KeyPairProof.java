package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyRef;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

/**
 * The one proof that a key pair's material is consistent: the first certificate of the chain
 * certifies the private key beside it. Every path that stores a private key with its chain
 * (import, rotation, staged rotation; the key store reaches them too) goes through it, so no caller
 * can put a foreign public key behind a version's managed verification.
 *
 * <p>The proof is a signature, not a comparison of encodings: the private key signs a random
 * challenge and the certificate's public key must verify it. That holds whatever the encodings
 * look like (an Ed25519 PKCS#8 v1 carries no public key; RSA and EC encodings may differ in form),
 * and it computes with the JDK's own providers, never with Clavis's, which would loop.
 */
final class KeyPairProof {

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyPairProof() {}

  /**
   * Proves that the stored form of a key pair is consistent; a no-op for any other algorithm.
   *
   * @param ref the key (or version) the material is for, named in the error
   * @param algorithm what the caller declared
   * @param stored the material's stored form ({@link KeyPairMaterial#encode}), or a backend's
   *     reference to a pair it holds (left to that backend); not kept
   * @param backendGeneratesPairs whether the backend takes such references
   *     ({@link dev.clavis.keyring.spi.KeyBackend#holdsGeneratedKeyPairs()}); elsewhere one is refused
   * @throws IllegalArgumentException if the bytes are no key-pair material, the private key cannot
   *     be read as {@code algorithm}, the certificate cannot be read, or it certifies another key
   */
  static void require(KeyRef ref, KeyAlgorithm algorithm, byte[] stored, boolean backendGeneratesPairs) {
    if (!algorithm.isKeyPair() || backendGeneratesPairs && tokenReference(stored)) {
      return;
    }
    if (!inProcess(stored)) {
      // a chain replacement ("CKC") or any other bytes would be held as the version's material:
      // unreadable, or, on a token, a chain put on a key it was never proven against
      throw new IllegalArgumentException("the material for key pair " + ref + " is no key-pair material (a PKCS#8"
          + " private key with its chain, KeyPairMaterial.encode); nothing was stored");
    }
    KeyPairMaterial m = KeyPairMaterial.decode(stored);
    byte[] pkcs8 = m.pkcs8();
    List<byte[]> chain = m.chain();
    m.wipe();
    try {
      X509Certificate leaf = certificate(ref, chain.get(0));
      PrivateKey key = privateKey(ref, algorithm, pkcs8);
      KeyAlgorithm actual;
      try {
        actual = JdkKeyPairs.algorithmOf(key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the private key of " + ref + ": " + e.getMessage() + "; nothing was stored",
            e);
      }
      if (actual != algorithm) {
        // a consistent pair under a false label would pass the proof and then be held, listed and
        // governed as what it is not (another curve, parameter set or size)
        throw new IllegalArgumentException("the private key of " + ref + " is " + actual + ", not the declared "
            + algorithm + "; nothing was stored");
      }
      if (!proves(algorithm, key, leaf.getPublicKey())) {
        throw new IllegalArgumentException("the first certificate of the chain for key " + ref + " ("
            + leaf.getSubjectX500Principal().getName() + ") does not match the private key: its public key is"
            + " not the private key's, so it would verify signatures the key never made; give the key's own"
            + " certificate first; nothing was stored");
      }
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /**
   * A backend's reference to a key pair it holds itself ({@code "CKG"}) (a pair generated on a token, whose
   * private key never leaves it) carries no private key to prove with here: that backend compares
   * the chain with the public key it generated when it takes the pair.
   */
  private static boolean tokenReference(byte[] stored) {
    return stored.length >= 3 && stored[0] == 'C' && stored[1] == 'K' && stored[2] == 'G';
  }

  /** @return whether the bytes are {@link KeyPairMaterial#encode}'s: a private key here to prove with */
  private static boolean inProcess(byte[] stored) {
    return stored.length >= 3 && stored[0] == 'C' && stored[1] == 'K' && stored[2] == 'P';
  }

  /** @return whether {@code pub} verifies a signature {@code key} makes over a fresh random challenge */
  private static boolean proves(KeyAlgorithm algorithm, PrivateKey key, PublicKey pub) {
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    String sigAlg = JdkKeyPairs.proofSignature(algorithm);
    try {
      Provider p = JdkKeyPairs.provider(algorithm);
      Signature s = Signature.getInstance(sigAlg, p);
      s.initSign(key);
      s.update(challenge);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(sigAlg, p);
      v.initVerify(pub);
      v.update(challenge);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false; // a public key of another type or curve: it does not certify this key
    }
  }

  private static PrivateKey privateKey(KeyRef ref, KeyAlgorithm algorithm, byte[] pkcs8) {
    try {
      return KeyFactory.getInstance(JdkKeyPairs.keyFactory(algorithm), JdkKeyPairs.provider(algorithm))
          .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      // the JDK's message names the encoding problem, never the key's bytes
      throw new IllegalArgumentException("the private key of " + ref + " cannot be read as " + algorithm
          + " (PKCS#8): " + e.getMessage() + "; nothing was stored", e);
    }
  }

  private static X509Certificate certificate(KeyRef ref, byte[] der) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("the first certificate of the chain for key " + ref + " cannot be read: "
          + e.getMessage() + "; nothing was stored", e);
    }
  }
}
