package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.DataKeyCachePolicy;
import dev.clavis.keyring.EncryptionContext;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Unwrapped data keys kept in memory within a {@link DataKeyCachePolicy}, keyed by the wrapped
 * key's bytes and the canonical encryption context (a SHA-256 of both: the map's keys are of fixed
 * size and cannot be chosen to collide).
 *
 * <p>The lifecycle is never bypassed: every hit asks the {@link StateCheck} (the engine's current
 * metadata, in memory, refreshed from the store when another process committed) whether the KEK
 * version may still unwrap, and serves the entry only if its state is the one it had when the entry
 * was filled. A refusal or another state wipes every entry of that version. {@link #sweep()} does
 * the same for all entries and drops those past their age; it runs after each commit of this
 * process and every {@link #SWEEP_MILLIS} ms on a daemon thread, so a revoke, suspension,
 * compromise or destruction in any process empties the version's entries within a second.
 *
 * <p>The cached arrays never leave: callers get copies. Entries are wiped (zeroed) when they are
 * dropped for any reason and on {@link #close()}.
 *
 * <p>Thread-safe. The state check runs outside this cache's lock (it may take the engine's write
 * lock, whose holder calls {@link #sweep()}).
 */
final class DataKeyCache implements AutoCloseable {

  /** How often the daemon sweeps: a state change of another process empties its entries within ~{@code 2×} this. */
  static final long SWEEP_MILLIS = 250;

  /** The engine's check of a KEK version on a hit. */
  interface StateCheck {
    /**
     * @param version an exact KEK version
     * @return its state, when it may unwrap (without the COMPROMISED override)
     * @throws RuntimeException (the lifecycle's refusal) when it may not, or the key is unknown
     */
    KeyState check(KeyRef version);
  }

  private static final class Entry {
    final byte[] wrapped;
    final EncryptionContext context;
    final KeyRef kek;
    final KeyState state;
    final byte[] dek;
    final long filledMillis;
    long uses;
    long bytes;

    Entry(byte[] wrapped, EncryptionContext context, KeyRef kek, KeyState state, byte[] dek, long filledMillis,
        long bytes) {
      this.wrapped = wrapped;
      this.context = context;
      this.kek = kek;
      this.state = state;
      this.dek = dek;
      this.filledMillis = filledMillis;
      this.uses = 1;
      this.bytes = bytes;
    }

    void wipe() {
      Arrays.fill(dek, (byte) 0);
    }
  }

  private final DataKeyCachePolicy policy;
  private final Clock clock;
  private final StateCheck states;
  private final long maxAgeMillis;
  /** Access order: the eldest is the least recently used. Guarded by {@code this}. */
  private final LinkedHashMap<ByteBuffer, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final ScheduledExecutorService sweeper;
  private boolean closed;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /**
   * @param background whether a daemon thread sweeps every {@link #SWEEP_MILLIS} ms (tests of the
   *     hit path alone say false)
   */
  DataKeyCache(DataKeyCachePolicy policy, Clock clock, StateCheck states, boolean background) {
    this.policy = policy;
    this.clock = clock;
    this.states = states;
    this.maxAgeMillis = policy.maxAge().toMillis();
    if (background) {
      sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clavis-data-key-cache-sweeper");
        t.setDaemon(true);
        return t;
      });
      sweeper.scheduleWithFixedDelay(this::sweepQuietly, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      sweeper = null;
    }
  }

  /** @return the cache's bounds */
  DataKeyCachePolicy policy() {
    return policy;
  }

  /**
   * A copy of the data key for {@code wrapped} under {@code context}: from the cache when an entry
   * is within its bounds and its KEK version is still in the state it was filled in, otherwise from
   * {@code unwrap} (which applies the lifecycle itself), then cached.
   *
   * @param kek the KEK version named by the wrapped key's header
   * @param bytes how many bytes the caller declares it will protect with the key (0 if it does not say)
   * @param unwrap the uncached unwrap
   * @return a copy the caller wipes
   * @throws RuntimeException the lifecycle's refusal, from the check of a hit or from {@code unwrap}
   */
  byte[] get(byte[] wrapped, EncryptionContext context, KeyRef kek, long bytes, Supplier<byte[]> unwrap) {
    if (bytes > policy.maxBytes()) {
      misses.incrementAndGet(); // more than an entry may ever protect: not cached, and the entry (if any) kept
      return unwrap.get();
    }
    ByteBuffer key = keyOf(wrapped, context);
    Entry hit = null;
    byte[] copy = null;
    synchronized (this) {
      Entry e = entries.get(key);
      if (e != null && !sameInput(e, wrapped, context)) {
        e = null; // a digest collision: never served (and never expected)
      } else if (e != null && (expired(e) || e.uses >= policy.maxUses() || bytes > policy.maxBytes() - e.bytes)) {
        entries.remove(key);
        e.wipe();
        e = null;
      }
      if (e != null) {
        e.uses++;
        e.bytes += bytes;
        hit = e;
        copy = e.dek.clone();
      }
    }
    if (hit != null) {
      KeyState now;
      try {
        now = states.check(kek);
      } catch (RuntimeException refused) {
        Arrays.fill(copy, (byte) 0);
        dropVersion(kek, null);
        throw refused;
      }
      if (now == hit.state) {
        hits.incrementAndGet();
        return copy;
      }
      Arrays.fill(copy, (byte) 0);
      dropVersion(kek, now);
    }
    // the state before the unwrap: a change after it makes the entry's state stale, which drops it
    misses.incrementAndGet();
    KeyState before = states.check(kek);
    byte[] dek = unwrap.get();
    put(key, new Entry(wrapped.clone(), context, kek, before, dek.clone(), clock.millis(), bytes));
    return dek;
  }

  private synchronized void put(ByteBuffer key, Entry e) {
    if (closed) {
      e.wipe();
      return;
    }
    Entry old = entries.put(key, e);
    if (old != null) {
      old.wipe();
    }
    Iterator<Entry> eldest = entries.values().iterator();
    while (entries.size() > policy.maxEntries()) {
      eldest.next().wipe();
      eldest.remove();
    }
  }

  private static boolean sameInput(Entry e, byte[] wrapped, EncryptionContext context) {
    return Arrays.equals(e.wrapped, wrapped) && e.context.equals(context);
  }

  private boolean expired(Entry e) {
    return clock.millis() - e.filledMillis >= maxAgeMillis;
  }

  /** Wipes the entries of {@code kek} whose state is not {@code keep} (null: all of them). */
  private synchronized void dropVersion(KeyRef kek, KeyState keep) {
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.kek.equals(kek) && e.state != keep) {
        e.wipe();
        it.remove();
      }
    }
  }

  /**
   * Wipes the entries past their age, and those whose KEK version's state changed or that may no
   * longer unwrap. Safe to call holding the engine's write lock.
   */
  void sweep() {
    Map<KeyRef, KeyState> filled = new HashMap<>();
    synchronized (this) {
      for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
        Entry e = it.next();
        if (expired(e)) {
          e.wipe();
          it.remove();
        } else {
          filled.put(e.kek, e.state);
        }
      }
    }
    for (KeyRef kek : filled.keySet()) {
      KeyState now;
      try {
        now = states.check(kek);
      } catch (RuntimeException refused) {
        now = null;
      }
      dropVersion(kek, now);
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // the store could not be read (damaged, closed): nothing cached is trusted any longer
      clear();
    }
  }

  /** Wipes every entry. */
  synchronized void clear() {
    for (Entry e : entries.values()) {
      e.wipe();
    }
    entries.clear();
  }

  /** Stops the sweeper and wipes every entry; later fills are wiped at once. Idempotent. */
  @Override
  public void close() {
    if (sweeper != null) {
      // not interrupted (an interrupt closes NIO channels the backend may share); a sweep in
      // progress finishes before the keyring closes its backend
      sweeper.shutdown();
      try {
        sweeper.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      closed = true;
      clear();
    }
  }

  /** @return the cached arrays themselves (tests check they are zeroed after a wipe) */
  synchronized List<byte[]> cachedKeysForTest() {
    List<byte[]> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(e.dek);
    }
    return out;
  }

  /** @return how many entries are held */
  synchronized int size() {
    return entries.size();
  }

  /** @return how many lookups were served from the cache */
  long hits() {
    return hits.get();
  }

  /** @return how many lookups went to the backend */
  long misses() {
    return misses.get();
  }

  private static ByteBuffer keyOf(byte[] wrapped, EncryptionContext context) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    // length-prefixed, so no wrapped key and context pair reads as another
    sha.update(ByteBuffer.allocate(4).putInt(wrapped.length).array());
    sha.update(wrapped);
    sha.update(context.canonical());
    return ByteBuffer.wrap(sha.digest());
  }
}
