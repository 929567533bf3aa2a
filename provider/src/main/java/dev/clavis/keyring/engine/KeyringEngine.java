package dev.clavis.keyring.engine;

import dev.clavis.keyring.AuditLog;
import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.engine.KeyTransitions.Op;
import dev.clavis.keyring.store.KeyBackend;
import dev.clavis.keyring.store.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;

/**
 * The lifecycle engine: every rule of managed keys over any {@link KeyBackend}. State changes go
 * through {@link KeyTransitions}; each change is one backend transaction (exclusive across
 * processes, atomic, durable) that also appends to the audit log.
 *
 * <p><b>Usage counting</b> is durable without a sync per use: the {@link UsageLedger} reserves
 * uses in small blocks that grow only for fast users, persisting the reservation before it hands
 * any of them out. {@link #close()}, and a shutdown hook at normal JVM exit, give back what was
 * not used and make the count exact; after a crash the block stays counted as {@code reserved}:
 * the count may over-count, never under-count.
 *
 * <p><b>Freshness</b>: reads use the last state seen and ask the backend whether another process
 * committed at most every {@code freshness} (default 20 ms); every write works on the latest
 * committed state under the backend's lock.
 *
 * <p>Thread-safe: readers see an immutable snapshot; writers serialise on one lock.
 */
public final class KeyringEngine implements Keyring {

  /** Uses reserved by the first durable write of a process; later blocks grow for fast users. */
  static final long USAGE_BLOCK = UsageLedger.INITIAL_BLOCK;

  /** NIST SP 800-38D §8.3: at most 2^32 invocations of GCM with random IVs under one key. */
  public static final long GCM_INVOCATION_LIMIT = 1L << 32;

  /** A permission to use one version's material, granted after the lifecycle checks. */
  public record Use(KeyRef version, KeyMaterial material) {}

  private record State(long generation, Map<String, KeyRecord> keys, long auditSeq, byte[] auditHash) {}

  /** What the last successful protect of a reference resolved to, valid while its key record is unchanged. */
  private record Hot(KeyRecord rec, KeyRef vref, UsageLedger.Counter counter, KeyMaterial material, long notAfter) {}

  private final ConcurrentHashMap<KeyRef, Hot> hot = new ConcurrentHashMap<>();

  /** Blocks grow up to this size while a version is used fast: at most one write a second or so. */
  static final long MAX_USAGE_BLOCK = UsageLedger.MAX_BLOCK;

  private final KeyBackend backend;
  private final Clock clock;
  private final long freshnessNanos;
  private final SecureRandom random = new SecureRandom();
  private final Object writeLock = new Object();
  private final UsageLedger usage = new UsageLedger(this::updateUsage, KeyringEngine::effectiveLimit, System::nanoTime);
  private final HashChainedAuditLog audit;
  /** The commit mark beside the log and the operator's anchor, where they exist (MonotonicAnchor). */
  private final List<MonotonicAnchor> anchors;
  private volatile State state;
  private volatile long lastCheck;
  private volatile boolean closed;

  /**
   * Opens the engine over a backend and executes destructions that fell due.
   *
   * @param backend where metadata and material live; closed by {@link #close()}
   * @param clock the time source (tests inject one)
   * @param freshness how stale a read may be before the backend is asked for a newer state
   */
  public KeyringEngine(KeyBackend backend, Clock clock, Duration freshness) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.freshnessNanos = freshness.toNanos();
    this.state = decode(backend.read());
    byte[] k = backend.auditKey();
    try {
      List<MonotonicAnchor> a = new ArrayList<>();
      backend.auditFile().ifPresent(f -> a.add(MonotonicAnchor.besideLog(f, k, backend.describe())));
      MonotonicAnchor.configured(k, backend.describe()).ifPresent(a::add);
      this.anchors = List.copyOf(a);
      this.audit = new HashChainedAuditLog(backend.auditFile().orElse(null), k, () -> {
        State s = latest();
        this.anchors.forEach(m -> m.check(s.generation(), s.auditSeq()));
        return head(s);
      }, backend.describe());
    } finally {
      Arrays.fill(k, (byte) 0);
    }
    // the store and its log must belong together before anything is used (RollbackGuard)
    this.state = crossChecked(state);
    raiseAnchors(state);
    this.lastCheck = System.nanoTime();
    if (anyDestructionDue(state)) {
      write(d -> null);
    }
    backend.afterCommit(versionStates(state));
    usage.registerExitHook();
  }

  /** @return the committed version states of {@code s}, as the backend's commit hook reads them */
  private static KeyBackend.VersionStates versionStates(State s) {
    return ref -> {
      KeyRecord k = s.keys().get(ref.name());
      VersionRecord v = k == null || ref.version().isEmpty() ? null : k.version(ref.version().getAsInt());
      return v == null ? Optional.empty() : Optional.of(v.state());
    };
  }

  /** @return an engine with the system clock and a 20 ms freshness bound */
  public static KeyringEngine open(KeyBackend backend) {
    return new KeyringEngine(backend, Clock.systemUTC(), Duration.ofMillis(20));
  }

  /** @return the usage ledger (for tests in this package) */
  UsageLedger usageLedger() {
    return usage;
  }

  /** @return the backend (for the KeyStore's {@code store()} and tools) */
  public KeyBackend backend() {
    return backend;
  }

  // ---------------------------------------------------------------- state and transactions

  private static State decode(KeyBackend.Snapshot s) {
    MetadataCodec.Document d = MetadataCodec.decode(s.metadata());
    return new State(s.generation(), d.keys(), d.auditSeq(), d.auditHash());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private State current() {
    ensureOpen();
    long t = System.nanoTime();
    if (t - lastCheck >= freshnessNanos) {
      lastCheck = t;
      if (backend.generation() != state.generation()) {
        return latest();
      }
    }
    return state;
  }

  private State latest() {
    synchronized (writeLock) {
      KeyBackend.Snapshot s = backend.read();
      if (s.generation() != state.generation()) {
        state = crossChecked(decode(requireNotOlder(s)));
      }
      return state;
    }
  }

  private static HashChainedAuditLog.Head head(State s) {
    return new HashChainedAuditLog.Head(s.auditSeq(), s.auditHash(), s.generation());
  }

  /** Raises the commit mark and the anchor to a committed state; they never go down. */
  private void raiseAnchors(State s) {
    for (MonotonicAnchor a : anchors) {
      a.raise(s.generation(), s.auditSeq());
    }
  }

  /** A running process never goes back to a generation older than one it has seen. */
  private KeyBackend.Snapshot requireNotOlder(KeyBackend.Snapshot s) {
    if (s.generation() < state.generation()) {
      throw new StoreDamagedException(StoreDamagedException.Kind.ROLLED_BACK, "the key store " + backend.describe()
          + " was replaced by an older copy: this process has seen generation " + state.generation()
          + " but the store is now at generation " + s.generation() + " (the files were not changed)");
    }
    return s;
  }

  /**
   * Checks a store state against its audit log and the anchor, if one is configured. The store is
   * read before the log, and a writer logs before it publishes, so the log can only be ahead; when
   * it is ahead by more than one transaction, other processes may have committed since the store
   * was read: the check is repeated on the newer state. A store that does not move on is refused.
   *
   * @return the state that passed (it may be newer than {@code s})
   */
  private State crossChecked(State s) {
    for (int attempt = 0; ; attempt++) {
      try {
        audit.crossCheck(head(s));
        for (MonotonicAnchor a : anchors) {
          a.check(s.generation(), s.auditSeq());
        }
        return s;
      } catch (StoreDamagedException e) {
        KeyBackend.Snapshot now = backend.read();
        if (now.generation() <= s.generation() || attempt >= 100) {
          throw e;
        }
        s = decode(now);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new KeyringException("this keyring was closed; open it again");
    }
  }

  /** The changes of one transaction over a base state. */
  private final class Draft {
    final State base;
    final KeyBackend.Changes changes;
    final Instant now;
    final Map<String, KeyRecord> changed = new LinkedHashMap<>();
    final List<HashChainedAuditLog.Pending> events = new ArrayList<>();

    Draft(State base, KeyBackend.Changes changes, Instant now) {
      this.base = base;
      this.changes = changes;
      this.now = now;
    }

    KeyRecord find(String name) {
      KeyRecord k = changed.get(name);
      return k != null ? k : base.keys().get(name);
    }

    KeyRecord get(String name) {
      KeyRecord k = find(name);
      if (k == null) {
        throw new UnknownKeyException(KeyRef.of(name));
      }
      return k;
    }

    void put(KeyRecord k) {
      changed.put(k.name(), k);
    }

    void event(String action, String key, Map<String, String> details) {
      events.add(new HashChainedAuditLog.Pending(now, action, key, details));
    }

    boolean dirty() {
      return !changed.isEmpty() || !events.isEmpty();
    }
  }

  private <T> T write(Function<Draft, T> op) {
    return write(op, backend::transact);
  }

  /**
   * Records a change the backend makes itself to how the store is protected (a new KDF, a new
   * password), committed with it in one write: {@code commit} is given the transaction that
   * appends the audit record (key "", the store itself) and must run it inside that write, as
   * {@code FileKeyBackend.rekey} does. Details hold settings, never a password.
   *
   * @throws KeyringException as the backend's write
   */
  public void recordProtectionChange(String action, Map<String, String> details,
      java.util.function.Consumer<KeyBackend.Transaction<Void>> commit) {
    this.<Void>write(d -> {
      d.event(action, "", details);
      return null;
    }, tx -> {
      commit.accept(tx);
      return null;
    });
  }

  private <T> T write(Function<Draft, T> op, Function<KeyBackend.Transaction<T>, T> committer) {
    ensureOpen();
    synchronized (writeLock) {
      State[] next = new State[1];
      T result = committer.apply((latest, changes) -> {
        State base = latest.generation() == state.generation() ? state : decode(requireNotOlder(latest));
        Draft d = new Draft(base, changes, now());
        T r = op.apply(d);
        executeDueDestructions(d);
        if (!d.dirty()) {
          next[0] = base;
          return r;
        }
        // the audit records are synced while the backend syncs the store, before it is published
        HashChainedAuditLog.Head head = audit.append(d.events, head(base), latest.generation() + 1, false);
        changes.beforePublish(audit::sync);
        Map<String, KeyRecord> merged = new HashMap<>(base.keys());
        merged.putAll(d.changed);
        changes.setMetadata(MetadataCodec.encode(merged, head.seq(), head.hash()));
        next[0] = new State(latest.generation() + 1, merged, head.seq(), head.hash());
        return r;
      });
      boolean committed = next[0] != state && next[0].generation() != state.generation();
      state = next[0];
      lastCheck = System.nanoTime();
      try {
        raiseAnchors(state);
      } catch (KeyringException e) {
        throw new KeyringException("the change was committed, but " + e.getMessage(), e);
      }
      if (committed) {
        backend.afterCommit(versionStates(state)); // e.g. the token's usage attributes follow the states
      }
      return result;
    }
  }

  private boolean anyDestructionDue(State s) {
    Instant now = clock.instant();
    for (KeyRecord k : s.keys().values()) {
      for (VersionRecord v : k.versions()) {
        if (v.state() == KeyState.PENDING_DESTRUCTION && v.destroyAt() != null && !v.destroyAt().isAfter(now)) {
          return true;
        }
      }
    }
    return false;
  }

  private void executeDueDestructions(Draft d) {
    List<String> names = new ArrayList<>();
    for (KeyRecord k : d.base.keys().values()) {
      if (hasDue(k, d.now)) {
        names.add(k.name());
      }
    }
    for (KeyRecord k : d.changed.values()) {
      if (hasDue(k, d.now) && !names.contains(k.name())) {
        names.add(k.name());
      }
    }
    for (String n : names) {
      KeyRecord k = d.get(n);
      for (VersionRecord v : k.versions()) {
        if (v.state() == KeyState.PENDING_DESTRUCTION && v.destroyAt() != null && !v.destroyAt().isAfter(d.now)) {
          k = transition(d, k, v.version(), Op.DESTROY, "scheduled destruction fell due", "destroy");
        }
      }
      d.put(k);
    }
  }

  private static boolean hasDue(KeyRecord k, Instant now) {
    for (VersionRecord v : k.versions()) {
      if (v.state() == KeyState.PENDING_DESTRUCTION && v.destroyAt() != null && !v.destroyAt().isAfter(now)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Applies one row of the state machine to one version, records the remembered states, erases
   * material on destruction and logs the event. Returns the updated key record (not yet put).
   */
  private KeyRecord transition(Draft d, KeyRecord k, int version, Op op, String reason, String action) {
    VersionRecord v = k.version(version);
    KeyRef ref = KeyRef.of(k.name(), version);
    KeyState from = v.state();
    KeyState remembered = op == Op.CANCEL_DESTRUCTION ? v.rememberedBeforeDestroy() : v.remembered();
    KeyState to = KeyTransitions.apply(op, ref, from, remembered, k.primary() == version);
    VersionRecord nv = LifecycleNotes.record(op, v, to, reason);
    switch (op) {
      case SUSPEND -> nv = nv.withRemembered(from);
      case RESUME -> nv = nv.withRemembered(null);
      case SCHEDULE_DESTRUCTION -> nv = nv.withRememberedBeforeDestroy(from);
      case CANCEL_DESTRUCTION -> nv = nv.withRememberedBeforeDestroy(null)
          .withTimes(nv.activated(), nv.deactivated(), nv.expires(), null);
      default -> { }
    }
    if (to == KeyState.ACTIVE && nv.activated() == null) {
      Instant exp = k.policy().versionLifetime().map(d.now::plus).orElse(null);
      nv = nv.withTimes(d.now, null, exp, nv.destroyAt());
    }
    if (!to.allowsProtect() && from.allowsProtect() && nv.deactivated() == null) {
      nv = nv.withTimes(nv.activated(), d.now, nv.expires(), nv.destroyAt());
    } else if (to.allowsProtect() && nv.deactivated() != null) {
      // back to encrypting (resume, cancel-destroy): it is no longer deactivated
      nv = nv.withTimes(nv.activated(), null, nv.expires(), nv.destroyAt());
    }
    if (to == KeyState.DESTROYED) {
      d.changes.erase(ref);
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("from", from.name());
    details.put("to", to.name());
    if (reason != null) {
      details.put("reason", reason);
    }
    d.event(action, ref.toString(), details);
    return k.withVersion(nv);
  }

  private VersionRecord newVersion(Draft d, KeyRecord k, String name, KeyAlgorithm alg, KeyPolicy policy,
      KeyState st, KeyVersionInfo.Origin origin, byte[] material) {
    int n = k == null ? 1 : k.nextVersion();
    KeyRef ref = KeyRef.of(name, n);
    boolean exportable = policy.exportable();
    if (material == null) {
      if (alg == KeyAlgorithm.SECRET) {
        throw new IllegalArgumentException("Clavis does not generate SECRET material: import it");
      }
      d.changes.generate(ref, alg, exportable);
    } else {
      d.changes.importMaterial(ref, alg, material, exportable);
    }
    Instant act = st == KeyState.ACTIVE ? d.now : null;
    Instant exp = act == null ? null : policy.versionLifetime().map(act::plus).orElse(null);
    return new VersionRecord(n, st, null, null, alg, origin, exportable, d.now, act, null, exp, null, 0,
        policy.usageLimit().orElse(0), null, 0);
  }

  private static void checkMaterial(KeyAlgorithm alg, byte[] material) {
    if (alg == KeyAlgorithm.SECRET && !alg.acceptsLength(material.length)) {
      throw new IllegalArgumentException("a SECRET is 1 to " + KeyAlgorithm.MAX_SECRET_BYTES + " bytes, got "
          + material.length);
    }
    if (!alg.acceptsLength(material.length)) {
      throw new IllegalArgumentException("an " + alg + " key is " + alg.bits() / 8 + " bytes, got "
          + material.length + " bytes");
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public KeyInfo create(String name, KeyAlgorithm algorithm, KeyPolicy policy) {
    KeyRef.of(name);
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(policy, "policy");
    KeyRecord created = write(d -> {
      if (d.find(name) != null) {
        throw new KeyringException(LifecycleNotes.whyNotCreate(d.find(name)));
      }
      VersionRecord v = newVersion(d, null, name, algorithm, policy, KeyState.ACTIVE, KeyVersionInfo.Origin.GENERATED,
          null);
      KeyRecord k = new KeyRecord(name, algorithm, policy, List.of(v), 1, false);
      d.put(k);
      d.event("create", name + "#1", Map.of("algorithm", algorithm.name(), "origin", "GENERATED"));
      return k;
    });
    return info(created);
  }

  @Override
  public KeyInfo importKey(String name, KeyAlgorithm algorithm, byte[] material, KeyPolicy policy) {
    return importKey(name, algorithm, material, policy, backend::transact);
  }

  /**
   * Imports a key that arrives wrapped with RFC 5649 under a version of another key of this
   * keyring (bring your own key); the backend unwraps it ({@code C_UnwrapKey} on a token, so the
   * key is never in the clear outside it). Creates the key, or rotates it if the name exists.
   *
   * @param kek the wrapping version ({@code name#N}), which must allow unwrapping
   * @throws KeyUsageException if the lifecycle refuses the KEK
   * @throws KeyringException if the integrity check fails or the backend refuses
   * @throws UnsupportedOperationException if the backend cannot unwrap on import (the file store)
   */
  public KeyInfo importWrapped(String name, KeyAlgorithm algorithm, KeyRef kek, byte[] wrapped, KeyPolicy policy) {
    KeyMaterial k = unprotect(kek, false).material();
    byte[] wrappedCopy = wrapped.clone();
    byte[] placeholder = new byte[algorithm.bits() / 8];
    // the import's one material call goes to the backend's unwrap, through its own Changes
    return importKey(name, algorithm, placeholder, policy, tx -> backend.transact((latest, changes) ->
        tx.run(latest, new UnwrappingChanges(changes, k, wrappedCopy))));
  }

  private KeyInfo importKey(String name, KeyAlgorithm algorithm, byte[] material, KeyPolicy policy,
      Function<KeyBackend.Transaction<KeyRecord>, KeyRecord> committer) {
    KeyRef.of(name);
    checkMaterial(algorithm, material);
    byte[] copy = material.clone();
    try {
      KeyRecord r = write(d -> {
        KeyRecord k = d.find(name);
        if (k == null) {
          VersionRecord v = newVersion(d, null, name, algorithm, policy, KeyState.ACTIVE,
              KeyVersionInfo.Origin.IMPORTED, copy);
          k = new KeyRecord(name, algorithm, policy, List.of(v), 1, false);
          d.put(k);
          d.event("import", name + "#1", Map.of("algorithm", algorithm.name(), "origin", "IMPORTED"));
          return k;
        }
        if (k.algorithm() != algorithm) {
          throw new IllegalArgumentException("key " + name + " is " + k.algorithm() + ", cannot import "
              + algorithm + " material as its new version");
        }
        k = rotateInDraft(d, k.withDeleted(false), copy, "imported as new primary", "import");
        d.put(k);
        return k;
      }, committer);
      return info(r);
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  @Override
  public void importKeys(Map<String, byte[]> materials, KeyAlgorithm algorithm, KeyPolicy policy) {
    for (Map.Entry<String, byte[]> e : materials.entrySet()) {
      KeyRef.of(e.getKey());
      checkMaterial(algorithm, e.getValue());
    }
    write(d -> {
      for (Map.Entry<String, byte[]> e : materials.entrySet()) {
        String name = e.getKey();
        if (d.find(name) != null) {
          throw new KeyringException("key " + name + " already exists; nothing was imported");
        }
        VersionRecord v = newVersion(d, null, name, algorithm, policy, KeyState.ACTIVE,
            KeyVersionInfo.Origin.IMPORTED, e.getValue());
        d.put(new KeyRecord(name, algorithm, policy, List.of(v), 1, false));
        d.event("import", name + "#1", Map.of("algorithm", algorithm.name(), "origin", "IMPORTED"));
      }
      return null;
    });
  }

  private KeyRecord rotateInDraft(Draft d, KeyRecord k, byte[] material, String reason, String action) {
    if (k.deleted() && material == null) {
      throw new IllegalStateException(LifecycleNotes.whyNotRotate(k));
    }
    VersionRecord staged = staged(k);
    if (staged != null) {
      throw new IllegalStateException("cannot rotate key " + k.name() + ": a two-phase rotation to #"
          + staged.version() + " is in progress; complete or abort it first");
    }
    VersionRecord nv = newVersion(d, k, k.name(), k.algorithm(), k.policy(), KeyState.ACTIVE,
        material == null ? KeyVersionInfo.Origin.GENERATED : KeyVersionInfo.Origin.IMPORTED, material);
    KeyRecord out = k.withVersion(nv);
    VersionRecord old = k.primaryRecord();
    if (old != null && KeyTransitions.allowed(Op.DEPRECATE, old.state())) {
      out = transition(d, out, old.version(), Op.DEPRECATE, "rotated to #" + nv.version(), "deprecate");
    }
    out = out.withPrimary(nv.version());
    Map<String, String> details = new LinkedHashMap<>();
    details.put("from", old == null ? "none" : "#" + old.version());
    details.put("to", "#" + nv.version());
    if (reason != null) {
      details.put("reason", reason);
    }
    d.event(action, k.name() + "#" + nv.version(), details);
    return out;
  }

  private static VersionRecord staged(KeyRecord k) {
    for (int i = k.versions().size() - 1; i >= 0; i--) {
      VersionRecord v = k.versions().get(i);
      if (v.state() == KeyState.PRE_ACTIVE) {
        return v;
      }
    }
    return null;
  }

  @Override
  public KeyVersionInfo rotate(String name, String reason) {
    KeyRecord k = write(d -> {
      KeyRecord r = rotateInDraft(d, d.get(name), null, reason, "rotate");
      d.put(r);
      return r;
    });
    return versionInfo(k, k.primary());
  }

  @Override
  public KeyVersionInfo beginRotation(String name) {
    return beginRotation(name, null);
  }

  @Override
  public KeyVersionInfo beginRotation(String name, String reason) {
    String why = reason != null ? reason : "two-phase rotation begun";
    KeyRecord k = write(d -> {
      KeyRecord r = d.get(name);
      if (r.deleted()) {
        throw new IllegalStateException(LifecycleNotes.whyNotRotate(r));
      }
      if (staged(r) != null) {
        throw new IllegalStateException("cannot begin a rotation of key " + name + ": #" + staged(r).version()
            + " is already staged; complete or abort it first");
      }
      VersionRecord old = r.primaryRecord();
      if (old == null) {
        throw new IllegalStateException("cannot begin a rotation of key " + name + ": it has no primary version");
      }
      r = transition(d, r, old.version(), Op.BEGIN_ROTATION, why, "rotate-begin");
      VersionRecord nv = newVersion(d, r, name, r.algorithm(), r.policy(), KeyState.PRE_ACTIVE,
          KeyVersionInfo.Origin.GENERATED, null).withReason(why);
      r = r.withVersion(nv);
      d.event("stage", name + "#" + nv.version(), Map.of("to", KeyState.PRE_ACTIVE.name(), "reason", why));
      d.put(r);
      return r;
    });
    return versionInfo(k, k.versions().size());
  }

  @Override
  public KeyVersionInfo completeRotation(String name) {
    KeyRecord k = write(d -> {
      KeyRecord r = d.get(name);
      VersionRecord st = staged(r);
      if (st == null) {
        throw new IllegalStateException("cannot complete a rotation of key " + name + ": no rotation is in progress");
      }
      r = transition(d, r, st.version(), Op.ACTIVATE, "two-phase rotation completed", "rotate-complete");
      VersionRecord old = r.primaryRecord();
      if (old != null && KeyTransitions.allowed(Op.DEPRECATE, old.state())) {
        r = transition(d, r, old.version(), Op.DEPRECATE, "rotated to #" + st.version(), "deprecate");
      }
      r = r.withPrimary(st.version());
      d.put(r);
      return r;
    });
    return versionInfo(k, k.primary());
  }

  @Override
  public void abortRotation(String name) {
    write(d -> {
      KeyRecord r = d.get(name);
      VersionRecord st = staged(r);
      if (st == null) {
        throw new IllegalStateException("cannot abort a rotation of key " + name + ": no rotation is in progress");
      }
      r = transition(d, r, st.version(), Op.DISCARD_STAGED, "two-phase rotation aborted", "rotate-abort");
      VersionRecord old = r.primaryRecord();
      if (old != null && old.state() == KeyState.ROTATING) {
        r = transition(d, r, old.version(), Op.ABORT_ROTATION, "two-phase rotation aborted", "rotate-abort");
      }
      d.put(r);
      return null;
    });
  }

  /** Applies {@code op} to one version, or to every version of the key the table allows it for. */
  private List<KeyVersionInfo> applyToRef(KeyRef ref, Op op, String reason, String action,
      java.util.function.UnaryOperator<VersionRecord> extra) {
    KeyRecord k = write(d -> {
      KeyRecord r = d.get(ref.name());
      List<Integer> targets = new ArrayList<>();
      if (ref.version().isPresent()) {
        int v = ref.version().getAsInt();
        if (r.version(v) == null) {
          throw new UnknownKeyException(ref);
        }
        targets.add(v);
      } else {
        for (VersionRecord v : r.versions()) {
          if (KeyTransitions.allowed(op, v.state())) {
            targets.add(v.version());
          }
        }
        if (targets.isEmpty()) {
          throw new IllegalStateException("cannot " + op.label() + " key " + ref.name() + ": no version is in a state"
              + " that allows it (allowed from " + KeyTransitions.sources(op) + ")");
        }
      }
      for (int v : targets) {
        r = transition(d, r, v, op, reason, action);
        if (extra != null) {
          r = r.withVersion(extra.apply(r.version(v)));
        }
      }
      d.put(r);
      return r;
    });
    return infos(k, ref);
  }

  /** The versions {@code ref} names (all of them for a bare name), as seen now. */
  private List<KeyVersionInfo> infos(KeyRecord k, KeyRef ref) {
    List<KeyVersionInfo> out = new ArrayList<>();
    for (VersionRecord v : k.versions()) {
      if (ref.version().isEmpty() || ref.version().getAsInt() == v.version()) {
        out.add(v.toInfo(k.name(), usage.view(KeyRef.of(k.name(), v.version()), v)));
      }
    }
    return out;
  }

  @Override
  public void suspend(KeyRef ref, String reason) {
    applyToRef(ref, Op.SUSPEND, reason, "suspend", null);
  }

  @Override
  public void resume(KeyRef ref) {
    applyToRef(ref, Op.RESUME, null, "resume", null);
  }

  @Override
  public void revoke(KeyRef ref, String reason) {
    applyToRef(ref, Op.REVOKE, reason, "revoke", null);
  }

  @Override
  public void markCompromised(KeyRef ref, String reason) {
    applyToRef(ref, Op.COMPROMISE, reason, "compromise", null);
  }

  @Override
  public List<KeyVersionInfo> scheduleDestruction(KeyRef ref, Duration after) {
    if (after != null && after.isNegative()) {
      throw new IllegalArgumentException("a destruction delay must not be negative, got " + after);
    }
    KeyRecord k = write(d -> {
      KeyRecord r = d.get(ref.name());
      Duration window = after != null ? after : r.policy().deletionWindow();
      Instant at = d.now.plus(window);
      List<Integer> targets = new ArrayList<>();
      if (ref.version().isPresent()) {
        if (r.version(ref.version().getAsInt()) == null) {
          throw new UnknownKeyException(ref);
        }
        targets.add(ref.version().getAsInt());
      } else {
        for (VersionRecord v : r.versions()) {
          if (KeyTransitions.allowed(Op.SCHEDULE_DESTRUCTION, v.state())) {
            targets.add(v.version());
          }
        }
      }
      for (int v : targets) {
        r = transition(d, r, v, Op.SCHEDULE_DESTRUCTION, "destruction scheduled for " + at, "schedule-destroy");
        VersionRecord vr = r.version(v);
        r = r.withVersion(vr.withTimes(vr.activated(), vr.deactivated(), vr.expires(), at));
      }
      if (ref.version().isEmpty()) {
        r = r.withDeleted(true);
      }
      d.put(r);
      return r;
    });
    return infos(k, ref);
  }

  @Override
  public void cancelDestruction(String name) {
    write(d -> {
      KeyRecord r = d.get(name);
      boolean any = false;
      for (VersionRecord v : r.versions()) {
        if (v.state() == KeyState.PENDING_DESTRUCTION) {
          r = transition(d, r, v.version(), Op.CANCEL_DESTRUCTION, "destruction cancelled", "cancel-destroy");
          any = true;
        }
      }
      if (!any) {
        throw new IllegalStateException(LifecycleNotes.whyNothingToCancel(r));
      }
      d.put(r.withDeleted(false));
      return null;
    });
  }

  @Override
  public void destroyNow(KeyRef ref) {
    write(d -> {
      KeyRecord r = d.get(ref.name());
      if (ref.version().isPresent()) {
        if (r.version(ref.version().getAsInt()) == null) {
          throw new UnknownKeyException(ref);
        }
        r = transition(d, r, ref.version().getAsInt(), Op.DESTROY, "destroyed on request", "destroy");
      } else {
        for (VersionRecord v : r.versions()) {
          if (KeyTransitions.allowed(Op.DESTROY, v.state())) {
            r = transition(d, r, v.version(), Op.DESTROY, "destroyed on request", "destroy");
          }
        }
        r = r.withDeleted(true);
      }
      d.put(r);
      return null;
    });
  }

  @Override
  public List<KeyInfo> list() {
    State s = current();
    List<KeyInfo> out = new ArrayList<>();
    for (KeyRecord k : s.keys().values()) {
      if (!k.deleted()) {
        out.add(info(k));
      }
    }
    out.sort(Comparator.comparing(KeyInfo::name));
    return out;
  }

  /** @return the names of the keys {@link #list()} would show, sorted, without building their infos */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (KeyRecord k : current().keys().values()) {
      if (!k.deleted()) {
        out.add(k.name());
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * @return whether {@code ref} names a listed key (not scheduled for destruction as a whole), or
   *     an existing version of any key; cheap, for the KeyStore's alias checks
   */
  public boolean exists(KeyRef ref) {
    KeyRecord k = current().keys().get(ref.name());
    if (k == null) {
      return false;
    }
    return ref.version().isPresent() ? k.version(ref.version().getAsInt()) != null : !k.deleted();
  }

  @Override
  public Optional<KeyInfo> find(String name) {
    KeyRecord k = current().keys().get(name);
    return k == null ? Optional.empty() : Optional.of(info(k));
  }

  private KeyInfo info(KeyRecord k) {
    List<KeyVersionInfo> vs = new ArrayList<>(k.versions().size());
    for (VersionRecord v : k.versions()) {
      vs.add(v.toInfo(k.name(), usage.view(KeyRef.of(k.name(), v.version()), v)));
    }
    VersionRecord p = k.primaryRecord();
    int primary = p != null && p.state().allowsProtect() ? p.version() : 0;
    return new KeyInfo(k.name(), k.algorithm(), k.policy(), vs, primary);
  }

  private KeyVersionInfo versionInfo(KeyRecord k, int v) {
    VersionRecord r = k.version(v);
    return r.toInfo(k.name(), usage.view(KeyRef.of(k.name(), v), r));
  }

  // ---------------------------------------------------------------- uses

  private static KeyRecord key(State s, String name) {
    KeyRecord k = s.keys().get(name);
    if (k == null) {
      throw new UnknownKeyException(KeyRef.of(name));
    }
    return k;
  }

  private static VersionRecord version(KeyRecord k, KeyRef ref) {
    VersionRecord v = k.version(ref.version().getAsInt());
    if (v == null) {
      throw new UnknownKeyException(ref);
    }
    return v;
  }

  private static long effectiveLimit(VersionRecord v) {
    long gcm = v.algorithm().isAes() ? GCM_INVOCATION_LIMIT : Long.MAX_VALUE;
    return v.usageLimit() > 0 ? Math.min(v.usageLimit(), gcm) : gcm;
  }

  private static KeyUsageException refusal(KeyRef ref, KeyState st, String what) {
    return new KeyUsageException(ref, st, "key " + ref + " is " + st + ": it may not " + what
        + (st == KeyState.SUSPENDED ? " until it is resumed" : ""));
  }

  /**
   * Grants {@code uses} protect operations (encrypt, wrap, MAC) with the version {@code ref}
   * resolves to: the primary for a name, rotating it first when it is due and the policy allows
   * (audited as {@code auto-rotate}), or the exact version.
   *
   * @throws KeyUsageException naming key, version and state when the lifecycle refuses
   * @throws UnknownKeyException if the key or version does not exist
   */
  public Use protect(KeyRef ref, long uses) {
    for (int attempt = 0; attempt < 8; attempt++) {
      State s = current();
      KeyRecord k = key(s, ref.name());
      // fast path: the same immutable record as last time (so the same state), not yet due, and
      // uses left in this process's reserved block
      Hot h = hot.get(ref);
      if (h != null && h.rec == k && clock.millis() < h.notAfter && h.counter.tryTakeLocal(uses)) {
        return new Use(h.vref, h.material);
      }
      if (k.deleted() && ref.version().isEmpty()) {
        throw new KeyUsageException(KeyRef.of(k.name(), k.versions().size()), k.latestState(),
            "key " + ref.name() + " is scheduled for destruction or destroyed: it may not encrypt");
      }
      VersionRecord v = ref.version().isPresent() ? version(k, ref) : k.primaryRecord();
      if (v == null) {
        VersionRecord last = k.versions().get(k.versions().size() - 1);
        throw refusal(KeyRef.of(k.name(), last.version()), last.state(), "encrypt (the key has no primary version)");
      }
      KeyRef vref = KeyRef.of(k.name(), v.version());
      if (!v.state().allowsProtect()) {
        throw refusal(vref, v.state(), "encrypt, wrap or sign");
      }
      Instant now = clock.instant();
      String due = null;
      if (v.expires() != null && !now.isBefore(v.expires())) {
        due = "expired at " + v.expires();
      } else if (ref.version().isEmpty() && k.policy().rotationPeriod().isPresent() && v.activated() != null
          && !now.isBefore(v.activated().plus(k.policy().rotationPeriod().get()))) {
        due = "is older than its rotation period " + k.policy().rotationPeriod().get();
      } else if (!usage.take(vref, uses, v)) {
        long lim = effectiveLimit(v);
        due = lim == GCM_INVOCATION_LIMIT && v.usageLimit() == 0
            ? "reached the GCM limit of 2^32 invocations (NIST SP 800-38D §8.3)"
            : "reached its usage limit of " + lim;
      } else {
        KeyMaterial m = material(vref, v.state());
        long notAfter = v.expires() == null ? Long.MAX_VALUE : v.expires().toEpochMilli();
        if (ref.version().isEmpty() && k.policy().rotationPeriod().isPresent() && v.activated() != null) {
          notAfter = Math.min(notAfter, v.activated().plus(k.policy().rotationPeriod().get()).toEpochMilli());
        }
        hot.put(ref, new Hot(k, vref, usage.counter(vref), m, notAfter));
        return new Use(vref, m);
      }
      if (ref.version().isEmpty() && k.policy().autoRotate() && v.state() == KeyState.ACTIVE) {
        autoRotate(k.name(), v.version(), due);
        continue;
      }
      throw new KeyUsageException(vref, v.state(), "key " + vref + " is " + v.state() + " but " + due
          + ": it may not encrypt; rotate the key");
    }
    throw new KeyringException("key " + ref + " kept rotating under this encryption; try again");
  }

  private void autoRotate(String name, int fromVersion, String why) {
    write(d -> {
      KeyRecord k = d.get(name);
      if (k.primary() != fromVersion) {
        return null; // another thread or process rotated it already
      }
      d.put(rotateInDraft(d, k, null, "primary #" + fromVersion + " " + why, "auto-rotate"));
      return null;
    });
  }

  /** The ledger's transactions: one engine write over the latest records of the given versions. */
  private Map<KeyRef, UsageLedger.Change> updateUsage(Iterable<KeyRef> refs,
      java.util.function.BiFunction<KeyRef, VersionRecord, UsageLedger.Change> change) {
    return write(d -> {
      Map<KeyRef, UsageLedger.Change> done = new HashMap<>();
      for (KeyRef ref : refs) {
        KeyRecord k = d.find(ref.name());
        VersionRecord v = k == null ? null : k.version(ref.version().getAsInt());
        UsageLedger.Change c = v == null ? null : change.apply(ref, v);
        if (c != null) {
          d.put(k.withVersion(c.updated()));
          d.event("use", ref.toString(), c.details());
          done.put(ref, c);
        }
      }
      return done;
    });
  }

  private KeyMaterial material(KeyRef vref, KeyState st) {
    return backend.material(vref).orElseThrow(() -> new KeyUsageException(vref, st,
        "key " + vref + " is " + st + " and has no material left"));
  }

  /**
   * Grants decryption (decrypt, unwrap, verify) with an exact version.
   *
   * @param allowCompromised the explicit override for a {@code COMPROMISED} version; such a use is audited
   * @throws KeyUsageException naming key, version and state when the lifecycle refuses
   */
  public Use unprotect(KeyRef exact, boolean allowCompromised) {
    State s = current();
    KeyRecord k = key(s, exact.name());
    VersionRecord v = version(k, exact);
    if (v.state().allowsUnprotect()) {
      return new Use(exact, material(exact, v.state()));
    }
    if (v.state() == KeyState.COMPROMISED && allowCompromised) {
      write(d -> {
        d.event("decrypt-compromised", exact.toString(), Map.of("state", v.state().name(),
            "reason", "explicit override"));
        return null;
      });
      return new Use(exact, material(exact, v.state()));
    }
    throw refusal(exact, v.state(), "decrypt, unwrap or verify");
  }

  /**
   * The versions a handle may decrypt with: the exact one, or for a name every version that may
   * still decrypt, newest first (GCM output names no version, so a name-level handle tries them).
   *
   * @throws KeyUsageException naming the primary (or newest) version and its state when none may decrypt
   */
  public List<Use> unprotectCandidates(KeyRef ref) {
    if (ref.version().isPresent()) {
      return List.of(unprotect(ref, false));
    }
    KeyRecord k = key(current(), ref.name());
    List<Use> out = new ArrayList<>();
    for (int i = k.versions().size() - 1; i >= 0; i--) {
      VersionRecord v = k.versions().get(i);
      if (v.state().allowsUnprotect()) {
        KeyRef vr = KeyRef.of(k.name(), v.version());
        backend.material(vr).ifPresent(m -> out.add(new Use(vr, m)));
      }
    }
    if (out.isEmpty()) {
      VersionRecord p = k.primaryRecord() != null ? k.primaryRecord() : k.versions().get(k.versions().size() - 1);
      throw refusal(KeyRef.of(k.name(), p.version()), p.state(), "decrypt, unwrap or verify");
    }
    return out;
  }

  /** @return the key's algorithm; throws {@link UnknownKeyException} */
  public KeyAlgorithm algorithmOf(String name) {
    return key(current(), name).algorithm();
  }

  // ---------------------------------------------------------------- handles

  @Override
  public ManagedKey handle(KeyRef ref) {
    KeyRecord k = key(current(), ref.name());
    if (ref.version().isPresent()) {
      version(k, ref);
    }
    return new ManagedKey(this, ref, k.algorithm(), k.policy().exportable());
  }

  @Override
  public byte[] exportKey(KeyRef ref) {
    KeyRecord k = key(current(), ref.name());
    VersionRecord v = ref.version().isPresent() ? version(k, ref) : k.primaryRecord();
    if (v == null) {
      throw new KeyUsageException(ref, k.latestState(), "key " + ref + " has no primary version to export");
    }
    KeyRef vref = KeyRef.of(k.name(), v.version());
    if (!v.exportable()) {
      throw new KeyUsageException(vref, v.state(), "key " + vref + " was not created exportable");
    }
    if (!v.state().allowsUnprotect()) {
      throw refusal(vref, v.state(), "be exported");
    }
    KeyMaterial m = material(vref, v.state());
    // audited before the material leaves, and without it: a failed audit write exports nothing
    write(d -> {
      d.event("export", vref.toString(), Map.of("state", v.state().name(), "algorithm", v.algorithm().name()));
      return null;
    });
    return m.exportRaw();
  }

  // ---------------------------------------------------------------- data

  @Override
  public byte[] encrypt(String name, byte[] plaintext, byte[] associatedData) {
    Use u = protect(KeyRef.of(name), 1);
    try {
      // the IV comes with the operation from the one IV source (never reused: see GcmIvSource)
      GcmIvSource.Encryption enc = GcmIvSource.start(u.material(), 128);
      byte[] iv = enc.iv();
      byte[] head = Envelope.header(Envelope.ENVELOPE_MAGIC, u.version(), Envelope.IV_LENGTH);
      System.arraycopy(iv, 0, head, head.length - Envelope.IV_LENGTH, Envelope.IV_LENGTH);
      byte[] out = Arrays.copyOf(head, head.length + plaintext.length + Envelope.TAG_LENGTH);
      KeyMaterial.AeadOperation op = enc.operation();
      op.updateAad(head, 0, head.length);
      if (associatedData != null) {
        op.updateAad(associatedData, 0, associatedData.length);
      }
      op.doFinal(plaintext, 0, plaintext.length, out, head.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("encryption under " + u.version() + " failed in the backend", e);
    }
  }

  @Override
  public byte[] decrypt(byte[] envelope, byte[] associatedData) {
    return decrypt(envelope, associatedData, false);
  }

  @Override
  public byte[] decrypt(byte[] envelope, byte[] associatedData, boolean allowCompromised) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE_MAGIC, "envelope");
    int ivEnd = h.headerLength() + Envelope.IV_LENGTH;
    if (envelope.length < ivEnd + Envelope.TAG_LENGTH) {
      throw new KeyringException("this Clavis envelope is truncated");
    }
    Use u = unprotect(h.ref(), allowCompromised);
    if (allowCompromised) {
      // a backend that forbids a COMPROMISED version's use itself (the token) lifts that for this call
      return backend.overridingState(u.version(), () -> open(h, u, envelope, ivEnd, associatedData));
    }
    return open(h, u, envelope, ivEnd, associatedData);
  }

  private static byte[] open(Envelope.Header h, Use u, byte[] envelope, int ivEnd, byte[] associatedData) {
    byte[] iv = Arrays.copyOfRange(envelope, h.headerLength(), ivEnd);
    byte[] out = new byte[envelope.length - ivEnd - Envelope.TAG_LENGTH];
    try {
      KeyMaterial.AeadOperation op = u.material().startGcm(false, iv, 128);
      op.updateAad(envelope, 0, ivEnd);
      if (associatedData != null) {
        op.updateAad(associatedData, 0, associatedData.length);
      }
      op.doFinal(envelope, ivEnd, envelope.length - ivEnd, out, 0);
      return out;
    } catch (AEADBadTagException e) {
      throw new KeyringException("the envelope under " + h.ref() + " failed its integrity check: it was altered,"
          + " or the associated data differs");
    } catch (GeneralSecurityException e) {
      throw new KeyringException("decryption under " + h.ref() + " failed in the backend", e);
    }
  }

  @Override
  public byte[] rewrap(byte[] envelope, byte[] associatedData) {
    Envelope.Header h = Envelope.parse(envelope, Envelope.ENVELOPE_MAGIC, "envelope");
    byte[] pt = decrypt(envelope, associatedData);
    try {
      return encrypt(h.ref().name(), pt, associatedData);
    } finally {
      Arrays.fill(pt, (byte) 0);
    }
  }

  @Override
  public DataKey generateDataKey(String kekName, int bits) {
    if (bits != 128 && bits != 192 && bits != 256) {
      throw new IllegalArgumentException("data keys are 128, 192 or 256 bits, got " + bits);
    }
    if (!algorithmOf(kekName).isAes()) {
      throw new IllegalArgumentException("key " + kekName + " is " + algorithmOf(kekName) + " and cannot wrap data keys");
    }
    Use u = protect(KeyRef.of(kekName), 1);
    byte[] dek = new byte[bits / 8];
    random.nextBytes(dek);
    try {
      byte[] w = u.material().wrapKwp(dek);
      byte[] head = Envelope.header(Envelope.WRAPPED_MAGIC, u.version(), w.length);
      System.arraycopy(w, 0, head, head.length - w.length, w.length);
      return new DataKey(dek, head, u.version());
    } catch (GeneralSecurityException e) {
      throw new KeyringException("wrapping a data key under " + u.version() + " failed in the backend", e);
    } finally {
      Arrays.fill(dek, (byte) 0);
    }
  }

  @Override
  public byte[] unwrapDataKey(byte[] wrappedDataKey) {
    Envelope.Header h = Envelope.parse(wrappedDataKey, Envelope.WRAPPED_MAGIC, "wrapped data key");
    Use u = unprotect(h.ref(), false);
    try {
      return u.material().unwrapKwp(Arrays.copyOfRange(wrappedDataKey, h.headerLength(), wrappedDataKey.length));
    } catch (GeneralSecurityException e) {
      throw new KeyringException("the wrapped data key under " + h.ref() + " failed its integrity check");
    }
  }

  @Override
  public List<byte[]> rewrapDataKeys(List<byte[]> wrappedDataKeys) {
    int n = wrappedDataKeys.size();
    Envelope.Header[] heads = new Envelope.Header[n];
    Map<KeyRef, List<Integer>> byVersion = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      heads[i] = Envelope.parse(wrappedDataKeys.get(i), Envelope.WRAPPED_MAGIC, "wrapped data key");
      byVersion.computeIfAbsent(heads[i].ref(), r -> new ArrayList<>()).add(i);
    }
    byte[][] deks = new byte[n][];
    byte[][] out = new byte[n][];
    try {
      for (Map.Entry<KeyRef, List<Integer>> e : byVersion.entrySet()) {
        Use u = unprotect(e.getKey(), false);
        List<byte[]> payloads = new ArrayList<>(e.getValue().size());
        for (int i : e.getValue()) {
          byte[] w = wrappedDataKeys.get(i);
          payloads.add(Arrays.copyOfRange(w, heads[i].headerLength(), w.length));
        }
        List<byte[]> plain;
        try {
          plain = u.material().unwrapKwpAll(payloads);
        } catch (GeneralSecurityException ex) {
          throw new KeyringException("a wrapped data key under " + e.getKey() + " failed its integrity check ("
              + ex.getMessage() + "); nothing was rewrapped");
        }
        for (int j = 0; j < plain.size(); j++) {
          deks[e.getValue().get(j)] = plain.get(j);
        }
      }
      Map<String, List<Integer>> byName = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        byName.computeIfAbsent(heads[i].ref().name(), x -> new ArrayList<>()).add(i);
      }
      for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
        Use u = protect(KeyRef.of(e.getKey()), e.getValue().size());
        List<byte[]> keys = new ArrayList<>(e.getValue().size());
        for (int i : e.getValue()) {
          keys.add(deks[i]);
        }
        List<byte[]> wrapped;
        try {
          wrapped = u.material().wrapKwpAll(keys);
        } catch (GeneralSecurityException ex) {
          throw new KeyringException("wrapping data keys under " + u.version() + " failed in the backend", ex);
        }
        int hl = Envelope.headerLength(u.version());
        byte[] proto = Envelope.header(Envelope.WRAPPED_MAGIC, u.version(), 0);
        for (int j = 0; j < wrapped.size(); j++) {
          byte[] w = wrapped.get(j);
          byte[] o = Arrays.copyOf(proto, hl + w.length);
          System.arraycopy(w, 0, o, hl, w.length);
          out[e.getValue().get(j)] = o;
        }
      }
      return Arrays.asList(out);
    } finally {
      for (byte[] d : deks) {
        if (d != null) {
          Arrays.fill(d, (byte) 0);
        }
      }
    }
  }

  // ---------------------------------------------------------------- audit and close

  @Override
  public AuditLog auditLog() {
    return audit;
  }

  /**
   * Records an event about the keyring itself rather than a key (key {@code "-"}), such as a
   * repair its backend made, in one commit.
   *
   * @param details facts only, never key material or secrets
   * @throws KeyringException if the commit fails
   */
  public void recordKeyringEvent(String action, Map<String, String> details) {
    write(d -> {
      d.event(action, "-", details);
      return null;
    });
  }

  /** Gives unused usage reservations back, removes the exit hook, then closes the backend. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      usage.giveBack();
    } catch (RuntimeException e) {
      // over-counting is the safe direction: the reservation simply stays counted
    } finally {
      usage.unregisterExitHook();
      closed = true;
      audit.wipe();
      anchors.forEach(MonotonicAnchor::wipe);
      backend.close();
    }
  }

  /** @return this engine's description (the backend's), for messages */
  @Override
  public String toString() {
    return "KeyringEngine{" + backend.describe() + "}";
  }

}
