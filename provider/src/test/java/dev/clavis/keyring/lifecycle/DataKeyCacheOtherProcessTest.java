package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyCachePolicy;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KEK's state changed by another JVM empties this process's cached data keys of that version
 * within a second, with no unwrap to notice it (the sweeper), and a hit after it is refused.
 */
class DataKeyCacheOtherProcessTest {

  static final Map<String, String> CTX = Map.of("tenant", "acme");

  @TempDir Path dir;
  Path store;
  KeyringEngine ring;

  @BeforeEach
  void open() {
    store = dir.resolve("cache.store");
    TestStores.open(store).close();
    Keyring k = Keyrings.open(KeyringOptions.file(store).password(TestStores.PASSWORD.toCharArray())
        .withDataKeyCache(DataKeyCachePolicy.of(Duration.ofMinutes(10), 1_000_000, Long.MAX_VALUE, 100)));
    ring = (KeyringEngine) k;
    ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private static boolean allZero(List<byte[]> arrays) {
    return arrays.stream().allMatch(a -> Arrays.equals(a, new byte[a.length]));
  }

  private void changeInAnotherProcess(String op, String version) throws Exception {
    Process p = ChildJvm.start(KeyringChangeMain.class, Map.of(), store.toString(), op, version);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the other process did not finish");
    assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private void wipedWithinOneSecond_withoutAnUnwrap(String op, KeyState expected) throws Exception {
    DataKey dk = ring.generateDataKey("kek", 256, CTX);
    Arrays.fill(ring.unwrapDataKey(dk.wrapped(), CTX), (byte) 0);
    Arrays.fill(ring.unwrapDataKey(dk.wrapped(), CTX), (byte) 0);
    assertEquals(1, ring.dataKeyCache().hits(), "the second unwrap was a hit");
    List<byte[]> cached = ring.dataKeyCache().cachedKeysForTest();
    assertFalse(allZero(cached));
    changeInAnotherProcess(op, dk.kek().toString());
    long changed = System.nanoTime();
    while (!allZero(cached)) {
      long ms = (System.nanoTime() - changed) / 1_000_000;
      if (ms > 1000) {
        fail("the cached data key of " + dk.kek() + " is still in memory " + ms + " ms after another process's " + op);
      }
      Thread.sleep(10);
    }
    assertEquals(0, ring.dataKeyCache().size());
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.unwrapDataKey(dk.wrapped(), CTX));
    assertEquals(expected, e.state());
  }

  @Test
  void revokeByAnotherProcess_wipesTheCachedKeyWithinOneSecond_withoutAnUnwrap() throws Exception {
    wipedWithinOneSecond_withoutAnUnwrap("revoke", KeyState.REVOKED);
  }

  @Test
  void suspendByAnotherProcess_wipesTheCachedKeyWithinOneSecond_withoutAnUnwrap() throws Exception {
    wipedWithinOneSecond_withoutAnUnwrap("suspend", KeyState.SUSPENDED);
  }

  @Test
  void openedWithoutTheOption_hasNoCache_andWithIt_hasTheGivenPolicy() {
    assertEquals(DataKeyCachePolicy.of(Duration.ofMinutes(10), 1_000_000, Long.MAX_VALUE, 100),
        ring.dataKeyCache().policy());
    try (Keyring plain = Keyrings.open(KeyringOptions.file(dir.resolve("plain.store"))
        .password(TestStores.PASSWORD.toCharArray()).kdfForNew(TestStores.LIGHTEST_KDF))) {
      assertNull(((KeyringEngine) plain).dataKeyCache());
    }
  }
}
