package dev.clavis.conformance.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every JCA name of CONTRACT.md other than the key-wrap ones (those are in
 * {@link KeyWrapNamesTest}) resolves through {@code getInstance(name, "Clavis")} after
 * {@code Security.addProvider}, to an object of the Clavis provider under the contract's name.
 */
class ContractNamesTest {

  @BeforeAll
  static void install() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "SecretKeyFactory, Argon2id",
    "SecretKeyFactory, Argon2i",
    "SecretKeyFactory, Argon2d",
    "KeyFactory,       BIP32",
    "KeyStore,         Clavis",
    "KeyStore,         ClavisPKCS11",
    "KeyGenerator,     AES",
    "KeyGenerator,     HmacSHA256",
    "Cipher,           AES/GCM/NoPadding",
    "Mac,              HmacSHA256",
    "Signature,        SHA256withECDSA",
    "Signature,        SHA384withECDSA",
    "Signature,        SHA256withRSA",
    "Signature,        SHA384withRSA",
    "Signature,        RSASSA-PSS",
    "Signature,        Ed25519"
  })
  void contractName_resolvesInClavis(String type, String algorithm) throws Exception {
    Provider p = Security.getProvider("Clavis");
    Provider.Service s = p.getService(type, algorithm);
    assertNotNull(s, type + " " + algorithm + " is not registered");
    assertEquals(algorithm, s.getAlgorithm());
    Provider got;
    String name;
    switch (type) {
      case "SecretKeyFactory": {
        SecretKeyFactory f = SecretKeyFactory.getInstance(algorithm, "Clavis");
        got = f.getProvider();
        name = f.getAlgorithm();
        break;
      }
      case "KeyFactory": {
        KeyFactory f = KeyFactory.getInstance(algorithm, "Clavis");
        got = f.getProvider();
        name = f.getAlgorithm();
        break;
      }
      case "KeyStore": {
        KeyStore k = KeyStore.getInstance(algorithm, "Clavis");
        got = k.getProvider();
        name = k.getType();
        break;
      }
      case "KeyGenerator": {
        KeyGenerator g = KeyGenerator.getInstance(algorithm, "Clavis");
        got = g.getProvider();
        name = g.getAlgorithm();
        break;
      }
      case "Cipher": {
        Cipher c = Cipher.getInstance(algorithm, "Clavis");
        got = c.getProvider();
        name = c.getAlgorithm();
        break;
      }
      case "Mac": {
        Mac m = Mac.getInstance(algorithm, "Clavis");
        got = m.getProvider();
        name = m.getAlgorithm();
        break;
      }
      case "Signature": {
        java.security.Signature g = java.security.Signature.getInstance(algorithm, "Clavis");
        got = g.getProvider();
        name = g.getAlgorithm();
        break;
      }
      default:
        throw new AssertionError("unknown type " + type);
    }
    assertSame(p, got, type + " " + algorithm);
    assertEquals(algorithm, name);
  }

  /** A provider made by {@code configure} is bound to its token and offers the token keystore. */
  @Test
  void keyStoreClavisPkcs11_resolvesOnAConfiguredProvider() throws Exception {
    SoftHsm.require();
    Provider configured = new ClavisProvider().configure(SoftHsm.configFile().toString());
    assertEquals("Clavis-" + Pkcs11Config.parse(SoftHsm.configFile()).name(), configured.getName());
    assertNotNull(configured.getService("KeyStore", "ClavisPKCS11"));
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", configured);
    assertSame(configured, ks.getProvider());
    assertEquals("ClavisPKCS11", ks.getType());
  }
}
