package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cache policy is a validated immutable value; the option is off unless given. */
class DataKeyCachePolicyTest {

  @Test
  void validBounds_areKept() {
    DataKeyCachePolicy p = DataKeyCachePolicy.of(Duration.ofSeconds(30), 1000, 1 << 20, 64);
    assertEquals(Duration.ofSeconds(30), p.maxAge());
    assertEquals(1000, p.maxUses());
    assertEquals(1 << 20, p.maxBytes());
    assertEquals(64, p.maxEntries());
    assertEquals(p, DataKeyCachePolicy.of(Duration.ofSeconds(30), 1000, 1 << 20, 64));
    assertEquals("DataKeyCachePolicy{maxAge=PT30S, maxUses=1000, maxBytes=1048576, maxEntries=64}", p.toString());
  }

  @Test
  void outOfRangeBounds_areRefusedNamingTheBound() {
    assertMessage("maxAge", () -> DataKeyCachePolicy.of(Duration.ZERO, 1, 1, 1));
    assertMessage("maxAge", () -> DataKeyCachePolicy.of(Duration.ofSeconds(-1), 1, 1, 1));
    assertMessage("maxAge", () -> DataKeyCachePolicy.of(Duration.ofHours(1).plusMillis(1), 1, 1, 1));
    assertMessage("maxUses", () -> DataKeyCachePolicy.of(Duration.ofSeconds(1), 0, 1, 1));
    assertMessage("maxBytes", () -> DataKeyCachePolicy.of(Duration.ofSeconds(1), 1, -1, 1));
    assertMessage("maxEntries", () -> DataKeyCachePolicy.of(Duration.ofSeconds(1), 1, 1, 0));
    assertMessage("maxEntries", () -> DataKeyCachePolicy.of(Duration.ofSeconds(1), 1, 1,
        DataKeyCachePolicy.MAX_ENTRIES_LIMIT + 1));
    assertThrows(NullPointerException.class, () -> DataKeyCachePolicy.of(null, 1, 1, 1));
  }

  private static void assertMessage(String bound, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(bound), x.getMessage());
  }

  @Test
  void options_cacheOffByDefault_onWhenGiven_keptThroughTheOtherSetters() {
    KeyringOptions o = KeyringOptions.file(Path.of("a.store"));
    assertTrue(o.dataKeyCache().isEmpty());
    DataKeyCachePolicy p = DataKeyCachePolicy.of(Duration.ofMinutes(1), 10, 100, 5);
    KeyringOptions with = o.withDataKeyCache(p).password(new char[] {'x'}).createIfMissing(false)
        .kdfForNew(TestStores.FAST_KDF).clock(java.time.Clock.systemUTC());
    assertEquals(p, with.dataKeyCache().orElseThrow());
    assertTrue(o.dataKeyCache().isEmpty(), "the original is unchanged");
    assertTrue(with.toString().contains("maxUses=10"), with.toString());
    assertThrows(NullPointerException.class, () -> o.withDataKeyCache(null));
  }
}
