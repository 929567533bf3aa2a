package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store and audit log written by the code before the store/log cross-check (resources
 * {@code rollback/}) still open, verify, and get their commit mark at the first open.
 */
class BaseFixtureTest {

  static final char[] PW = "fixture-password".toCharArray();
  @TempDir Path dir;
  Path store;

  @BeforeEach
  void copy() throws Exception {
    store = dir.resolve("base.store");
    for (String f : new String[] {"base.store", "base.store.audit"}) {
      try (InputStream in = getClass().getResourceAsStream("/rollback/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
  }

  private KeyState state(Keyring k, String name, int v) {
    return k.find(name).orElseThrow().version(v).orElseThrow().state();
  }

  @Test
  void baseStoreAndLog_openAndVerify_andAreMarkedFromTheFirstOpen() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(10, k.auditLog().verify());
      assertEquals(KeyState.REVOKED, state(k, "pay", 1));
      assertEquals(KeyState.ACTIVE, state(k, "pay", 2));
      assertEquals(KeyState.COMPROMISED, state(k, "old", 1));
      k.revoke(KeyRef.of("gone", 1), "after the upgrade");
      assertEquals(11, k.auditLog().verify());
    }
    assertTrue(Files.exists(dir.resolve("base.store.audit.head")));
  }

  @Test
  void baseStore_rolledBackAfterTheUpgrade_isRefused() throws Exception {
    byte[] before = Files.readAllBytes(store);
    try (Keyring k = Keyrings.openFile(store, PW)) {
      k.revoke(KeyRef.of("gone", 1), "x");
      k.create("new", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    Files.write(store, before);
    assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(store, PW));
  }
}
