package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.MlDsa;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;

/**
 * The JDK providers and algorithm names that compute with a key pair Clavis holds in memory (never
 * Clavis itself, which would loop): one table for the file store's signing, the import proof and
 * the managed verification.
 */
public final class JdkKeyPairs {

  private JdkKeyPairs() {}

  /**
   * @param a a key-pair algorithm
   * @return SunRsaSign for RSA, SunEC for EC and Ed25519, SUN for ML-DSA (JDK 24+)
   * @throws NoSuchProviderException if the JDK lacks it
   * @throws NoSuchAlgorithmException for ML-DSA before JDK 24 ({@link MlDsa#unavailableMessage()})
   */
  public static Provider provider(KeyAlgorithm a) throws NoSuchProviderException, NoSuchAlgorithmException {
    if (a.isMlDsa()) {
      MlDsa.requireAvailable(a.toString());
    }
    String name = a == KeyAlgorithm.RSA ? "SunRsaSign" : a.isMlDsa() ? "SUN" : "SunEC";
    Provider p = Security.getProvider(name);
    if (p == null) {
      throw new NoSuchProviderException("the JDK provider " + name + " is not installed: Clavis computes with "
          + a + " key pairs through it");
    }
    return p;
  }

  /**
   * @param a a key-pair algorithm
   * @return the KeyFactory name for its PKCS#8 and X.509 encodings
   */
  public static String keyFactory(KeyAlgorithm a) {
    switch (a) {
      case RSA: return "RSA";
      case ED25519: return "Ed25519";
      case ML_DSA_44:
      case ML_DSA_65:
      case ML_DSA_87: return "ML-DSA";
      default: return "EC";
    }
  }

  /**
   * @param a a key-pair algorithm
   * @return a signature its keys make (to prove that a certificate holds a private key's public key)
   */
  public static String proofSignature(KeyAlgorithm a) {
    switch (a) {
      case RSA: return "SHA256withRSA";
      case ED25519: return "Ed25519";
      case ML_DSA_44:
      case ML_DSA_65:
      case ML_DSA_87: return "ML-DSA";
      default: return "SHA256withECDSA";
    }
  }
}
