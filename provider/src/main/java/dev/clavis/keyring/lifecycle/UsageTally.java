package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The uses of one open keyring, counted in memory per key version and kind until they are written
 * as {@code usage} audit records (one per version and period, see {@code docs/audit.md}): an
 * aggregate instead of a durable write per operation. The engine adds the records of a {@link
 * Snapshot} to one of its writes and {@linkplain #settle settles} the snapshot once that write
 * committed; a write that fails settles nothing, so its counts go with a later write.
 *
 * <p>Thread-safe; counting is a {@link LongAdder} increment. Uses counted between the last write
 * and a crash are lost (they are an audit aggregate; the usage ledger, which enforces limits,
 * never under-counts).
 */
final class UsageTally {

  /** What a use did; the names are the detail keys of a {@code usage} record. */
  enum Kind {
    ENCRYPT("encryptions"),
    DECRYPT("decryptions"),
    MAC("macs"),
    VERIFY("verifications"),
    SIGN("signatures");

    final String detail;

    Kind(String detail) {
      this.detail = detail;
    }

    /** @return the kind of a protect (encrypt, wrap, MAC) with a key of {@code alg} */
    static Kind protect(KeyAlgorithm alg) {
      return alg.isAes() ? ENCRYPT : alg == KeyAlgorithm.HMAC_SHA256 ? MAC : SIGN;
    }

    /** @return the kind of an unprotect (decrypt, unwrap, verify) with a key of {@code alg} */
    static Kind unprotect(KeyAlgorithm alg) {
      return alg.isAes() ? DECRYPT : VERIFY;
    }
  }

  /** The counts one write records: subtract them with {@link #settle} once it committed. */
  static final class Snapshot {
    private final Map<KeyRef, long[]> counts;
    final List<HashChainedAuditLog.Pending> events;
    private final long periodStartNanos;

    private Snapshot(Map<KeyRef, long[]> counts, List<HashChainedAuditLog.Pending> events, long periodStartNanos) {
      this.counts = counts;
      this.events = events;
      this.periodStartNanos = periodStartNanos;
    }
  }

  private final ConcurrentHashMap<KeyRef, LongAdder[]> counts = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private final long periodNanos;
  private volatile long periodStartNanos;
  private volatile Instant periodStart;

  /**
   * @param periodNanos how long uses are counted before their record is due
   * @param nanoTime the monotonic clock that measures the period
   * @param start the wall-clock start of the first period
   */
  UsageTally(long periodNanos, LongSupplier nanoTime, Instant start) {
    this.periodNanos = periodNanos;
    this.nanoTime = nanoTime;
    this.periodStartNanos = nanoTime.getAsLong();
    this.periodStart = start;
  }

  /** @return the counters of one version, for the engine's hot path */
  LongAdder[] counters(KeyRef version) {
    return counts.computeIfAbsent(version, v -> {
      LongAdder[] a = new LongAdder[Kind.values().length];
      for (int i = 0; i < a.length; i++) {
        a[i] = new LongAdder();
      }
      return a;
    });
  }

  /** Counts {@code n} uses of {@code kind} with the version {@code version}. */
  void add(KeyRef version, Kind kind, long n) {
    if (n > 0) {
      counters(version)[kind.ordinal()].add(n);
    }
  }

  /** @return whether uses were counted and the period has passed: their records are due */
  boolean due() {
    return nanoTime.getAsLong() - periodStartNanos >= periodNanos && pending();
  }

  /** @return whether any use is counted and not yet written */
  boolean pending() {
    for (LongAdder[] a : counts.values()) {
      for (LongAdder x : a) {
        if (x.sum() != 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * @param now the end of the period (the time of the write)
   * @param actor the actor of the records (who ran the process)
   * @return the {@code usage} records of what is counted now, by version name, or null if nothing is
   */
  Snapshot snapshot(Instant now, String actor) {
    Map<KeyRef, long[]> taken = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    counts.forEach((ref, a) -> {
      long[] n = new long[a.length];
      boolean any = false;
      for (int i = 0; i < a.length; i++) {
        n[i] = a[i].sum();
        any |= n[i] != 0;
      }
      if (any) {
        taken.put(ref, n);
      }
    });
    if (taken.isEmpty()) {
      return null;
    }
    List<HashChainedAuditLog.Pending> events = new ArrayList<>();
    Instant from = periodStart;
    taken.forEach((ref, n) -> {
      Map<String, String> d = new LinkedHashMap<>();
      for (Kind k : Kind.values()) {
        if (n[k.ordinal()] != 0) {
          d.put(k.detail, Long.toString(n[k.ordinal()]));
        }
      }
      d.put("periodStart", from.toString());
      d.put("periodEnd", now.toString());
      events.add(new HashChainedAuditLog.Pending(now, actor, "usage", ref.toString(), d));
    });
    return new Snapshot(taken, events, nanoTime.getAsLong());
  }

  /** Subtracts what a committed write recorded, and starts a new period at {@code end}. */
  void settle(Snapshot s, Instant end) {
    s.counts.forEach((ref, n) -> {
      LongAdder[] a = counts.get(ref);
      for (int i = 0; i < n.length; i++) {
        a[i].add(-n[i]);
      }
    });
    periodStartNanos = s.periodStartNanos;
    periodStart = end;
  }

  /** @return the counts not yet written, by kind (for tests and {@code show}) */
  Map<Kind, Long> unwritten(KeyRef version) {
    Map<Kind, Long> out = new EnumMap<>(Kind.class);
    LongAdder[] a = counts.get(version);
    if (a != null) {
      for (Kind k : Kind.values()) {
        out.put(k, a[k.ordinal()].sum());
      }
    }
    return out;
  }
}
