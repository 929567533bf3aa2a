package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyCachePolicy;
import dev.clavis.keyring.EncryptionContext;
import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.ForwardingKeyBackend;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data-key cache: bounded by age, uses and bytes; a hit never bypasses the KEK's lifecycle; a
 * state change in this process wipes the version's entries at once; close wipes; the context is
 * part of the key; callers get copies; off unless turned on.
 */
class DataKeyCacheTest {

  static final Map<String, String> ROW1 = Map.of("tenant", "acme", "row", "1");
  static final Map<String, String> ROW2 = Map.of("tenant", "acme", "row", "2");

  /** Counts the backend's material look-ups: each uncached unwrap makes one. */
  static final class CountingBackend extends ForwardingKeyBackend {
    final AtomicInteger materials = new AtomicInteger();

    CountingBackend(KeyBackend inner) {
      super(inner);
    }

    @Override
    public Optional<KeyMaterial> material(KeyRef version) {
      materials.incrementAndGet();
      return inner.material(version);
    }
  }

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  CountingBackend backend;
  KeyringEngine ring;

  @BeforeEach
  void open() {
    backend = new CountingBackend(FileKeyBackend.inMemory(TestStores.FAST_KDF));
    ring = new KeyringEngine(backend, clock, Duration.ZERO);
    ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private DataKey withCache(long maxUses, long maxBytes) {
    ring.enableDataKeyCache(DataKeyCachePolicy.of(Duration.ofMinutes(5), maxUses, maxBytes, 100));
    return ring.generateDataKey("kek", 256, ROW1);
  }

  /** Unwraps, checks the DEK, wipes the copy; returns how many backend look-ups it took. */
  private int unwrapCounting(DataKey dk, long bytes) {
    int before = backend.materials.get();
    byte[] dek = ring.unwrapDataKey(dk.wrapped(), ROW1, bytes);
    assertArrayEquals(dk.plaintextKey(), dek);
    Arrays.fill(dek, (byte) 0);
    return backend.materials.get() - before;
  }

  private static boolean allZero(List<byte[]> arrays) {
    for (byte[] a : arrays) {
      for (byte b : a) {
        if (b != 0) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void cacheIsOffByDefault_theBackendIsCalledOnEveryUnwrap() {
    assertTrue(KeyringOptions.file(Path.of("x.store")).dataKeyCache().isEmpty());
    assertNull(ring.dataKeyCache());
    DataKey dk = ring.generateDataKey("kek", 256, ROW1);
    for (int i = 0; i < 5; i++) {
      assertEquals(1, unwrapCounting(dk, 0), "unwrap " + i);
    }
  }

  @Test
  void cacheOn_repeatedUnwrapsAreServedFromMemory() {
    DataKey dk = withCache(100, Long.MAX_VALUE);
    assertEquals(1, unwrapCounting(dk, 0));
    for (int i = 0; i < 5; i++) {
      assertEquals(0, unwrapCounting(dk, 0), "hit " + i);
    }
    assertEquals(5, ring.dataKeyCache().hits());
  }

  @Test
  void entryExpiresByAge_andIsWipedWhenSwept() {
    DataKey dk = withCache(100, Long.MAX_VALUE);
    assertEquals(1, unwrapCounting(dk, 0));
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertEquals(0, unwrapCounting(dk, 0), "just before the age limit");
    List<byte[]> cached = ring.dataKeyCache().cachedKeysForTest();
    clock.advance(Duration.ofMillis(1));
    ring.dataKeyCache().sweep();
    assertTrue(allZero(cached), "the expired entry is zeroed");
    assertEquals(0, ring.dataKeyCache().size());
    assertEquals(1, unwrapCounting(dk, 0), "at the age limit: the backend again");
  }

  @Test
  void entryExpiresByUses_theFillingUnwrapCounting() {
    DataKey dk = withCache(3, Long.MAX_VALUE);
    assertEquals(1, unwrapCounting(dk, 0));
    assertEquals(0, unwrapCounting(dk, 0));
    assertEquals(0, unwrapCounting(dk, 0));
    List<byte[]> cached = ring.dataKeyCache().cachedKeysForTest();
    assertEquals(1, unwrapCounting(dk, 0), "the fourth use goes to the backend");
    assertTrue(allZero(cached), "the used-up entry is zeroed");
  }

  @Test
  void entryExpiresByBytes_andABiggerRequestThanTheBoundIsNeverCached() {
    DataKey dk = withCache(100, 100);
    assertEquals(1, unwrapCounting(dk, 60));
    assertEquals(0, unwrapCounting(dk, 40), "100 bytes in all: within the bound");
    assertEquals(1, unwrapCounting(dk, 1), "101 bytes: the backend again");
    assertEquals(0, unwrapCounting(dk, 0));
    assertEquals(1, unwrapCounting(dk, 101), "more than an entry may protect: uncached");
    assertEquals(0, unwrapCounting(dk, 99), "the entry was left as it was");
    assertThrows(IllegalArgumentException.class, () -> ring.unwrapDataKey(dk.wrapped(), ROW1, -1));
  }

  private void cachedEntry_isWipedAtOnceAndRefused_after(Consumer<KeyRef> change, KeyState expected) {
    DataKey dk = withCache(100, Long.MAX_VALUE);
    assertEquals(1, unwrapCounting(dk, 0));
    List<byte[]> cached = ring.dataKeyCache().cachedKeysForTest();
    assertFalse(allZero(cached));
    change.accept(dk.kek());
    assertTrue(allZero(cached), "wiped by the commit itself, before any unwrap");
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.unwrapDataKey(dk.wrapped(), ROW1));
    assertEquals(expected, e.state());
  }

  @Test
  void revokedKek_cachedEntryWipedAtOnce_andNotServed() {
    cachedEntry_isWipedAtOnceAndRefused_after(r -> ring.revoke(r, "test"), KeyState.REVOKED);
  }

  @Test
  void suspendedKek_cachedEntryWipedAtOnce_andNotServed() {
    cachedEntry_isWipedAtOnceAndRefused_after(r -> ring.suspend(r, "test"), KeyState.SUSPENDED);
  }

  @Test
  void compromisedKek_cachedEntryWipedAtOnce_andNotServed() {
    cachedEntry_isWipedAtOnceAndRefused_after(r -> ring.markCompromised(r, "test"), KeyState.COMPROMISED);
  }

  @Test
  void destroyedKek_cachedEntryWipedAtOnce_andNotServed() {
    DataKey dk = withCache(100, Long.MAX_VALUE);
    ring.rotate("kek", "before destroying #1");
    assertEquals(1, unwrapCounting(dk, 0));
    List<byte[]> cached = ring.dataKeyCache().cachedKeysForTest();
    ring.destroyNow(dk.kek());
    assertTrue(allZero(cached), "wiped by the commit itself");
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.unwrapDataKey(dk.wrapped(), ROW1));
    assertEquals(KeyState.DESTROYED, e.state());
  }

  @Test
  void rotation_changesTheOldVersionsState_itsEntryIsWipedAndRefilled() {
    DataKey dk = withCache(100, Long.MAX_VALUE);
    assertEquals(1, unwrapCounting(dk, 0));
    List<byte[]> cached = ring.dataKeyCache().cachedKeysForTest();
    ring.rotate("kek", "test");
    assertTrue(allZero(cached), "ACTIVE became DEPRECATED: the entry is wiped");
    assertEquals(1, unwrapCounting(dk, 0), "a DEPRECATED version still unwraps, through the backend");
    assertEquals(0, unwrapCounting(dk, 0));
  }

  @Test
  void streamDecryption_usesTheCache_andARevokeStopsIt() throws Exception {
    ring.enableDataKeyCache(DataKeyCachePolicy.of(Duration.ofMinutes(5), 100, Long.MAX_VALUE, 10));
    byte[] plain = new byte[5000];
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream enc = ring.newEncryptingStream("kek", ROW1, null, out)) {
      enc.write(plain);
    }
    byte[] stream = out.toByteArray();
    for (int i = 0; i < 3; i++) {
      try (java.io.InputStream dec = ring.newDecryptingStream(new java.io.ByteArrayInputStream(stream), ROW1, null,
          false)) {
        assertArrayEquals(plain, dec.readAllBytes());
      }
    }
    assertEquals(2, ring.dataKeyCache().hits());
    assertThrows(EncryptionContextException.class,
        () -> ring.newDecryptingStream(new java.io.ByteArrayInputStream(stream), ROW2, null, false));
    List<byte[]> cached = ring.dataKeyCache().cachedKeysForTest();
    ring.revoke(KeyRef.of("kek", 1), "test");
    assertTrue(allZero(cached));
    assertThrows(KeyUsageException.class,
        () -> ring.newDecryptingStream(new java.io.ByteArrayInputStream(stream), ROW1, null, false));
  }

  /** The hit path alone (no sweep, no commit hook): the state is asked on every hit. */
  @Test
  void hitChecksTheKekStateEveryTime_aRefusalWipesAndThrows() {
    AtomicReference<KeyState> state = new AtomicReference<>(KeyState.ACTIVE);
    DataKeyCache.StateCheck check = v -> {
      KeyState s = state.get();
      if (!s.allowsUnprotect()) {
        throw new KeyUsageException(v, s, "key " + v + " is " + s);
      }
      return s;
    };
    KeyRef kek = KeyRef.of("kek", 1);
    byte[] wrapped = {1, 2, 3};
    AtomicInteger unwraps = new AtomicInteger();
    try (DataKeyCache c = new DataKeyCache(DataKeyCachePolicy.of(Duration.ofMinutes(1), 100, 1000, 10), clock, check,
        false)) {
      assertArrayEquals(new byte[] {9, 9}, c.get(wrapped, EncryptionContext.empty(), kek, 0, () -> {
        unwraps.incrementAndGet();
        return new byte[] {9, 9};
      }));
      assertArrayEquals(new byte[] {9, 9}, c.get(wrapped, EncryptionContext.empty(), kek, 0, () -> fail("a miss")));
      List<byte[]> cached = c.cachedKeysForTest();
      state.set(KeyState.REVOKED);
      assertThrows(KeyUsageException.class,
          () -> c.get(wrapped, EncryptionContext.empty(), kek, 0, () -> fail("the lifecycle was bypassed")));
      assertTrue(allZero(cached));
      assertEquals(0, c.size());
      assertEquals(1, unwraps.get());
    }
  }

  @Test
  void contextMismatch_isNeverAHit() {
    DataKey dk = withCache(100, Long.MAX_VALUE);
    assertEquals(1, unwrapCounting(dk, 0));
    assertThrows(EncryptionContextException.class, () -> ring.unwrapDataKey(dk.wrapped(), ROW2));
    assertThrows(EncryptionContextException.class, () -> ring.unwrapDataKey(dk.wrapped()));
    // below the binding check: the same bytes under another context are another entry
    DataKeyCache c = ring.dataKeyCache();
    byte[] other = c.get(dk.wrapped(), EncryptionContext.of(ROW2), dk.kek(), 0, () -> new byte[] {7});
    assertArrayEquals(new byte[] {7}, other, "a hit across contexts");
    assertEquals(2, c.size());
  }

  @Test
  void returnedKeysAreCopies_wipingThemLeavesTheCacheIntact() {
    DataKey dk = withCache(100, Long.MAX_VALUE);
    byte[] first = ring.unwrapDataKey(dk.wrapped(), ROW1);
    Arrays.fill(first, (byte) 0);
    byte[] second = ring.unwrapDataKey(dk.wrapped(), ROW1);
    assertArrayEquals(dk.plaintextKey(), second);
    for (byte[] cached : ring.dataKeyCache().cachedKeysForTest()) {
      assertNotSame(second, cached);
    }
  }

  @Test
  void close_wipesEveryCachedKey() {
    withCache(100, Long.MAX_VALUE);
    for (int i = 0; i < 5; i++) {
      DataKey dk = ring.generateDataKey("kek", 256, ROW1);
      Arrays.fill(ring.unwrapDataKey(dk.wrapped(), ROW1), (byte) 0);
    }
    DataKeyCache c = ring.dataKeyCache();
    List<byte[]> cached = c.cachedKeysForTest();
    assertEquals(5, cached.size());
    assertFalse(allZero(cached));
    ring.close();
    assertTrue(allZero(cached), "close zeroes the cached arrays");
    assertEquals(0, c.size());
  }

  @Test
  void leastRecentlyUsedEntryIsWipedBeyondMaxEntries() {
    ring.enableDataKeyCache(DataKeyCachePolicy.of(Duration.ofMinutes(5), 100, Long.MAX_VALUE, 2));
    DataKey a = ring.generateDataKey("kek", 256, ROW1);
    DataKey b = ring.generateDataKey("kek", 256, ROW1);
    DataKey c = ring.generateDataKey("kek", 256, ROW1);
    assertEquals(1, unwrapCounting(a, 0));
    List<byte[]> cachedA = ring.dataKeyCache().cachedKeysForTest();
    assertEquals(1, unwrapCounting(b, 0));
    assertEquals(1, unwrapCounting(c, 0));
    assertEquals(2, ring.dataKeyCache().size());
    assertTrue(allZero(cachedA), "the evicted entry is zeroed");
    assertEquals(0, unwrapCounting(c, 0));
  }

  @Test
  void enablingTwice_isRefused() {
    withCache(10, 10);
    assertThrows(IllegalStateException.class,
        () -> ring.enableDataKeyCache(DataKeyCachePolicy.of(Duration.ofSeconds(1), 1, 1, 1)));
  }

  @Test
  void concurrentHitsAndMisses_neverHandOutAWrongOrCorruptedKey() throws Exception {
    ring.enableDataKeyCache(DataKeyCachePolicy.of(Duration.ofMinutes(5), 7, 10_000, 5));
    List<DataKey> keys = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      keys.add(ring.generateDataKey("kek", 256, Map.of("row", Integer.toString(i))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        results.add(pool.submit(() -> {
          int served = 0;
          for (int n = 0; n < 1500; n++) {
            int i = ThreadLocalRandom.current().nextInt(keys.size());
            DataKey dk = keys.get(i);
            byte[] dek = ring.unwrapDataKey(dk.wrapped(), Map.of("row", Integer.toString(i)), 100);
            if (!Arrays.equals(dk.plaintextKey(), dek)) {
              throw new AssertionError("key " + i + " came back different");
            }
            Arrays.fill(dek, (byte) 0); // the caller's wipe must not reach the cache
            served++;
          }
          return served;
        }));
      }
      for (Future<Integer> f : results) {
        assertEquals(1500, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    DataKeyCache c = ring.dataKeyCache();
    assertTrue(c.hits() > 0 && c.misses() > 0, c.hits() + " hits, " + c.misses() + " misses");
    assertTrue(c.size() <= 5);
  }
}
