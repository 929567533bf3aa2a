package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.HdDerivation;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.Security;
import java.security.Signature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the link between an HD seed and its children: relabelling a child to drop or forge
 * its derivation, keeping a handle across the seed's compromise, exporting a child of a revoked
 * seed, rotating or exporting the seed itself. Each must leave the child bound to its seed.
 */
class HdSeedLineageAttackTest {

  @TempDir Path dir;

  @BeforeAll
  static void addClavis() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    java.util.Arrays.fill(s, (byte) b);
    return s;
  }

  @Test
  void relabellingAChild_cannotDropOrForgeItsDerivation() throws Exception {
    try (Keyring ring = TestStores.open(dir.resolve("a.store"))) {
      ring.importSeed("victim", seed(1), KeyPolicy.defaults());
      ring.importSeed("other", seed(2), KeyPolicy.defaults());
      ring.deriveKey("victim", "m/0'", "c", KeyPolicy.defaults());
      ring.updateMetadata("c", KeyMetadata.empty());
      ring.updateMetadata("c", KeyMetadata.builder().derivation(HdDerivation.of("other", 1, new int[] {1})).build());
      assertEquals(KeyRef.parse("victim#1"), ring.find("c").orElseThrow().metadata().derivation().orElseThrow().seedRef());
      ring.suspend(KeyRef.parse("victim"), "incident");
      ManagedPrivateKey h = ring.privateKeyHandle(KeyRef.parse("c"));
      InvalidKeyException e = assertThrows(InvalidKeyException.class,
          () -> Signature.getInstance("SHA256withECDSA").initSign(h));
      assertTrue(e.getMessage().contains("victim#1") && e.getMessage().contains("SUSPENDED"), e.getMessage());
    }
  }

  @Test
  void aHandleHeldAcrossTheSeedsCompromise_signsNoMore_andTheChildIsNotExported() throws Exception {
    try (Keyring ring = TestStores.open(dir.resolve("b.store"))) {
      ring.importSeed("s", seed(3), KeyPolicy.defaults());
      ring.deriveKey("s", "m/44'/0'/0'/0'/0'", "c", KeyPolicy.builder().exportable(true).build());
      Signature sig = Signature.getInstance("SHA256withECDSA");
      sig.initSign(ring.privateKeyHandle(KeyRef.parse("c")));
      sig.update(new byte[] {1});
      sig.sign();
      ring.markCompromised(KeyRef.parse("s"), "seed phrase photographed");
      java.security.SignatureException e = assertThrows(java.security.SignatureException.class, () -> {
        sig.update(new byte[] {2}); // the next message takes its use, under the seed's state now
        sig.sign();
      });
      assertTrue(e.getMessage().contains("s#1") && e.getMessage().contains("COMPROMISED"), e.getMessage());
      assertEquals(dev.clavis.keyring.KeyState.COMPROMISED, ring.find("c").orElseThrow().versions().get(0).state(),
          "the compromise cascades to the child");
      assertThrows(KeyUsageException.class, () -> ring.exportKey(KeyRef.parse("c")));
    }
  }

  @Test
  void theSeedItself_isNotExportedByDefault_norRotatedIntoANewSeed() throws Exception {
    try (Keyring ring = TestStores.open(dir.resolve("c.store"))) {
      ring.importSeed("s", seed(4), KeyPolicy.defaults());
      assertThrows(KeyUsageException.class, () -> ring.exportKey(KeyRef.parse("s")));
      assertThrows(IllegalArgumentException.class, () -> ring.rotate("s", null));
      assertThrows(IllegalArgumentException.class, () -> ring.privateKeyHandle(KeyRef.parse("s")));
    }
  }
}
