package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyRef;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Usage accounting: the reservation ledger of one open keyring. A use is counted durably without
 * a durable write per use: the process reserves a block of uses ("counted" goes up by the block)
 * before it hands any of them out, and gives the unused part back later ({@link #giveBack()}: at
 * {@code close()}, and at normal JVM exit through a shutdown hook). Giving back moves the uses made
 * into the exact count ({@link VersionRecord#usesSettled()}) and subtracts only the unused part;
 * since each process subtracts its own unused part, processes may give back in any order.
 *
 * <p>Never under-counts: a process that dies without giving back (SIGKILL, power loss, {@code
 * halt}) leaves its whole block counted, as {@code reserved}. To keep that over-count small,
 * blocks start at {@value #INITIAL_BLOCK} uses and double only while a process uses them up
 * within {@value #FAST_NANOS} ns each, up to {@value #MAX_BLOCK} and, under an explicit usage
 * limit, to a quarter of what is left of it (so processes sharing a key do not starve each other).
 * A block used up within {@value #STEADY_NANOS} ns keeps its size; only a slower one starts
 * again from {@value #INITIAL_BLOCK}. So at a steady rate the block settles at one to two
 * seconds of uses, one durable write every second or two, instead of collapsing to
 * {@value #INITIAL_BLOCK} whenever a block takes a little over a second and climbing back through
 * a dozen writes (on a token each write is a commit of the keyring's metadata); the over-count of
 * a killed process stays below about two seconds of its uses.
 *
 * <p>Read-ahead: once a block of at least {@value #READ_AHEAD_FROM} uses is half used, the next
 * block is reserved in the background (an engine write like any other, committed before any of
 * its uses is handed out), so the operation that empties the block does not wait for the write.
 * Not for a version under an explicit usage limit, whose blocks stay on demand (the quarter
 * rule). A process killed meanwhile over-counts by that next block as well.
 *
 * <p>Thread-safe. The ledger keeps no key material.
 */
final class UsageLedger {

  /** The first block a process reserves for a version: a short-lived process over-counts by at most this when killed. */
  static final long INITIAL_BLOCK = 8;

  /** Blocks grow up to this size while a version is used fast: at most one write a second or so. */
  static final long MAX_BLOCK = 1L << 20;

  /** A block used up within this time doubles the next one. */
  static final long FAST_NANOS = 1_000_000_000L;

  /** A block used up within this time (but not within {@link #FAST_NANOS}) keeps its size. */
  static final long STEADY_NANOS = 4_000_000_000L;

  /** Blocks of at least this size are followed by one reserved ahead, in the background. */
  static final long READ_AHEAD_FROM = 1024;

  /** The one thread that reserves blocks ahead for every ledger of the process. */
  private static final Executor AHEAD = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "clavis-usage-read-ahead");
    t.setDaemon(true);
    return t;
  });

  /**
   * What one transaction changes in one version: the new record, the details of its {@code use}
   * audit event, and how many uses of it this process holds reserved once it commits (0 after a
   * give-back), for a backend that shows each process's reservation
   * ({@link dev.clavis.keyring.spi.KeyBackend.Changes#reservation}).
   */
  record Change(VersionRecord updated, Map<String, String> details, long held) {}

  /**
   * Runs the ledger's durable changes: one backend transaction that, for each reference, reads the
   * latest committed record of the version (skipping versions that no longer exist), applies the
   * function, and stores and audits (as {@code use}) each non-null change. The engine runs every
   * transaction of one ledger (takes, read-aheads, give-backs) one at a time under its write lock;
   * the give-back's report of what is still held relies on that.
   */
  interface Transactor {
    /** @return the changes applied, by version */
    Map<KeyRef, Change> update(Iterable<KeyRef> versions, BiFunction<KeyRef, VersionRecord, Change> change);
  }

  /** How a version's usage reads in this process. */
  record View(long uses, long reserved) {}

  /** This process's reservation of one version: {@code held} uses reserved durably, {@code used} of them handed out. */
  static final class Counter {
    private final UsageLedger ledger;
    private final KeyRef vref;
    /** Written under the monitor; volatile so the give-back's write can read it without taking the monitor. */
    private volatile long held;
    /**
     * What {@code held} becomes once a take whose block is committed adds it, from inside that
     * take's transaction until {@code held} is updated; -1 otherwise. A give-back writing between
     * the two reads it, so its report never misses a block already counted in the store.
     */
    private volatile long pendingHeld = -1;
    private long used;
    private long block = INITIAL_BLOCK;
    private long reservedAt;
    /** A read-ahead of the next block is queued or running. */
    private boolean ahead;

    Counter(UsageLedger ledger, KeyRef vref) {
      this.ledger = ledger;
      this.vref = vref;
    }

    /** Takes {@code n} uses from the reservation this process holds, without a durable write. */
    boolean tryTakeLocal(long n) {
      boolean readAhead;
      synchronized (this) {
        if (held - used < n) {
          return false;
        }
        used += n;
        readAhead = !ahead && ledger.ahead != null && block >= READ_AHEAD_FROM && held - used <= block / 2;
        ahead |= readAhead;
      }
      if (readAhead) {
        ledger.readAhead(this);
      }
      return true;
    }

    /** Waits until no read-ahead of this counter is queued or running. */
    private void awaitAhead() {
      boolean interrupted = false;
      while (ahead) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized long held() {
      return held;
    }

    synchronized long used() {
      return used;
    }

    synchronized long block() {
      return block;
    }
  }

  private static final Cleaner CLEANER = Cleaner.create();

  private final ConcurrentHashMap<KeyRef, Counter> counters = new ConcurrentHashMap<>();
  private final Transactor tx;
  private final Transactor settleTx;
  private final java.util.function.BooleanSupplier otherPending;
  /** Where blocks are reserved ahead; null: on demand only. */
  private final Executor ahead;
  private final ToLongFunction<VersionRecord> limitOf;
  private final LongSupplier nanoTime;
  private final Object hookLock = new Object();
  private Thread exitHook;
  private Cleaner.Cleanable exitHookCleaner;

  /**
   * @param tx runs the durable changes (the engine's transactions)
   * @param limitOf the effective limit of a version (its usage limit, or the algorithm's)
   * @param nanoTime the monotonic time source that decides whether a block was used fast
   */
  UsageLedger(Transactor tx, ToLongFunction<VersionRecord> limitOf, LongSupplier nanoTime) {
    this(tx, tx, limitOf, nanoTime, () -> false, null);
  }

  /**
   * @param ahead where blocks of {@value #READ_AHEAD_FROM} uses and more are followed by one
   *     reserved ahead; null reserves on demand only
   */
  UsageLedger(Transactor tx, ToLongFunction<VersionRecord> limitOf, LongSupplier nanoTime, Executor ahead) {
    this(tx, tx, limitOf, nanoTime, () -> false, ahead);
  }

  /**
   * @param tx runs the durable changes of reservations
   * @param settleTx runs the give-back's change (the engine also records the counted uses in it)
   * @param limitOf the effective limit of a version (its usage limit, or the algorithm's)
   * @param nanoTime the monotonic time source that decides whether a block was used fast
   * @param otherPending whether something else waits for the give-back's write (uses counted for
   *     the audit log): then it is written even when no reservation is held
   * @param ahead where blocks of {@value #READ_AHEAD_FROM} uses and more are followed by one
   *     reserved ahead; null reserves on demand only
   */
  UsageLedger(Transactor tx, Transactor settleTx, ToLongFunction<VersionRecord> limitOf, LongSupplier nanoTime,
      java.util.function.BooleanSupplier otherPending, Executor ahead) {
    this.settleTx = Objects.requireNonNull(settleTx, "settleTx");
    this.otherPending = Objects.requireNonNull(otherPending, "otherPending");
    this.ahead = ahead;
    this.tx = Objects.requireNonNull(tx, "tx");
    this.limitOf = Objects.requireNonNull(limitOf, "limitOf");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** @return the process's read-ahead executor, for the engine's ledger */
  static Executor readAheadThread() {
    return AHEAD;
  }

  /** @return this process's counter of {@code vref}, created empty on first use */
  Counter counter(KeyRef vref) {
    return counters.computeIfAbsent(vref, r -> new Counter(this, r));
  }

  /**
   * Takes {@code n} uses of the version {@code vref}: from this process's reservation, or by
   * reserving a new block durably first.
   *
   * @param seen the version's record as last seen, for a cheap refusal at the limit
   * @return false if the uses would exceed the version's limit (nothing is counted then)
   */
  boolean take(KeyRef vref, long n, VersionRecord seen) {
    Counter c = counter(vref);
    if (c.tryTakeLocal(n)) {
      return true;
    }
    synchronized (c) {
      c.awaitAhead(); // a block being reserved ahead may cover this use: no second write for it
      if (c.held - c.used >= n) {
        c.used += n;
        return true;
      }
      // what this process still holds unused is part of the new block's need: it is not lost
      long need = n - (c.held - c.used);
      if (seen.usageReserved() + need > limitOf.applyAsLong(seen)) {
        return false;
      }
      long t = nanoTime.getAsLong();
      c.block = nextBlock(c.block, c.reservedAt == 0 ? Long.MAX_VALUE : t - c.reservedAt);
      c.reservedAt = t;
      // bulk callers (rewrapDataKeys) reserve for several calls ahead, so a write stays rare
      long want = Math.max(c.block, n == 1 ? 1 : 16 * n);
      long[] granted = new long[1];
      Map<KeyRef, Change> done = reserving(c, () -> tx.update(java.util.List.of(vref), (ref, v) -> {
        long lim = limitOf.applyAsLong(v);
        if (v.usageReserved() + need > lim) {
          c.pendingHeld = -1; // a retried run that refuses: an earlier run's pending block is not reserved
          return null;
        }
        // under an explicit usage limit a process takes at most a quarter of what is left, so
        // processes sharing the key do not starve each other into rotating it on every use
        long remaining = lim - v.usageReserved();
        long cap = v.usageLimit() > 0 ? Math.max(need, remaining / 4) : remaining;
        long grant = Math.max(need, Math.min(want, cap));
        long counted = v.usageReserved() + grant;
        granted[0] = grant;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reserved", Long.toString(counted));
        details.put("previouslyReserved", Long.toString(v.usageReserved()));
        c.pendingHeld = c.held + grant;
        return new Change(v.withUsage(counted, v.usesSettled()), details, c.held + grant);
      }));
      try {
        Change ch = done.get(vref);
        if (ch == null) {
          return false;
        }
        c.held += granted[0];
        c.used += n;
        return true;
      } finally {
        c.pendingHeld = -1; // after held: a reader of pendingHeld, then held, sees one of them
      }
    }
  }

  /** Runs a take's reservation; a failed one leaves no pending block behind. */
  private static Map<KeyRef, Change> reserving(Counter c, java.util.function.Supplier<Map<KeyRef, Change>> reservation) {
    try {
      return reservation.get();
    } catch (RuntimeException | Error e) {
      c.pendingHeld = -1;
      throw e;
    }
  }

  /** Queues the reservation of {@code c}'s next block; its {@code ahead} flag is set. */
  private void readAhead(Counter c) {
    try {
      ahead.execute(() -> reserveAhead(c));
    } catch (RejectedExecutionException e) {
      synchronized (c) {
        c.ahead = false;
        c.notifyAll();
      }
    }
  }

  /** Reserves the next block of {@code c} durably, then adds it to what the process holds. */
  private void reserveAhead(Counter c) {
    try {
      long want;
      long heldBefore; // stable until the flag is cleared: take and giveBack wait for a read-ahead
      synchronized (c) {
        heldBefore = c.held;
        long t = nanoTime.getAsLong();
        c.block = nextBlock(c.block, t - c.reservedAt);
        c.reservedAt = t;
        want = c.block;
      }
      long[] granted = new long[1];
      Map<KeyRef, Change> done = tx.update(java.util.List.of(c.vref), (ref, v) -> {
        long room = limitOf.applyAsLong(v) - v.usageReserved();
        if (v.usageLimit() > 0 || room <= 0) {
          c.pendingHeld = -1;
          return null; // under an explicit limit blocks stay on demand; at the limit nothing is reserved
        }
        granted[0] = Math.min(want, room);
        long counted = v.usageReserved() + granted[0];
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reserved", Long.toString(counted));
        details.put("previouslyReserved", Long.toString(v.usageReserved()));
        c.pendingHeld = heldBefore + granted[0]; // as a take's: a give-back writing next sees it
        return new Change(v.withUsage(counted, v.usesSettled()), details, heldBefore + granted[0]);
      });
      if (done.containsKey(c.vref)) {
        synchronized (c) {
          c.held += granted[0];
        }
      }
    } catch (RuntimeException e) {
      // nothing reserved: the operation that empties the block reserves on demand and reports it
    } finally {
      c.pendingHeld = -1; // after held, as in a take
      synchronized (c) {
        c.ahead = false;
        c.notifyAll();
      }
    }
  }

  /**
   * @param block the size of the block just used up
   * @param tookNanos how long it took to use it up
   * @return the size of the next block
   */
  static long nextBlock(long block, long tookNanos) {
    if (tookNanos < FAST_NANOS) {
      return Math.min(MAX_BLOCK, block * 2);
    }
    return tookNanos < STEADY_NANOS ? block : INITIAL_BLOCK;
  }

  /**
   * How a version reads in this process: the exact uses (settled plus this process's own) and the
   * reservations of others (this process's unused part is known unused, so it is not shown).
   */
  View view(KeyRef vref, VersionRecord v) {
    Counter c = counters.get(vref);
    long held = 0;
    long used = 0;
    if (c != null) {
      synchronized (c) {
        held = c.held;
        used = c.used;
      }
    }
    if (held > v.outstanding()) {
      // the record does not carry this process's reservation (a state older than it): show the record
      return new View(v.usesSettled(), v.outstanding());
    }
    return new View(v.usesSettled() + used, v.outstanding() - held);
  }

  /**
   * Gives back what this process reserved and did not use, and settles what it used, in one
   * durable write. A failure leaves the reservations counted (the safe direction) and is thrown.
   */
  void giveBack() {
    Map<KeyRef, long[]> back = new HashMap<>();
    counters.forEach((ref, c) -> {
      synchronized (c) {
        c.awaitAhead(); // a block reserved ahead is part of what is given back
        if (c.held > 0) {
          back.put(ref, new long[] {c.held, c.used});
          // detached before the write: a use racing the give-back reserves a new block instead
          c.held = 0;
          c.used = 0;
        }
      }
    });
    if (back.isEmpty() && !otherPending.getAsBoolean()) {
      return;
    }
    settleTx.update(back.keySet(), (ref, v) -> {
      long held = back.get(ref)[0];
      long used = back.get(ref)[1];
      long settled = Math.min(v.usesSettled() + used, v.usageReserved());
      // never below what is settled: a record that does not carry this reservation keeps its count
      long counted = Math.max(settled, v.usageReserved() - (held - used));
      Map<String, String> details = new LinkedHashMap<>();
      details.put("used", Long.toString(used));
      details.put("released", Long.toString(v.usageReserved() - counted));
      details.put("uses", Long.toString(settled));
      details.put("reserved", Long.toString(counted - settled));
      // what this process holds now: 0 after the detach, unless a use raced the give-back and
      // reserved a new block, committed before this write (read without the monitor: a take holds
      // it while it waits for the engine's write lock, which this write holds). Its pending value
      // first: a take that committed but has not added its block yet is seen there.
      Counter now = counters.get(ref);
      if (now == null) {
        return new Change(v.withUsage(counted, settled), details, 0);
      }
      long pending = now.pendingHeld;
      return new Change(v.withUsage(counted, settled), details, Math.max(pending, now.held));
    });
  }

  /**
   * Registers the give-back at normal JVM exit, once. The hook holds this ledger weakly, so an
   * engine that is dropped without {@code close()} is still collected (its reservations then
   * stay counted); a cleaner removes the hook of a collected ledger.
   */
  void registerExitHook() {
    synchronized (hookLock) {
      if (exitHook != null) {
        return;
      }
      Thread t = new Thread(new ExitGiveBack(new WeakReference<>(this)), "clavis-usage-give-back");
      try {
        Runtime.getRuntime().addShutdownHook(t);
      } catch (IllegalStateException | SecurityException e) {
        return; // the JVM is already exiting, or hooks are not allowed: the reservations stay counted
      }
      exitHook = t;
      exitHookCleaner = CLEANER.register(this, () -> removeHook(t));
    }
  }

  /** Removes the exit hook (at {@code close()}, after the give-back). */
  void unregisterExitHook() {
    synchronized (hookLock) {
      if (exitHook != null) {
        exitHookCleaner.clean();
        exitHook = null;
        exitHookCleaner = null;
      }
    }
  }

  /** @return whether an exit hook is registered (for tests) */
  boolean exitHookRegistered() {
    synchronized (hookLock) {
      return exitHook != null;
    }
  }

  private static void removeHook(Thread t) {
    try {
      Runtime.getRuntime().removeShutdownHook(t);
    } catch (IllegalStateException e) {
      // the JVM is exiting and runs the hook, which finds its ledger closed or gone
    }
  }

  /** The shutdown hook's body; static so it keeps no strong reference to the ledger. */
  private static final class ExitGiveBack implements Runnable {
    private final WeakReference<UsageLedger> ledger;

    ExitGiveBack(WeakReference<UsageLedger> ledger) {
      this.ledger = ledger;
    }

    @Override
    public void run() {
      UsageLedger l = ledger.get();
      if (l == null) {
        return;
      }
      try {
        l.giveBack();
      } catch (RuntimeException e) {
        // over-counting is the safe direction: the reservations simply stay counted
      }
    }
  }
}
