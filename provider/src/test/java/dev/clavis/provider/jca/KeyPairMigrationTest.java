package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.lifecycle.KeyringMigration;
import dev.clavis.provider.ClavisProvider;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Security;
import java.security.Signature;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeyringMigration} of key pairs: the copy signs with the same private key and keeps the certificate chain. */
class KeyPairMigrationTest {

  @TempDir Path dir;

  @BeforeAll
  static void addClavis() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private Keyring open(String name) {
    return Keyrings.open(KeyringOptions.file(dir.resolve(name)).password("pw".toCharArray())
        .kdfForNew(TestStores.FAST_KDF));
  }

  @Test
  void migratedKeyPair_signsWithTheSamePrivateKey_andKeepsItsChain() throws Exception {
    KeyPair kp = KeyPairFixtures.Type.EC_P256.generate();
    byte[] cert = KeyPairFixtures.selfSigned(kp, "migrated").getEncoded();
    byte[] data = {1, 2, 3};
    try (Keyring src = open("src.clavis"); Keyring dst = open("dst.clavis")) {
      src.importKeyPair("tls", KeyAlgorithm.EC_P256, KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(cert)),
          KeyPolicy.defaults());
      KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
      assertArrayEquals(cert, dst.certificates(KeyRef.of("tls")).get(0));
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(dst.privateKeyHandle(KeyRef.of("tls")));
      s.update(data);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance("SHA256withECDSA", "SunEC");
      v.initVerify(kp.getPublic());
      v.update(data);
      assertTrue(v.verify(sig), "the copy signs with the imported private key");
    }
  }
}
