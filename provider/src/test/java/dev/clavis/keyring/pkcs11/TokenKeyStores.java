package dev.clavis.keyring.pkcs11;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;

/** Opens the {@code ClavisPKCS11} key store on the test token, for the key store tests. */
final class TokenKeyStores {

  private TokenKeyStores() {}

  /** Installs the Clavis provider once (the JCA lookups of the tests find it by name). */
  static void installProvider() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  /** @return a new key store on the SoftHSM2 token, loaded with its PIN */
  static KeyStore open() throws Exception {
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, SoftHsm.PIN.toCharArray());
    return ks;
  }
}
