package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import java.security.NoSuchProviderException;
import java.security.Provider;
import java.security.Security;

/** The JDK providers that verify with a managed version's certificate key: never Clavis, which would loop. */
final class JdkSigners {

  private JdkSigners() {}

  /**
   * @return SunRsaSign for RSA, SunEC for EC and Ed25519
   * @throws NoSuchProviderException if the JDK lacks it
   */
  static Provider provider(KeyAlgorithm a) throws NoSuchProviderException {
    String name = a == KeyAlgorithm.RSA ? "SunRsaSign" : "SunEC";
    Provider p = Security.getProvider(name);
    if (p == null) {
      throw new NoSuchProviderException("the JDK provider " + name + " is not installed: Clavis verifies " + a
          + " signatures with it");
    }
    return p;
  }
}
