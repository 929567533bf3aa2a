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

  /** Runs nothing until told: the read-ahead's writes happen when the test says. */
  static final class Queued implements java.util.concurrent.Executor {
    final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }

    void runAll() {
      Runnable r;
      while ((r = tasks.poll()) != null) {
        r.run();
      }
    }
  }

  /** Takes fast uses until the ledger holds a block of at least {@code size}; returns the uses taken. */
  private static long growTo(UsageLedger l, OneVersion store, long[] now, long size) {
    long uses = 0;
    while (l.counter(V1).block() < size || l.counter(V1).held() == 0) {
      assertTrue(l.take(V1, 1, store.v));
      uses++;
      now[0] += 1_000;
    }
    return uses;
  }

  /**
   * A large block half used is followed by one reserved ahead, durably, before its uses are
   * handed out; the operation that empties the current block then needs no write of its own.
   */
  @Test
  void readAhead_largeBlockHalfUsed_reservesTheNextAhead_andTheEmptyingUseDoesNotWrite() {
    OneVersion store = new OneVersion(0);
    long[] now = {1};
    Queued ahead = new Queued();
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> now[0], ahead);
    long uses = growTo(l, store, now, UsageLedger.READ_AHEAD_FROM);
    assertTrue(ahead.tasks.isEmpty(), "no read-ahead below " + UsageLedger.READ_AHEAD_FROM + " uses a block");
    long block = l.counter(V1).block();
    for (long i = 0; ahead.tasks.isEmpty(); i++) {
      assertTrue(i < 4 * block, "no read-ahead was queued");
      assertTrue(l.take(V1, 1, store.v));
      uses++;
      now[0] += 1_000;
    }
    long held = l.counter(V1).held();
    assertTrue(held - l.counter(V1).used() <= block / 2, "queued once half the block is used");
    long reservedBefore = store.v.usageReserved();
    ahead.runAll();
    assertEquals(reservedBefore + 2 * block, store.v.usageReserved(), "the next block, doubled, reserved durably");
    assertEquals(held + 2 * block, l.counter(V1).held(), "and held only after the write");
    int writes = store.writes;
    while (l.counter(V1).used() < held + 1) { // past the end of the first block
      assertTrue(l.take(V1, 1, store.v));
      uses++;
    }
    assertEquals(writes, store.writes, "emptying the block waited for no write");
    assertTrue(store.v.usageReserved() >= uses, "never under-counts");
    l.giveBack();
    assertEquals(uses, store.v.usesSettled(), "the given-back count is exact");
    assertEquals(uses, store.v.usageReserved());
  }

  @Test
  void readAhead_underAnExplicitUsageLimit_reservesNothingAhead() {
    OneVersion store = new OneVersion(1L << 30);
    long[] now = {1};
    Queued ahead = new Queued();
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> now[0], ahead);
    growTo(l, store, now, UsageLedger.READ_AHEAD_FROM);
    while (ahead.tasks.isEmpty() && l.counter(V1).used() < l.counter(V1).held()) {
      assertTrue(l.take(V1, 1, store.v));
    }
    long reserved = store.v.usageReserved();
    ahead.runAll();
    assertEquals(reserved, store.v.usageReserved(), "blocks under a limit stay on demand");
  }

  /** A give-back waits for a read-ahead in flight, so no reservation lands after it. */
  @Test
  void giveBack_withAReadAheadInFlight_waitsAndReleasesItToo() throws Exception {
    OneVersion store = new OneVersion(0);
    long[] now = {1};
    java.util.concurrent.CountDownLatch queued = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.Executor slow = r -> {
      queued.countDown(); // on the taking thread, before take() returns: the loop below stops in time
      new Thread(() -> {
        started.countDown();
        try {
          proceed.await();
        } catch (InterruptedException e) {
          return;
        }
        r.run();
      }).start();
    };
    UsageLedger l = new UsageLedger(store, UsageLedgerTest::limitOf, () -> now[0], slow);
    long uses = growTo(l, store, now, UsageLedger.READ_AHEAD_FROM);
    // stop taking as soon as the read-ahead is queued: taking on would block once the block runs
    // out, waiting for a read-ahead this test holds back (a deadlock on a fast machine)
    for (long i = 0; queued.getCount() > 0; i++) {
      assertTrue(i < 16 * UsageLedger.READ_AHEAD_FROM, "no read-ahead queued");
      assertTrue(l.take(V1, 1, store.v));
      uses++;
      now[0] += 1_000;
    }
    assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS), "the read-ahead started");
    long used = uses;
    Thread giver = new Thread(l::giveBack);
    giver.start();
    giver.join(200);
    assertTrue(giver.isAlive(), "the give-back waits for the read-ahead");
    proceed.countDown();
    giver.join(10_000);
    assertFalse(giver.isAlive());
    synchronized (store) {
      assertEquals(used, store.v.usesSettled());
      assertEquals(used, store.v.usageReserved(), "the block reserved ahead was given back too");
    }
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

  /**
   * A use races the give-back: after the give-back detached the block, and before its write, the
   * use reserves a new block and commits it. The give-back's write then reports what the counter
   * holds now (the new block), so the backend's view of this process's reservation (a
   * {@code clavis_usage} row) stays, rather than the 0 of a process that holds nothing.
   */
  @Test
  void giveBack_racedByAUseThatReservesANewBlock_reportsTheNewBlockAsHeld() throws Exception {
    OneVersion store = new OneVersion(0);
    UsageLedger[] ledger = new UsageLedger[1];
    Map<KeyRef, UsageLedger.Change> settled = new HashMap<>();
    boolean[] race = {true};
    boolean[] took = {false};
    UsageLedger.Transactor racedSettle = (versions, change) -> {
      if (race[0]) { // the first give-back: between its detach and its write, another thread's use
        race[0] = false; // reserves a block, and commits
        Thread use = new Thread(() -> took[0] = ledger[0].take(V1, 1, store.v));
        use.start();
        try {
          use.join(10_000);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        assertFalse(use.isAlive(), "the racing use did not finish");
        assertTrue(took[0], "the racing use was refused");
      }
      Map<KeyRef, UsageLedger.Change> out = store.update(versions, change);
      settled.putAll(out);
      return out;
    };
    ledger[0] = new UsageLedger(store, racedSettle, UsageLedgerTest::limitOf, () -> 1, () -> false, null);
    assertTrue(ledger[0].take(V1, 1, store.v));
    assertEquals(UsageLedger.INITIAL_BLOCK, ledger[0].counter(V1).held());
    ledger[0].giveBack();
    long now = ledger[0].counter(V1).held();
    assertEquals(2 * UsageLedger.INITIAL_BLOCK, now, "the racing use reserved a new (doubled) block");
    assertEquals(now, settled.get(V1).held(), "the give-back reports the block the racing use holds");
    assertEquals(1, store.v.usesSettled(), "the first block's use is settled, its unused part given back");
    assertEquals(1 + now, store.v.usageReserved(), "and the racing use's block stays counted");
    ledger[0].giveBack();
    assertEquals(0, settled.get(V1).held(), "a give-back with no race reports nothing held");
    assertEquals(2, store.v.usesSettled());
    assertEquals(2, store.v.usageReserved());
  }

  @Test
  void giveBack_writingAfterARacingTakeCommitted_butBeforeItAddedItsBlock_reportsTheBlockAsHeld() throws Exception {
    OneVersion store = new OneVersion(0);
    UsageLedger[] ledger = new UsageLedger[1];
    Map<KeyRef, UsageLedger.Change> settled = new HashMap<>();
    java.util.concurrent.CountDownLatch committed = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Thread[] racer = new Thread[1];
    boolean[] took = {false};
    // the racing take's reservation commits, then stalls before the ledger adds its block
    UsageLedger.Transactor takes = (versions, change) -> {
      Map<KeyRef, UsageLedger.Change> out = store.update(versions, change);
      if (Thread.currentThread() == racer[0]) {
        committed.countDown();
        try {
          assertTrue(release.await(10, java.util.concurrent.TimeUnit.SECONDS), "the give-back never wrote");
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      return out;
    };
    boolean[] race = {true};
    UsageLedger.Transactor settle = (versions, change) -> {
      if (race[0]) {
        race[0] = false;
        racer[0] = new Thread(() -> took[0] = ledger[0].take(V1, 1, store.v));
        racer[0].setDaemon(true);
        racer[0].start();
        try {
          assertTrue(committed.await(10, java.util.concurrent.TimeUnit.SECONDS), "the racing take did not commit");
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      try {
        Map<KeyRef, UsageLedger.Change> out = store.update(versions, change);
        settled.putAll(out);
        return out;
      } finally {
        release.countDown(); // the stalled take goes on whatever happened here
      }
    };
    ledger[0] = new UsageLedger(takes, settle, UsageLedgerTest::limitOf, () -> 1, () -> false, null);
    assertTrue(ledger[0].take(V1, 1, store.v));
    ledger[0].giveBack();
    racer[0].join(10_000);
    assertTrue(took[0], "the racing use was refused");
    long now = ledger[0].counter(V1).held();
    assertEquals(2 * UsageLedger.INITIAL_BLOCK, now, "the racing use reserved a new (doubled) block");
    assertEquals(now, settled.get(V1).held(), "the give-back reports the block the stalled take committed");
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
