package dev.clavis.keyring.backup;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token-rooted file store (its master key wrapped by a root key on SoftHSM2) backed up and
 * restored from 2 of 3 shares: the restored store opens with the token, verifies its audit
 * chain and decrypts data made before the backup. Fails when SoftHSM2 is missing (the fixture
 * says so).
 */
class TokenRootedBackupTest {

  @TempDir Path dir;

  /** The JVM's token must exist before the module loads (SoftHsmTokens.config() only describes it). */
  @BeforeAll
  static void token() {
    SoftHsm.require();
  }

  @Test
  void tokenRootedStore_restoredFromTwoOfThree_opensWithTheTokenAndDecrypts() throws Exception {
    Path store = dir.resolve("rooted.store");
    Map<String, byte[]> envs = new HashMap<>();
    KeyringOptions o = KeyringOptions.tokenRootedFile(store, SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray());
    List<char[]> pws = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      pws.add(("token custodian " + i).toCharArray());
    }
    try (Keyring k = Keyrings.open(o)) {
      for (int i = 0; i < 120; i++) {
        k.create("t" + i, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      }
      for (int i = 0; i < 120; i += 30) {
        envs.put("t" + i, k.encrypt("t" + i, ("rooted " + i).getBytes(StandardCharsets.UTF_8), null));
      }
      KeyringBackup.create(k, store, dir.resolve("bk"), 3, 2, pws, KeyringBackupTest.SHARE_KDF);
    }
    Path target = dir.resolve("restored").resolve("r.store");
    KeyringBackup.restore(dir.resolve("bk").resolve(KeyringBackup.BACKUP_FILE),
        List.of(dir.resolve("bk").resolve(KeyringBackup.shareFileName(3, 3)),
            dir.resolve("bk").resolve(KeyringBackup.shareFileName(2, 3))),
        s -> ("token custodian " + s.number()).toCharArray(), target, null, false);
    assertTrue(Keyrings.isTokenRooted(target));
    try (Keyring k = Keyrings.open(KeyringOptions.tokenRootedFile(target, SoftHsmTokens.config())
        .pin(SoftHsm.PIN.toCharArray()).createIfMissing(false))) {
      k.auditLog().verify();
      assertEquals(120, k.list().size());
      for (Map.Entry<String, byte[]> e : envs.entrySet()) {
        assertEquals("rooted " + e.getKey().substring(1), new String(k.decrypt(e.getValue(), null), StandardCharsets.UTF_8));
      }
    }
  }
}
