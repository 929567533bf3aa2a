package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageLedgerTest {

  static final KdfParameters FAST = TestStores.FAST_KDF;
  static final byte[] PT = "attack at dawn".getBytes(StandardCharsets.UTF_8);
  static final KeyRef V1 = KeyRef.of("k", 1);

  /** One version kept in memory, changed as the engine's transactions would. */
  static final class OneVersion implements UsageLedger.Transactor {
    VersionRecord v;
    int writes;

    OneVersion(long limit) {
      v = VersionRecord.builder().version(1).state(KeyState.ACTIVE).algorithm(KeyAlgorithm.AES_256)
          .origin(KeyVersionInfo.Origin.GENERATED).created(Instant.EPOCH).activated(Instant.EPOCH).usageLimit(limit)
          .build();
    }

    @Override
    public Map<KeyRef, UsageLedger.Change> update(Iterable<KeyRef> versions,
        BiFunction<KeyRef, VersionRecord, UsageLedger.Change> change) {
      Map<KeyRef, UsageLedger.Change> out = new HashMap<>();
      for (KeyRef r : versions) {
        UsageLedger.Change c = change.apply(r, v);
        if (c != null) {
          v = c.updated();
          writes++;
          out.put(r, c);
        }
      }
      return out;
    }
  }

  static long limitOf(VersionRecord v) {
    return v.usageLimit() > 0 ? v.usageLimit() : Long.MAX_VALUE;
  }

  @Test
  void usage_firstBlockIsSmall_soACrashOverCountsByAFewUses() {
    OneVersion store = new OneVersion(0);
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> 1);
    assertTrue(l.take(V1, 1, store.v));
    assertEquals(UsageLedger.INITIAL_BLOCK, store.v.usageReserved(), "reserved before the use, a small block");
    assertTrue(UsageLedger.INITIAL_BLOCK <= 8);
    assertEquals(0, store.v.usesSettled());
  }

  @Test
  void usage_blocksGrowOnlyForFastUsers() {
    OneVersion store = new OneVersion(0);
    long[] now = {1};
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> now[0]);
    // fast: every block used up within a millisecond doubles the next one
    long uses = 0;
    while (store.writes < 4) {
      assertTrue(l.take(V1, 1, store.v));
      uses++;
      now[0] += 1_000;
    }
    assertEquals(8 + 16 + 32 + 64, store.v.usageReserved());
    assertEquals(8 + 16 + 32 + 1, uses);
    // slow: a block that took longer than a second to use up is followed by a small one again
    while (l.counter(V1).used() < l.counter(V1).held()) {
      assertTrue(l.take(V1, 1, store.v));
    }
    now[0] += 5_000_000_000L;
    assertTrue(l.take(V1, 1, store.v));
    assertEquals(8 + 16 + 32 + 64 + UsageLedger.INITIAL_BLOCK, store.v.usageReserved());
  }

  /**
   * A steady user whose blocks take a little over a second keeps its block size: it does not fall
   * back to the first small block and climb through a dozen writes again (each a token commit).
   */
  @Test
  void usage_blockUsedUpWithinTheSteadyWindow_keepsItsSize() {
    OneVersion store = new OneVersion(0);
    long[] now = {1};
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> now[0]);
    while (store.writes < 4) { // 8, 16, 32, 64: each used up within a millisecond
      assertTrue(l.take(V1, 1, store.v));
      now[0] += 1_000;
    }
    for (int block = 0; block < 3; block++) {
      while (l.counter(V1).used() < l.counter(V1).held()) {
        assertTrue(l.take(V1, 1, store.v));
      }
      now[0] += 2_000_000_000L; // each block took two seconds: steady, not fast
      assertTrue(l.take(V1, 1, store.v));
    }
    assertEquals(8 + 16 + 32 + 64 + 3 * 64, store.v.usageReserved(), "three more blocks of the same size");
    assertEquals(7, store.writes, "one write per block");
  }

  @Test
  void nextBlock_fastDoubles_steadyKeeps_slowStartsSmall() {
    assertEquals(128, UsageLedger.nextBlock(64, UsageLedger.FAST_NANOS - 1));
    assertEquals(UsageLedger.MAX_BLOCK, UsageLedger.nextBlock(UsageLedger.MAX_BLOCK, 1));
    assertEquals(64, UsageLedger.nextBlock(64, UsageLedger.FAST_NANOS));
    assertEquals(64, UsageLedger.nextBlock(64, UsageLedger.STEADY_NANOS - 1));
    assertEquals(UsageLedger.INITIAL_BLOCK, UsageLedger.nextBlock(64, UsageLedger.STEADY_NANOS));
  }

  @Test
  void usage_blocksAreCappedAtAQuarterOfTheRemainingLimit() {
    OneVersion store = new OneVersion(100);
    long[] now = {1};
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> now[0]);
    for (int i = 0; i < 100; i++) {
      assertTrue(l.take(V1, 1, store.v), "use " + i + " is within the limit of 100");
      now[0] += 1_000;
      long remainingBefore = 100 - store.v.usageReserved();
      assertTrue(remainingBefore >= 0);
    }
    assertFalse(l.take(V1, 1, store.v), "the 101st use is refused");
    assertEquals(100, store.v.usageReserved());
  }

  @Test
  void usage_giveBackSettlesUsesAndReleasesTheRest_inAnyOrder() {
    OneVersion store = new OneVersion(0);
    UsageLedger a = new UsageLedger(store, UsageLedgerTest::limitOf, () -> 1);
    UsageLedger b = new UsageLedger(store, UsageLedgerTest::limitOf, () -> 1);
    assertTrue(a.take(V1, 1, store.v));
    assertTrue(b.take(V1, 1, store.v));
    assertTrue(b.take(V1, 1, store.v));
    assertEquals(16, store.v.usageReserved());
    a.giveBack(); // a is not the newest reservation: before the ledger it could not give back
    assertEquals(1, store.v.usesSettled());
    assertEquals(9, store.v.usageReserved(), "b's block of 8 is still outstanding");
    b.giveBack();
    assertEquals(3, store.v.usesSettled());
    assertEquals(3, store.v.usageReserved());
  }

  @Test
  void usage_view_showsOwnUsesExactly_andOthersReservationsAsReserved() {
    OneVersion store = new OneVersion(0);
    UsageLedger a = new UsageLedger(store, UsageLedgerTest::limitOf, () -> 1);
    UsageLedger b = new UsageLedger(store, UsageLedgerTest::limitOf, () -> 1);
    assertTrue(a.take(V1, 1, store.v));
    assertTrue(b.take(V1, 1, store.v));
    assertEquals(new UsageLedger.View(1, 8), a.view(V1, store.v));
    assertEquals(new UsageLedger.View(0, 16), new UsageLedger(store, UsageLedgerTest::limitOf, () -> 1)
        .view(V1, store.v));
  }

  @Test
  void usage_twoProcessesClosingOutOfOrder_countExactly(@TempDir Path dir) {
    Path f = dir.resolve("s.clavis");
    Keyring a = Keyrings.openFile(f, "pw".toCharArray(), FAST);
    a.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Keyring b = Keyrings.openFile(f, "pw".toCharArray());
    a.encrypt("k", PT, null);
    b.encrypt("k", PT, null);
    a.close(); // a's block is not the newest: the base code left it counted
    b.close();
    try (Keyring c = Keyrings.openFile(f, "pw".toCharArray())) {
      KeyVersionInfo v = c.find("k").orElseThrow().latest();
      assertEquals(2, v.usageCount(), v.toString());
      assertEquals(2, v.uses());
      assertEquals(0, v.reserved());
    }
  }

  @Test
  void usage_exitHook_registeredOncePerKeyring_removedAtClose(@TempDir Path dir) {
    Path f = dir.resolve("s.clavis");
    KeyringEngine e = (KeyringEngine) Keyrings.openFile(f, "pw".toCharArray(), FAST);
    assertTrue(e.usageLedger().exitHookRegistered());
    e.usageLedger().registerExitHook();
    e.close();
    assertFalse(e.usageLedger().exitHookRegistered());
  }

  @Test
  void usage_exitHook_doesNotKeepAnUnclosedLedgerAlive() throws Exception {
    OneVersion store = new OneVersion(0);
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> 1);
    l.registerExitHook();
    WeakReference<UsageLedger> ref = new WeakReference<>(l);
    l = null;
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(ref.get(), "the shutdown hook holds the ledger only weakly");
  }

  @Test
  void usage_storeWrittenByTheBaseCode_opensAndReadsItsCountsAsReserved(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("base-store.clavis");
    for (String n : new String[] {"base-store.clavis", "base-store.clavis.audit"}) {
      try (InputStream in = getClass().getResourceAsStream("/usage/" + n)) {
        Files.copy(in, dir.resolve(n));
      }
    }
    try (Keyring k = Keyrings.openFile(f, "fixture-password".toCharArray())) {
      KeyVersionInfo closed = k.find("closed").orElseThrow().latest();
      assertEquals(3, closed.usageCount(), "the count is kept");
      assertEquals(3, closed.reserved(), "format 1 did not tell exact uses from reservations");
      assertEquals(10000, closed.usageLimit());
      assertEquals(1024, k.find("crashed").orElseThrow().latest().usageCount(), "the crashed block stays counted");
      assertEquals(KeyState.SUSPENDED, k.find("suspended").orElseThrow().version(2).orElseThrow().state());
      assertTrue(k.find("doomed").orElseThrow().latest().destroyAt().isPresent());
      k.encrypt("closed", PT, null);
      assertTrue(k.auditLog().verify() > 0, "the base code's audit log verifies on");
    }
    try (Keyring k = Keyrings.openFile(f, "fixture-password".toCharArray())) {
      KeyVersionInfo closed = k.find("closed").orElseThrow().latest();
      assertEquals(1, closed.uses());
      assertEquals(3, closed.reserved());
      assertEquals(4, closed.usageCount());
    }
  }

  @Test
  void usage_settledCount_survivesTheMetadataCodec_andAForgedOneIsRefused() {
    VersionRecord v = new OneVersion(0).v.withUsage(12, 5);
    KeyRecord k = KeyRecord.builder().name("k").algorithm(KeyAlgorithm.AES_256).policy(KeyPolicy.defaults())
        .versions(java.util.List.of(v)).primary(1).build();
    byte[] doc = MetadataCodec.encode(Map.of("k", k), 0, new byte[32]);
    VersionRecord back = MetadataCodec.decode(doc).keys().get("k").version(1);
    assertEquals(12, back.usageReserved());
    assertEquals(5, back.usesSettled());
    // the settled count is the document's last 8 bytes: forge it above the count
    doc[doc.length - 1] = 13;
    assertThrows(dev.clavis.keyring.KeyringException.class, () -> MetadataCodec.decode(doc));
  }
}
