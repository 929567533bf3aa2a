package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyAlgorithm;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;

/** The JDK providers that compute with a key pair held in memory: never Clavis, which would loop. */
final class JdkKeyPairs {

  private JdkKeyPairs() {}

  /**
   * @return SunRsaSign for RSA, SunEC for EC and Ed25519
   * @throws NoSuchProviderException if the JDK lacks it
   */
  static Provider provider(KeyAlgorithm a) throws NoSuchProviderException {
    String name = a == KeyAlgorithm.RSA ? "SunRsaSign" : "SunEC";
    Provider p = Security.getProvider(name);
    if (p == null) {
      throw new NoSuchProviderException("the JDK provider " + name + " is not installed: Clavis signs " + a
          + " keys of the file store with it");
    }
    return p;
  }

  /** @return the KeyFactory name for the private key's PKCS#8 */
  static String keyFactory(KeyAlgorithm a) {
    switch (a) {
      case RSA: return "RSA";
      case ED25519: return "Ed25519";
      default: return "EC";
    }
  }
}
