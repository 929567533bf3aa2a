package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Provider;
import java.security.Security;
import java.util.Collections;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The token key store holds key pairs (see {@code dev.clavis.keyring.pkcs11.TokenKeyStoreKeyPairTest})
 * and trusted certificates ({@code TokenKeyStoreTrustedCertificateTest}), but no ML-DSA key pairs:
 * one is refused with an error that says so, and nothing is left on the token.
 */
class TokenKeyPairRefusalTest {

  @Test
  void mlDsaKeyEntry_onTheToken_isRefusedClearly_nothingStored() throws Exception {
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, SoftHsm.PIN.toCharArray());
    String name = "pq-" + UUID.randomUUID().toString().substring(0, 8);
    KeyPair kp = java.security.KeyPairGenerator.getInstance("ML-DSA-65", dev.clavis.keyring.MlDsa.available()
        ? Security.getProvider("SUN") : new org.bouncycastle.jce.provider.BouncyCastleProvider()).generateKeyPair();
    java.security.cert.Certificate[] chain = {dev.clavis.keyring.MlDsa.available() ? KeyPairFixtures.selfSigned(kp, name)
        : KeyPairFixtures.selfSigned(KeyPairFixtures.Type.EC_P256.generate(), name)};
    KeyStoreException e = assertThrows(KeyStoreException.class,
        () -> ks.setKeyEntry(name, kp.getPrivate(), null, chain));
    // JDK 24+: the token has no ML-DSA (PKCS#11 v3.2); before: this JDK has none
    assertTrue(e.getMessage().contains(dev.clavis.keyring.MlDsa.available() ? "PKCS#11 v3.2"
        : dev.clavis.keyring.MlDsa.unavailableMessage()), e.getMessage());
    assertFalse(Collections.list(ks.aliases()).contains(name));
  }
}
