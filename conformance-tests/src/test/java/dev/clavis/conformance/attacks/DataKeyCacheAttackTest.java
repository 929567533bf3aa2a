package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyCachePolicy;
import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the data-key cache of a real file store: a cached data key outliving its KEK's
 * revoke or compromise by another process (the CLI jar's Main in its own JVM) or by this one under
 * a hot loop of hits, a cached key answering another context or an altered or foreign wrapped key.
 */
class DataKeyCacheAttackTest {

  static final Map<String, String> ROW1 = Map.of("tenant", "acme", "row", "1");
  /** Generous bounds: only the lifecycle may stop a hit here. */
  static final DataKeyCachePolicy LONG = DataKeyCachePolicy.of(Duration.ofHours(1), Long.MAX_VALUE, Long.MAX_VALUE,
      1000);

  @TempDir Path dir;
  Path store;
  Keyring ring;

  private static Keyring openCached(Path store) {
    return Keyrings.open(KeyringOptions.file(store).password(GcmLimitChildJvm.PASSWORD.toCharArray())
        .kdfForNew(TestStores.LIGHTEST_KDF).withDataKeyCache(LONG));
  }

  @BeforeEach
  void open() {
    store = dir.resolve("cache.store");
    ring = openCached(store);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  /** Unwraps; false when refused by the lifecycle with the version and the state named. */
  private boolean unwraps(DataKey dk, KeyState refusedAs) {
    try {
      byte[] dek = ring.unwrapDataKey(dk.wrapped(), ROW1);
      assertArrayEquals(dk.plaintextKey(), dek);
      Arrays.fill(dek, (byte) 0);
      return true;
    } catch (KeyUsageException e) {
      assertEquals(refusedAs, e.state());
      assertTrue(e.getMessage().contains(dk.kek().toString()), e.getMessage());
      return false;
    }
  }

  @Test
  void revokeAndCompromiseByTheCliInAnotherProcess_stopCachedDataKeysWithinOneSecond() throws Exception {
    ring.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.create("invoices", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    DataKey[] keys = {ring.generateDataKey("orders", 256, ROW1), ring.generateDataKey("invoices", 256, ROW1)};
    String[] commands = {"revoke", "compromise"};
    KeyState[] states = {KeyState.REVOKED, KeyState.COMPROMISED};
    for (DataKey dk : keys) {
      for (int i = 0; i < 3; i++) {
        assertTrue(unwraps(dk, null), "the cached key serves before the change");
      }
    }
    for (int i = 0; i < keys.length; i++) {
      GcmLimitChildJvm.finish(GcmLimitChildJvm.start(dev.clavis.cli.Main.class, commands[i], keys[i].kek().toString(),
          "--reason", "attack test", "--store", store.toString()));
    }
    long changed = System.nanoTime();
    for (int i = 0; i < keys.length; i++) {
      while (unwraps(keys[i], states[i])) {
        long ms = (System.nanoTime() - changed) / 1_000_000;
        if (ms > 1000) {
          fail("the cached data key of " + keys[i].kek() + " is still served " + ms + " ms after another process ran '"
              + commands[i] + "'");
        }
        Thread.sleep(5);
      }
      // and it stays refused: the refusal wiped the entry, nothing refills it
      assertFalse(unwraps(keys[i], states[i]));
    }
  }

  @Test
  void hotLoopOfHits_racingARevokeInThisProcess_noHitStartedAfterTheRevokeIsServed() throws Exception {
    ring.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    DataKey dk = ring.generateDataKey("orders", 256, ROW1);
    assertTrue(unwraps(dk, null));
    AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
    AtomicReference<String> violation = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        while (violation.get() == null) {
          long revoked = revokedAt.get(); // read before the call: a call after the revoke returned
          if (revoked != Long.MAX_VALUE && System.nanoTime() - revoked > 50_000_000L) {
            return; // 50 ms of calls after the revoke
          }
          try {
            byte[] dek = ring.unwrapDataKey(dk.wrapped(), ROW1);
            Arrays.fill(dek, (byte) 0);
            if (revoked != Long.MAX_VALUE) {
              violation.set("a hit that started after the revoke returned was served");
            }
          } catch (KeyUsageException e) {
            // refused: the only answer once the revoke is committed
          }
        }
      });
      threads.add(th);
      th.start();
    }
    Thread.sleep(100); // the hits are hot
    ring.revoke(dk.kek(), "attack test");
    revokedAt.set(System.nanoTime());
    for (Thread th : threads) {
      th.join(60_000);
    }
    assertEquals(null, violation.get());
    assertFalse(unwraps(dk, KeyState.REVOKED));
  }

  @Test
  void cachedKey_neverAnswersAnotherContext_anAlteredWrappedKey_orAnotherKeyringsKey() throws Exception {
    ring.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    DataKey dk = ring.generateDataKey("orders", 256, ROW1);
    assertTrue(unwraps(dk, null));
    assertTrue(unwraps(dk, null));
    EncryptionContextException e = assertThrows(EncryptionContextException.class,
        () -> ring.unwrapDataKey(dk.wrapped(), Map.of("tenant", "acme", "row", "2")));
    assertTrue(e.getMessage().contains("row differs"), e.getMessage());
    assertThrows(EncryptionContextException.class, () -> ring.unwrapDataKey(dk.wrapped()));

    // the cached key's own bytes with its context edited to the attacker's: another entry, and GCM refuses it
    byte[] forged = dk.wrapped();
    byte[] one = "row".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(forged, one) + one.length + 2;
    assertEquals('1', forged[at]);
    forged[at] = '2';
    KeyringException integrity = assertThrows(KeyringException.class,
        () -> ring.unwrapDataKey(forged, Map.of("tenant", "acme", "row", "2")));
    assertFalse(integrity instanceof EncryptionContextException);
    assertTrue(integrity.getMessage().contains("integrity"), integrity.getMessage());

    // another store with a key of the same name and its own cache
    try (Keyring other = openCached(dir.resolve("other.store"))) {
      other.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      KeyringException foreign = assertThrows(KeyringException.class, () -> other.unwrapDataKey(dk.wrapped(), ROW1));
      assertTrue(foreign.getMessage().contains("keyring"), foreign.getMessage());
    }
    assertTrue(unwraps(dk, null), "the genuine entry still serves");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
