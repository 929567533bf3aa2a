package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.AuditActor;
import dev.clavis.keyring.AuditLog;
import dev.clavis.keyring.AuditOptions;
import dev.clavis.engine.stream.StreamHeader;
import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyCachePolicy;
import dev.clavis.keyring.EncryptionContext;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.HdDerivation;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.ManagedPublicKey;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
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

/**
 * The lifecycle engine: every rule of managed keys over any {@link KeyBackend}, as transactions.
 * The rules themselves are the pure core: {@link Lifecycle} (state changes, through {@link
 * KeyTransitions}) and {@link Permissions} (whether a use is allowed now); this class runs each change as one backend transaction (exclusive across
 * processes, atomic, durable) that also appends the core's events to the audit log ({@link
 * AuditTrail}). Envelopes and data keys are {@link EnvelopeService}'s, usage counting the {@link
 * UsageLedger}'s.
 *
 * <p>Why this class is over 400 lines: it is the one place that holds the cached committed state
 * and the write lock, so the freshness polling, the transaction ({@code write}), the protect hot
 * path and the thin {@link Keyring} methods that run a {@link Lifecycle} function inside a
 * transaction all live here; each of those methods is a few lines, the rules are elsewhere.
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
  public static final long GCM_INVOCATION_LIMIT = Permissions.GCM_INVOCATION_LIMIT;

  /** A permission to use one version's material, granted after the lifecycle checks. */
  public record Use(KeyRef version, KeyMaterial material) {}

  private record State(long generation, Map<String, KeyRecord> keys, StoreSettings settings, long auditSeq,
      byte[] auditHash) {}

  /** What the last successful protect of a reference resolved to, valid while its key record is unchanged. */
  private record Hot(KeyRecord rec, KeyRef vref, UsageLedger.Counter counter, KeyMaterial material, long notAfter,
      java.util.concurrent.atomic.LongAdder tally) {}

  private final ConcurrentHashMap<KeyRef, Hot> hot = new ConcurrentHashMap<>();

  /** Blocks grow up to this size while a version is used fast: at most one write a second or so. */
  static final long MAX_USAGE_BLOCK = UsageLedger.MAX_BLOCK;

  private final KeyBackend backend;
  private final Clock clock;
  private final long freshnessNanos;
  private final Object writeLock = new Object();
  private final AuditOptions auditOptions;
  private final UsageTally tally;
  // the ledger's give-back also writes the counted uses (UsageTally): one write at close
  private final UsageLedger usage;
  private final AuditTrail audit;
  private final EnvelopeService envelopes = new EnvelopeService(this);
  private volatile State state;
  private volatile long lastCheck;
  private volatile boolean closed;

  /**
   * Opens the engine over a backend and executes destructions that fell due.
   *
   * @param backend where metadata and material live; closed by {@link #close()}
   * @param clock the time source (tests inject one)
   * @param freshness how stale a read may be before the backend is asked for a newer state
   * @throws StoreDamagedException if the store and its audit log or anchor do not belong together
   * @throws KeyringException if the backend cannot be read
   */
  public KeyringEngine(KeyBackend backend, Clock clock, Duration freshness) {
    this(backend, clock, freshness, AuditOptions.defaults());
  }

  /**
   * Opens the engine over a backend with audit settings, and executes destructions that fell due.
   *
   * @param backend where metadata and material live; closed by {@link #close()}
   * @param clock the time source (tests inject one)
   * @param freshness how stale a read may be before the backend is asked for a newer state
   * @param auditOptions the actor, the usage period and whether every decryption is recorded
   * @throws StoreDamagedException if the store and its audit log or anchor do not belong together
   * @throws KeyringException if the backend cannot be read
   */
  public KeyringEngine(KeyBackend backend, Clock clock, Duration freshness, AuditOptions auditOptions) {
    this.auditOptions = Objects.requireNonNull(auditOptions, "auditOptions");
    this.tally = new UsageTally(auditOptions.usagePeriod().toNanos(), System::nanoTime,
        clock.instant().truncatedTo(ChronoUnit.MILLIS));
    this.usage = new UsageLedger(this::updateUsage, this::settleUsage, Permissions::effectiveLimit, System::nanoTime,
        tally::pending, UsageLedger.readAheadThread());
    this.backend = Objects.requireNonNull(backend, "backend");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.freshnessNanos = freshness.toNanos();
    this.audit = new AuditTrail(backend, () -> head(latest()));
    audit.log().writersLock(writeLock); // verify() of a file log takes it before the log's monitor, as writers do
    // the store and its log must belong together before anything is used (RollbackGuard); the
    // head and the records are read in one committed state where the backend keeps both
    this.state = audit.consistently(() -> crossChecked(decode(backend.read())));
    raiseAnchors(state);
    this.lastCheck = System.nanoTime();
    if (Lifecycle.anyDestructionDue(state.keys().values(), clock.instant())) {
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

  /**
   * Opens an engine over a backend with the defaults.
   *
   * @param backend where metadata and material live; closed by {@link #close()}
   * @return an engine with the system clock and a 20 ms freshness bound
   * @throws KeyringException as {@link #KeyringEngine(KeyBackend, Clock, Duration)}
   */
  public static KeyringEngine open(KeyBackend backend) {
    return open(backend, AuditOptions.defaults());
  }

  /**
   * Opens an engine over a backend with the defaults and these audit settings.
   *
   * @param backend where metadata and material live; closed by {@link #close()}
   * @param auditOptions the actor, the usage period and whether every decryption is recorded
   * @return an engine with the system clock and a 20 ms freshness bound
   * @throws KeyringException as {@link #KeyringEngine(KeyBackend, Clock, Duration)}
   */
  public static KeyringEngine open(KeyBackend backend, AuditOptions auditOptions) {
    return new KeyringEngine(backend, Clock.systemUTC(), Duration.ofMillis(20), auditOptions);
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
    return new State(s.generation(), d.keys(), d.settings(), d.auditSeq(), d.auditHash());
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
      return audit.consistently(() -> { // the head and the records it is checked against: one committed state
        KeyBackend.Snapshot s = backend.read();
        if (s.generation() != state.generation()) {
          state = crossChecked(decode(requireNotOlder(s)));
          raiseAnchors(state); // a generation committed elsewhere is one this host has seen: a restore behind it is refused
        }
        return state;
      });
    }
  }

  private static HashChainedAuditLog.Head head(State s) {
    return new HashChainedAuditLog.Head(s.auditSeq(), s.auditHash(), s.generation());
  }

  /** Raises the commit mark and the anchor to a committed state; they never go down. */
  private void raiseAnchors(State s) {
    audit.raise(s.generation(), s.auditSeq());
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
    /** Whether this write must also record the counted uses (the ledger settles, or close). */
    boolean flushUsage;
    StoreSettings settings;

    Draft(State base, KeyBackend.Changes changes, Instant now) {
      this.base = base;
      this.settings = base.settings();
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
      events.add(new HashChainedAuditLog.Pending(now, auditOptions.actorNow(), action, key, details));
    }

    /** Stages what the lifecycle core decided: material changes, the record, its events. */
    KeyRecord apply(Lifecycle.Result r) {
      for (Lifecycle.MaterialChange m : r.material()) {
        if (m instanceof Lifecycle.Generate g) {
          changes.generate(g.ref(), g.algorithm(), g.exportable());
        } else if (m instanceof Lifecycle.Import i) {
          changes.importMaterial(i.ref(), i.algorithm(), i.material(), i.exportable());
        } else if (m instanceof Lifecycle.Erase e) {
          changes.erase(e.ref());
        }
      }
      put(r.record());
      r.events().forEach(this::event);
      return r.record();
    }

    void event(Lifecycle.Event e) {
      if (e != null) {
        event(e.action(), e.key(), e.details());
      }
    }

    boolean dirty() {
      return !changed.isEmpty() || !events.isEmpty();
    }

    /** Dual control: the store's quorum must approve this operation ({@link QuorumGuard}); no-op without one. */
    void approve(String operation, String key, Map<String, String> params) {
      QuorumGuard.Approved a = QuorumGuard.check(settings, storeId(), operation, key, params,
          dev.clavis.keyring.Approvals.current(), now);
      if (a != null) {
        settings = a.settings();
        event(a.event());
      }
    }
  }

  private final KeyringIdentity identity = new KeyringIdentity(this);

  /** @return the store's id as approval requests name it (hex of {@link KeyringIdentity}) */
  String storeId() {
    return java.util.HexFormat.of().formatHex(identity.id());
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
   * @param action the audit action, e.g. {@code migrate-kdf}
   * @param details the old and new settings, never a password
   * @param commit runs the given audit transaction inside the backend's own write
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
      UsageTally.Snapshot[] recorded = new UsageTally.Snapshot[1];
      Instant[] at = new Instant[1];
      T result = committer.apply((latest, changes) -> {
        State base = latest.generation() == state.generation() ? state : decode(requireNotOlder(latest));
        Draft d = new Draft(base, changes, now());
        T r = op.apply(d);
        enforceRetention(d);
        executeDueDestructions(d);
        // the counted uses ride on a write that happens anyway once their period is over (no write per use)
        recorded[0] = d.flushUsage || (d.dirty() && tally.due())
            ? tally.snapshot(d.now, auditOptions.actor().orElse(AuditActor.processUser())) : null;
        at[0] = d.now;
        if (recorded[0] != null) {
          d.events.addAll(recorded[0].events);
        }
        if (!d.dirty()) {
          next[0] = base;
          return r;
        }
        // the audit records are synced while the backend syncs the store, before it is published
        HashChainedAuditLog.Head head = audit.append(d.events, head(base), latest.generation() + 1, false);
        changes.beforePublish(audit::sync);
        Map<String, KeyRecord> merged = new HashMap<>(base.keys());
        merged.putAll(d.changed);
        for (KeyRecord k : d.changed.values()) { // a backend that keeps states in its rows (PostgreSQL) binds them
          for (int v = 1; v <= k.versions().size(); v++) {
            changes.versionState(KeyRef.of(k.name(), v), k.version(v).state());
          }
        }
        changes.setMetadata(MetadataCodec.encode(merged, d.settings, head.seq(), head.hash()));
        next[0] = new State(latest.generation() + 1, merged, d.settings, head.seq(), head.hash());
        return r;
      });
      boolean committed = next[0] != state && next[0].generation() != state.generation();
      state = next[0];
      if (committed && recorded[0] != null) {
        tally.settle(recorded[0], at[0]);
      }
      lastCheck = System.nanoTime();
      try {
        raiseAnchors(state);
      } catch (KeyringException e) {
        throw new KeyringException("the change was committed, but " + e.getMessage(), e);
      }
      if (committed) {
        backend.afterCommit(versionStates(state)); // e.g. the token's usage attributes follow the states
        envelopes.committed(); // cached data keys of a KEK whose state changed go at once
      }
      return result;
    }
  }

  /** keep-versions follows every change of a key, rotations included ({@link RetentionPolicy}). */
  private static void enforceRetention(Draft d) {
    for (KeyRecord k : List.copyOf(d.changed.values())) {
      Lifecycle.Result r = RetentionPolicy.enforce(d.get(k.name()), d.settings, d.now);
      if (r != null) {
        d.apply(r);
      }
    }
  }

  private void executeDueDestructions(Draft d) {
    List<String> names = new ArrayList<>();
    for (KeyRecord k : d.base.keys().values()) {
      if (Lifecycle.destructionDue(k, d.now)) {
        names.add(k.name());
      }
    }
    for (KeyRecord k : d.changed.values()) {
      if (Lifecycle.destructionDue(k, d.now) && !names.contains(k.name())) {
        names.add(k.name());
      }
    }
    for (String n : names) {
      d.apply(Lifecycle.executeDueDestructions(d.get(n), d.now));
    }
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

  // ---------------------------------------------------------------- lifecycle (rules: Lifecycle)

  /**
   * Creates the key with a generated active version 1 ({@link Lifecycle#create}).
   *
   * @throws KeyringException if the name is taken (saying what to do instead) or the write fails
   * @throws IllegalArgumentException for an invalid name, or SECRET (which is imported, never generated)
   */
  @Override
  public KeyInfo create(String name, KeyAlgorithm algorithm, KeyPolicy policy) {
    KeyRef.of(name);
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(policy, "policy");
    return create(name, algorithm, policy, KeyMetadata.builder().source("api").build());
  }

  /**
   * Imports material as a new key or the new primary of an existing one ({@link Lifecycle#importVersion}).
   * Key-pair material is proven first ({@link KeyPairProof}): its first certificate must certify its
   * private key.
   *
   * @throws IllegalArgumentException for an invalid name, a wrong material length, another algorithm, or
   *     key-pair material whose certificate is of another key (nothing is stored)
   * @throws IllegalStateException if a two-phase rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyInfo importKey(String name, KeyAlgorithm algorithm, byte[] material, KeyPolicy policy) {
    byte[] copy = material.clone(); // proven and stored from one copy: the caller's array may change
    try {
      KeyRef.of(name);
      checkMaterial(algorithm, copy);
      KeyPairProof.require(KeyRef.of(name), algorithm, copy, backend.holdsGeneratedKeyPairs()); // the chain certifies this private key
      return importKey(name, algorithm, copy, policy, backend::transact);
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  /**
   * Imports a key that arrives wrapped with RFC 5649 under a version of another key of this
   * keyring (bring your own key); the backend unwraps it ({@code C_UnwrapKey} on a token, so the
   * key is never in the clear outside it). Creates the key, or rotates it if the name exists.
   *
   * @param name the key to create or rotate
   * @param algorithm what the material is for
   * @param kek the wrapping version ({@code name#N}), which must allow unwrapping
   * @param wrapped the RFC 5649 output
   * @param policy the policy of a new key
   * @return the key as it is now
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
      return info(write(d -> d.apply(Lifecycle.importVersion(d.find(name), name, algorithm, copy, policy, d.now)),
          committer));
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  /**
   * Imports new keys in one write; all or nothing.
   *
   * @throws KeyringException if a name exists already (nothing is imported) or the write fails
   * @throws IllegalArgumentException for an invalid name or a wrong material length
   */
  @Override
  public void importKeys(Map<String, byte[]> materials, KeyAlgorithm algorithm, KeyPolicy policy) {
    // checked and written from one private copy: the caller's map and arrays may change meanwhile
    Map<String, byte[]> copy = new java.util.LinkedHashMap<>();
    try {
      materials.forEach((name, m) -> copy.put(name, m.clone()));
      for (Map.Entry<String, byte[]> e : copy.entrySet()) {
        KeyRef.of(e.getKey());
        checkMaterial(algorithm, e.getValue());
        KeyPairProof.require(KeyRef.of(e.getKey()), algorithm, e.getValue(), backend.holdsGeneratedKeyPairs());
      }
      write(d -> {
        for (Map.Entry<String, byte[]> e : copy.entrySet()) {
          String name = e.getKey();
          d.apply(Lifecycle.importNew(d.find(name), name, algorithm, e.getValue(), policy, d.now));
        }
        return null;
      });
    } finally {
      copy.values().forEach(m -> Arrays.fill(m, (byte) 0));
    }
  }

  /**
   * One-shot rotation ({@link Lifecycle#rotate}).
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if the key is doomed or destroyed, or a two-phase rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyVersionInfo rotate(String name, String reason) {
    KeyRecord k = write(d -> d.apply(Lifecycle.rotate(d.get(name), null, reason, "rotate", d.now)));
    return versionInfo(k, k.primary());
  }

  /**
   * Two-phase rotation, phase one, with the default note.
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException as {@link #beginRotation(String, String)}
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyVersionInfo beginRotation(String name) {
    return beginRotation(name, null);
  }

  /**
   * Two-phase rotation, phase one ({@link Lifecycle#beginRotation}).
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if a version is staged already, or the key has no primary or is doomed
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyVersionInfo beginRotation(String name, String reason) {
    KeyRecord k = write(d -> d.apply(Lifecycle.beginRotation(d.get(name), reason, d.now)));
    return versionInfo(k, k.versions().size());
  }

  /**
   * Two-phase rotation of a key pair, phase one: {@code material} staged as PRE_ACTIVE.
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalArgumentException if the key is no key pair, the material is no key pair, or its first
   *     certificate does not certify its private key ({@link KeyPairProof}; nothing is staged)
   * @throws IllegalStateException if a version is staged already, or the key has no primary or is doomed
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyVersionInfo beginRotation(String name, dev.clavis.keyring.KeyPairMaterial material, String reason) {
    KeyPairs.requireKeyPair(key(current(), name).algorithm(), KeyRef.of(name));
    byte[] stored = material.encode();
    try {
      KeyPairProof.require(KeyRef.of(name), key(current(), name).algorithm(), stored,
          backend.holdsGeneratedKeyPairs());
      KeyRecord k = write(d -> {
        KeyRecord r = d.get(name);
        KeyPairs.requireKeyPair(r.algorithm(), KeyRef.of(name));
        return d.apply(Lifecycle.beginRotation(r, stored, reason, d.now));
      });
      return versionInfo(k, k.versions().size());
    } finally {
      Arrays.fill(stored, (byte) 0);
    }
  }

  /**
   * Two-phase rotation, phase two ({@link Lifecycle#completeRotation}).
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if no rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyVersionInfo completeRotation(String name) {
    KeyRecord k = write(d -> d.apply(Lifecycle.completeRotation(d.get(name), d.now)));
    return versionInfo(k, k.primary());
  }

  /**
   * Abandons a two-phase rotation ({@link Lifecycle#abortRotation}).
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if no rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void abortRotation(String name) {
    write(d -> d.apply(Lifecycle.abortRotation(d.get(name), d.now)));
  }

  /** Applies {@code op} to one version, or to every version of the key the table allows it for. */
  private void applyToRef(KeyRef ref, Op op, String reason, String action) {
    write(d -> d.apply(Lifecycle.apply(d.get(ref.name()), ref, op, reason, action, d.now)));
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

  /**
   * Suspends a version, or every version that allows it.
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the state machine does not allow it (for a name: for no version)
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void suspend(KeyRef ref, String reason) {
    applyToRef(ref, Op.SUSPEND, reason, "suspend");
  }

  /**
   * Returns suspended versions to their remembered states (a former primary as DEPRECATED).
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if no such version is suspended
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void resume(KeyRef ref) {
    applyToRef(ref, Op.RESUME, null, "resume");
  }

  /**
   * Revokes a version, or every version that allows it.
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the state machine does not allow it
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void revoke(KeyRef ref, String reason) {
    applyCascading(ref, Op.REVOKE, reason, "revoke");
  }

  /** As {@link #applyToRef}; for an HD seed also to every live key derived from the versions named ({@link HdLineage}). */
  private void applyCascading(KeyRef ref, Op op, String reason, String action) {
    write(d -> {
      KeyRecord seed = d.apply(Lifecycle.apply(d.get(ref.name()), ref, op, reason, action, d.now));
      Map<String, KeyRecord> all = new HashMap<>(d.base.keys());
      all.putAll(d.changed);
      for (Lifecycle.Result r : HdLineage.cascade(all, seed, ref, op, reason, action, d.now)) {
        d.apply(r);
      }
      return seed;
    });
  }

  /**
   * Marks a version, or every version that allows it, compromised.
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the state machine does not allow it
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void markCompromised(KeyRef ref, String reason) {
    applyCascading(ref, Op.COMPROMISE, reason, "compromise");
  }

  /**
   * Schedules destruction ({@link Lifecycle#scheduleDestruction}).
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if {@code after} is negative
   * @throws IllegalStateException if the version is pending destruction or destroyed already
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public List<KeyVersionInfo> scheduleDestruction(KeyRef ref, Duration after) {
    return scheduleDestruction(ref, after, false);
  }

  /**
   * Cancels the key's scheduled destructions ({@link Lifecycle#cancelDestruction}).
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if nothing is pending destruction (or it was destroyed already)
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void cancelDestruction(String name) {
    write(d -> d.apply(Lifecycle.cancelDestruction(d.get(name), d.now)));
  }

  /**
   * Destroys a version, or the whole key, now ({@link Lifecycle#destroy}).
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if the version is destroyed already
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void destroyNow(KeyRef ref) {
    destroyNow(ref, false);
  }

  /**
   * @return the listed keys, by name
   * @throws KeyringException if the keyring is closed or the store cannot be read
   */
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
   * Whether a reference names something that exists.
   *
   * @param ref a key or a version
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

  /**
   * @return the key, including one scheduled for destruction
   * @throws KeyringException if the keyring is closed or the store cannot be read
   */
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
    Instant certDue = null;
    if (primary != 0 && k.algorithm().isKeyPair()) {
      KeyRef pref = KeyRef.of(k.name(), primary);
      if (p.certificate() != null && !backend.readsChainsWithoutKeys()) {
        // the facts its metadata records, written with the chain in one commit (file store, database)
        certDue = CertificateRenewal.dueAt(p.certificate());
      } else if (p.certificate() != null) {
        certDue = publicChainDue(pref, p.certificate()); // a token's chain objects
      } else { // a version an older Clavis certified: its chain
        certDue = backend.material(pref).map(m -> CertificateRenewal.dueAt(pref, m.certificates())).orElse(null);
      }
    }
    return new KeyInfo(k.name(), k.algorithm(), k.policy(), vs, primary, k.metadata(), certDue);
  }

  /**
   * The due date of a chain that lives apart from its metadata (a token's certificate objects): the
   * chain's own, as signing checks it; the recorded facts where the chain cannot be read (an object
   * gone or unreadable, the token failing), so a list neither fails nor loses the date.
   */
  private Instant publicChainDue(KeyRef pref, dev.clavis.keyring.CertificateInfo facts) {
    try {
      Optional<List<byte[]>> chain = backend.material(pref).map(KeyMaterial::certificates);
      if (chain.isPresent() && !chain.get().isEmpty()) {
        return CertificateRenewal.dueAt(pref, chain.get());
      }
    } catch (RuntimeException e) {
      // the facts below are the next best answer; the chain's trouble shows where it is used
    }
    return CertificateRenewal.dueAt(facts);
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

  /**
   * Grants {@code uses} protect operations (encrypt, wrap, MAC) with the version {@code ref}
   * resolves to: the primary for a name, rotating it first when it is due and the policy allows
   * (audited as {@code auto-rotate}), or the exact version.
   *
   * @param ref a key or a version
   * @param uses how many operations the caller will perform
   * @return the version granted and its material
   * @throws KeyUsageException naming key, version and state when the lifecycle refuses
   * @throws UnknownKeyException if the key or version does not exist
   */
  public Use protect(KeyRef ref, long uses) {
    for (int attempt = 0; attempt < 8; attempt++) {
      State s = current();
      KeyRecord k = key(s, ref.name());
      HdLineage.check(s.keys(), k, true); // a derived key also needs its seed's state (not cached in hot)
      // fast path: the same immutable record as last time (so the same state), not yet due, and
      // uses left in this process's reserved block
      Hot h = hot.get(ref);
      if (h != null && h.rec == k && clock.millis() < h.notAfter && h.counter.tryTakeLocal(uses)) {
        h.tally.add(uses);
        return new Use(h.vref, h.material);
      }
      Permissions.ProtectCheck c = Permissions.protect(k, ref, clock.instant());
      VersionRecord v = c.record();
      KeyRef vref = c.version();
      String due = c.due();
      KeyMaterial m = null;
      long until = c.notAfterMillis();
      if (due == null && k.algorithm().isKeyPair()) { // a key pair signs until its certificate's notAfter
        m = material(vref, v.state());
        until = Math.min(until, CertificateRenewal.requireUnexpired(vref, v.state(), m.certificates(), clock.instant()));
      }
      if (due == null && !usage.take(vref, uses, v)) {
        due = Permissions.usageDue(v);
      }
      if (due == null) {
        m = m != null ? m : material(vref, v.state());
        java.util.concurrent.atomic.LongAdder counted = tally.counters(vref)[UsageTally.Kind.protect(k.algorithm()).ordinal()];
        hot.put(ref, new Hot(k, vref, usage.counter(vref), m, until, counted));
        counted.add(uses);
        return new Use(vref, m);
      }
      if (Permissions.rotatesAutomatically(k, ref, v)) {
        int from = v.version();
        String why = due;
        write(d -> {
          Lifecycle.Result r = Lifecycle.autoRotate(d.get(k.name()), from, why, d.now);
          return r == null ? null : d.apply(r);
        });
        continue;
      }
      throw Permissions.dueRefusal(vref, v, due);
    }
    throw new KeyringException("key " + ref + " kept rotating under this encryption; try again");
  }

  /** The ledger's transactions: one engine write over the latest records of the given versions. */
  private Map<KeyRef, UsageLedger.Change> updateUsage(Iterable<KeyRef> refs,
      java.util.function.BiFunction<KeyRef, VersionRecord, UsageLedger.Change> change) {
    return usageWrite(refs, change, false);
  }

  /** The ledger's give-back: its write also records the counted uses (and happens for them alone). */
  private Map<KeyRef, UsageLedger.Change> settleUsage(Iterable<KeyRef> refs,
      java.util.function.BiFunction<KeyRef, VersionRecord, UsageLedger.Change> change) {
    return usageWrite(refs, change, true);
  }

  private Map<KeyRef, UsageLedger.Change> usageWrite(Iterable<KeyRef> refs,
      java.util.function.BiFunction<KeyRef, VersionRecord, UsageLedger.Change> change, boolean flush) {
    return write(d -> {
      d.flushUsage = flush;
      Map<KeyRef, UsageLedger.Change> done = new HashMap<>();
      for (KeyRef ref : refs) {
        KeyRecord k = d.find(ref.name());
        VersionRecord v = k == null ? null : k.version(ref.version().getAsInt());
        UsageLedger.Change c = v == null ? null : change.apply(ref, v);
        if (c != null) {
          d.put(k.withVersion(c.updated()));
          d.changes.reservation(ref, c.held());
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
   * Counts one decryption (decrypt, unwrap, verify) that succeeded with {@code version}, for its
   * periodic {@code usage} record; with {@link AuditOptions#auditDecrypts} it is also recorded on
   * its own ({@code decrypt}, with the encryption context), durably, before this returns: the
   * caller returns the plaintext only after this returned.
   *
   * @param version the exact version that decrypted ({@code name#N})
   * @param context the encryption context the caller gave (bound to the ciphertext), or null or empty if none
   * @throws KeyringException if the record cannot be written (the caller must then withhold the plaintext)
   * @throws UnknownKeyException if the key does not exist
   */
  public void recordDecryption(KeyRef version, Map<String, String> context) {
    KeyRecord k = key(current(), version.name());
    tally.add(version, UsageTally.Kind.unprotect(k.algorithm()), 1);
    if (auditOptions.auditsDecrypts() || current().settings().auditDecrypts()) {
      Map<String, String> details = new LinkedHashMap<>();
      if (context != null) {
        new java.util.TreeMap<>(context).forEach((ck, cv) -> details.put("context." + ck, cv));
      }
      write(d -> {
        d.event("decrypt", version.toString(), details);
        return null;
      });
    } else if (tally.due()) {
      flushUsage(); // a process that only decrypts writes its counts once a period
    }
  }

  /**
   * Writes the uses counted so far as {@code usage} records now, in one write (nothing if none).
   *
   * @throws KeyringException if the write fails (the counts stay for a later write)
   */
  public void flushUsage() {
    if (tally.pending()) {
      write(d -> {
        d.flushUsage = true;
        return null;
      });
    }
  }

  /** Counts {@code n} decryptions that release nothing (a bulk rewrap), for the periodic record only. */
  void countDecryptions(KeyRef version, long n) {
    tally.add(version, UsageTally.Kind.unprotect(key(current(), version.name()).algorithm()), n);
  }

  /** @return the uses counted and not yet written, by kind (tests) */
  Map<UsageTally.Kind, Long> unwrittenUsage(KeyRef version) {
    return tally.unwritten(version);
  }


  /**
   * Grants decryption (decrypt, unwrap, verify) with an exact version.
   *
   * @param exact the version ({@code name#N})
   * @return the version and its material
   * @param allowCompromised the explicit override for a {@code COMPROMISED} version; such a use is audited
   * @throws KeyUsageException naming key, version and state when the lifecycle refuses
   * @throws UnknownKeyException if the key or version does not exist
   */
  public Use unprotect(KeyRef exact, boolean allowCompromised) {
    return unprotect(exact, allowCompromised, "decrypt");
  }

  /** As {@link #unprotect(KeyRef, boolean)}; an override's audit record says what it is for ({@code decrypt}, {@code rewrap}). */
  Use unprotect(KeyRef exact, boolean allowCompromised, String purpose) {
    State s = knowing(current(), exact);
    KeyRecord k = key(s, exact.name());
    HdLineage.check(s.keys(), k, false);
    Permissions.UnprotectCheck c = Permissions.unprotect(k, exact, allowCompromised, clock.instant(), purpose);
    if (c.audit() != null) {
      write(d -> {
        d.approve(c.audit().action(), exact.toString(), Map.of());
        d.event(c.audit());
        return null;
      });
    }
    return new Use(exact, material(exact, c.record().state()));
  }

  /**
   * A version this process does not know may have been committed by another process or host since
   * the last freshness check (a database keyring shared by a fleet): reload at once rather than
   * refuse it.
   */
  private State knowing(State s, KeyRef exact) {
    if (exact.version().isEmpty()) {
      return s;
    }
    int v = exact.version().getAsInt();
    KeyRecord k = s.keys().get(exact.name());
    boolean unseen = k == null ? v >= 1 : v > k.versions().size(); // versions are numbered 1..n
    if (!unseen) {
      return s;
    }
    // envelopes come from outside: one naming versions that exist nowhere must not make every
    // decryption a read of the backend; a reload forced at most every FORCED_RELOAD_NANOS (the
    // freshness check brings a real new version within its own period anyway)
    long now = System.nanoTime();
    long last = lastForcedReload.get();
    if (now - last < FORCED_RELOAD_NANOS || !lastForcedReload.compareAndSet(last, now)) {
      return s;
    }
    return latest();
  }

  /** The shortest time between two reloads forced by a decryption under an unseen version. */
  static final long FORCED_RELOAD_NANOS = 50_000_000L;

  private final java.util.concurrent.atomic.AtomicLong lastForcedReload =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - FORCED_RELOAD_NANOS);

  /**
   * The versions a handle may decrypt with: the exact one, or for a name every version that may
   * still decrypt, newest first (GCM output names no version, so a name-level handle tries them).
   *
   * @param ref a key or a version
   * @return the versions with their material, newest first
   * @throws KeyUsageException naming the primary (or newest) version and its state when none may decrypt
   * @throws UnknownKeyException if the key or version does not exist
   */
  public List<Use> unprotectCandidates(KeyRef ref) {
    if (ref.version().isPresent()) {
      return List.of(unprotect(ref, false));
    }
    State s = current();
    KeyRecord k = key(s, ref.name());
    HdLineage.check(s.keys(), k, false);
    List<Use> out = new ArrayList<>();
    for (KeyRef vr : Permissions.decryptable(k, clock.instant())) {
      backend.material(vr).ifPresent(m -> out.add(new Use(vr, m)));
    }
    if (out.isEmpty()) {
      throw Permissions.noneDecrypts(k);
    }
    return out;
  }

  /**
   * The algorithm of a key.
   *
   * @param name the key's name
   * @return the key's algorithm
   * @throws UnknownKeyException if there is no such key
   */
  public KeyAlgorithm algorithmOf(String name) {
    return key(current(), name).algorithm();
  }

  // ---------------------------------------------------------------- handles

  /**
   * @return a JCA handle for {@code ref}
   * @throws UnknownKeyException if the key or version does not exist
   */
  @Override
  public ManagedKey handle(KeyRef ref) {
    KeyRecord k = key(current(), ref.name());
    if (ref.version().isPresent()) {
      Permissions.version(k, ref);
    }
    return new ManagedKey(this, ref, k.algorithm(), k.policy().exportable());
  }

  /**
   * Exports an exportable version's material, audited first ({@link Permissions#export}).
   *
   * @throws KeyUsageException if it is not exportable, has no primary, or its state refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public byte[] exportKey(KeyRef ref) {
    State s = current();
    KeyRecord k = key(s, ref.name());
    HdLineage.check(s.keys(), k, false);
    VersionRecord v = Permissions.export(k, ref);
    KeyRef vref = KeyRef.of(k.name(), v.version());
    KeyMaterial m = material(vref, v.state());
    // audited before the material leaves, and without it: a failed audit write exports nothing
    write(d -> {
      d.approve("export", vref.toString(), Map.of());
      d.event(Permissions.exported(vref, v));
      return null;
    });
    return m.exportRaw();
  }

  // ---------------------------------------------------------------- key pairs (KeyPairs)

  /** @return the chain (or certificate) of a version; public, so no lifecycle check */
  @Override
  public List<byte[]> certificates(KeyRef ref) {
    KeyRecord k = key(current(), ref.name());
    return backend.material(KeyPairs.resolve(k, ref)).map(KeyMaterial::certificates).orElse(List.of());
  }

  /**
   * Replaces a key-pair version's chain, audited ({@link KeyPairs#withChain}).
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no key pair, or the chain is empty
   * @throws IllegalStateException if the version has no material left
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void replaceCertificates(KeyRef version, List<byte[]> chain) {
    write(d -> {
      replaceChain(d, version, chain, KeyPairs.certificateInfo(version, chain));
      return null;
    });
    hot.clear();
  }

  /** Stages a version's new chain, its facts (read from that chain) in the version's metadata, and the audit event. */
  private void replaceChain(Draft d, KeyRef version, List<byte[]> chain, dev.clavis.keyring.CertificateInfo facts) {
    KeyRecord k = d.get(version.name());
    VersionRecord v = Permissions.version(k, version);
    KeyMaterial m = backend.material(version).orElseThrow(() -> new IllegalStateException("key " + version
        + " is " + v.state() + " and has no material left: its certificate cannot change"));
    byte[] stored = KeyPairs.withChain(k.algorithm(), version, m, chain);
    try {
      d.changes.importMaterial(version, k.algorithm(), stored, v.exportable());
    } finally {
      Arrays.fill(stored, (byte) 0);
    }
    d.put(k.withVersion(v.withCertificate(facts)));
    d.event("certificate", version.toString(), KeyPairs.describe(chain.get(0)));
  }

  /**
   * Two-phase rotation of a key pair, phase two in one commit: the CA's chain onto the staged
   * version ({@link #replaceCertificates}'s rules) and the staged version made the primary
   * ({@link Lifecycle#completeRotation}), so a failure leaves the rotation staged as it was.
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalArgumentException if the key is no key pair, or the chain is empty, certifies another key, or its
   *     own certificate is expired or not yet valid
   * @throws IllegalStateException if no rotation is in progress
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyVersionInfo completeRotation(String name, List<byte[]> chain) {
    KeyRecord k = write(d -> {
      KeyRecord r = d.get(name);
      KeyPairs.requireKeyPair(r.algorithm(), KeyRef.of(name));
      VersionRecord st = Lifecycle.staged(r);
      if (st == null) {
        throw new IllegalStateException("cannot complete a rotation of key " + name + ": no rotation is in progress");
      }
      KeyRef staged = KeyRef.of(name, st.version());
      dev.clavis.keyring.CertificateInfo facts = KeyPairs.certificateInfo(staged, chain); // parsed once
      requireValidNow(staged, facts, d.now);
      replaceChain(d, staged, chain, facts);
      return d.apply(Lifecycle.completeRotation(d.get(name), d.now));
    });
    hot.clear();
    return versionInfo(k, k.primary());
  }

  /** Clock skew allowed for a CA reply that is valid from "now": a CA's clock may run a little ahead. */
  private static final Duration NOT_BEFORE_SKEW = Duration.ofMinutes(5);

  /**
   * Refuses a chain whose own certificate is expired or not yet valid: made the primary, it would
   * refuse every signature while the old primary is already deprecated.
   */
  private static void requireValidNow(KeyRef version, dev.clavis.keyring.CertificateInfo leaf, Instant now) {
    if (now.isAfter(leaf.notAfter())) { // valid through notAfter itself (RFC 5280 §4.1.2.5), as signing checks it
      throw new IllegalArgumentException("the certificate for " + version + " expired at " + leaf.notAfter()
          + ": the rotation stays staged");
    }
    if (leaf.notBefore().isAfter(now.plus(NOT_BEFORE_SKEW))) {
      throw new IllegalArgumentException("the certificate for " + version + " is valid only from "
          + leaf.notBefore() + ": the rotation stays staged");
    }
  }

  /**
   * Signs a PKCS#10 CertificationRequestInfo for one version ({@link ProofOfPossession}), audited
   * as {@code csr-sign} before the signature is made.
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no key pair, or the bytes are no request for this version
   * @throws KeyUsageException if the version's state may not sign a request
   * @throws KeyringException if the audit write or the signature fails
   */
  @Override
  public byte[] signCertificationRequest(KeyRef version, String jcaAlgorithm, byte[] requestInfo) {
    KeyRecord k = key(current(), version.name());
    KeyPairs.requireKeyPair(k.algorithm(), version);
    VersionRecord v = Permissions.version(k, version);
    KeyRef vref = KeyRef.of(k.name(), v.version());
    ProofOfPossession.checkState(vref, v.state());
    KeyMaterial m = material(vref, v.state());
    ProofOfPossession.checkRequestInfo(vref, requestInfo, KeyPairs.publicKey(vref, m.certificates()).getEncoded());
    if (k.algorithm().isMlDsa() && !dev.clavis.keyring.MlDsa.available()) { // refused before it is recorded
      throw new KeyringException("cannot sign the certification request of " + vref + " with " + jcaAlgorithm + ": "
          + dev.clavis.keyring.MlDsa.unavailableMessage());
    }
    write(d -> {
      ProofOfPossession.checkState(vref, Permissions.version(d.get(vref.name()), vref).state());
      d.event("csr-sign", vref.toString(), Map.of("algorithm", jcaAlgorithm));
      return null;
    });
    return backend.provingPossession(vref, () -> { // a token lifts CKA_SIGN of a PRE_ACTIVE pair for this call
      try {
        KeyMaterial.SignOperation op = m.startSign(jcaAlgorithm, null);
        op.update(requestInfo, 0, requestInfo.length);
        return op.sign();
      } catch (java.security.GeneralSecurityException e) {
        throw new KeyringException("cannot sign the certification request of " + vref + " with " + jcaAlgorithm
            + ": " + e.getMessage(), e);
      }
    });
  }

  /**
   * @return a private-key handle for {@code ref}, carrying the public values of its version now
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no key pair
   */
  @Override
  public ManagedPrivateKey privateKeyHandle(KeyRef ref) {
    KeyRecord k = key(current(), ref.name());
    if (k.algorithm() == KeyAlgorithm.SECP256K1) {
      if (ref.version().isPresent()) {
        Permissions.version(k, ref);
      }
      return ManagedPrivateKey.of(this, ref, k.algorithm(), k.policy().exportable(), null);
    }
    KeyPairs.requireKeyPair(k.algorithm(), ref);
    return ManagedPrivateKey.of(this, ref, k.algorithm(), k.policy().exportable(),
        KeyPairs.publicKey(ref, certificates(ref)));
  }

  /**
   * @return a public-key handle for {@code ref} (a key pair's, or a derived HD key's)
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is neither a key pair nor a derived HD key
   */
  @Override
  public ManagedPublicKey publicKeyHandle(KeyRef ref) {
    KeyRecord k = key(current(), ref.name());
    if (ref.version().isPresent()) {
      Permissions.version(k, ref);
    }
    if (k.algorithm() != KeyAlgorithm.SECP256K1) { // a derived key has no certificate, but verifies as a pair does
      KeyPairs.requireKeyPair(k.algorithm(), ref);
    }
    return new ManagedPublicKey(this, ref, k.algorithm());
  }

  // ---------------------------------------------------------------- managed HD keys (HdKeys, HdLineage)

  /**
   * Creates an HD seed entry with 64 fresh random bytes ({@link HdKeys}).
   *
   * @throws KeyringException if the name is taken or the write fails
   * @throws IllegalArgumentException for an invalid name or a deletion window below the store's minimum
   */
  @Override
  public KeyInfo createSeed(String name, KeyPolicy policy, KeyMetadata metadata) {
    byte[] seed = new byte[HdKeys.SEED_BYTES];
    HdKeys.RANDOM.nextBytes(seed);
    try {
      return importSeed(name, seed, policy, metadata, "create");
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * Imports a BIP32 seed as a new HD seed entry.
   *
   * @throws KeyringException if the name is taken or the write fails
   * @throws IllegalArgumentException for an invalid name, a seed not of 16 to 64 bytes, or one BIP32 rejects
   */
  @Override
  public KeyInfo importSeed(String name, byte[] seed, KeyPolicy policy) {
    return importSeed(name, seed, policy, KeyMetadata.builder().source("api").build(), "import");
  }

  private KeyInfo importSeed(String name, byte[] seed, KeyPolicy policy, KeyMetadata metadata, String action) {
    KeyRef.of(name);
    Objects.requireNonNull(policy, "policy");
    checkMaterial(KeyAlgorithm.HD_SEED, seed);
    dev.clavis.engine.hd.Bip32Node.master(seed, false).destroy(); // BIP32's invalid master (p ~ 2^-127) refused here
    byte[] copy = seed.clone();
    try {
      return info(write(d -> {
        DeletionGuard.checkPolicyWindow(name, policy, d.settings);
        Lifecycle.Result r = Lifecycle.importNew(d.find(name), name, KeyAlgorithm.HD_SEED, copy, policy, d.now);
        return d.apply(new Lifecycle.Result(r.record().withMetadata(metadata), r.events(), r.material()));
      }));
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  /**
   * Derives a new managed key from the seed's primary version (which must be ACTIVE; the
   * derivation takes one of its uses), recorded with its derivation and audited as {@code derive}.
   *
   * @throws UnknownKeyException if the seed does not exist
   * @throws KeyUsageException if the seed's state refuses
   * @throws IllegalArgumentException for a malformed path, a seed that is no HD seed, or an invalid name
   * @throws KeyringException if the child's name is taken or the write fails
   */
  @Override
  public KeyInfo deriveKey(String seedName, String path, String name, KeyPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    int[] indices = HdKeys.parsePath(path);
    String child = name != null ? KeyRef.of(name).name() : HdKeys.defaultName(seedName, indices);
    HdKeys.requireSeed(key(current(), seedName).algorithm(), seedName);
    Use u = protect(KeyRef.of(seedName), 1);
    HdDerivation hd = HdDerivation.of(seedName, u.version().version().getAsInt(), indices);
    byte[] priv = HdKeys.derive(u.material(), indices);
    try {
      return info(write(d -> {
        DeletionGuard.checkPolicyWindow(child, policy, d.settings);
        Lifecycle.Result r = Lifecycle.importNew(d.find(child), child, KeyAlgorithm.SECP256K1, priv, policy, d.now);
        KeyMetadata m = KeyMetadata.builder().source("api").derivation(hd).build();
        KeyRecord rec = d.apply(new Lifecycle.Result(r.record().withMetadata(m), r.events(), r.material()));
        d.event("derive", child + "#1", Map.of("seed", hd.seedRef().toString(), "path", hd.path()));
        return rec;
      }));
    } finally {
      Arrays.fill(priv, (byte) 0);
    }
  }

  /**
   * @return the compressed secp256k1 public key of a derived key's version (public: no lifecycle check)
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if the key is no derived key
   * @throws IllegalStateException if the version was destroyed
   */
  @Override
  public byte[] hdPublicKey(KeyRef ref) {
    KeyRecord k = key(current(), ref.name());
    if (k.algorithm() != KeyAlgorithm.SECP256K1) {
      throw new IllegalArgumentException("key " + ref + " is " + k.algorithm() + ", not a derived secp256k1 key");
    }
    KeyRef v = KeyPairs.resolve(k, ref);
    KeyMaterial m = backend.material(v).orElseThrow(() -> new IllegalStateException("key " + v
        + " was destroyed: its public key is gone with it"));
    return HdKeys.publicKey(m);
  }

  // ---------------------------------------------------------------- data (EnvelopeService)

  /**
   * Encrypts into an envelope ({@link EnvelopeService}).
   *
   * @throws KeyUsageException if the lifecycle refuses
   * @throws UnknownKeyException if the key does not exist
   * @throws KeyringException if the backend fails
   */
  @Override
  public byte[] encrypt(String name, byte[] plaintext, byte[] associatedData) {
    return envelopes.encrypt(name, plaintext, associatedData, EncryptionContext.empty());
  }

  /**
   * Decrypts an envelope ({@link EnvelopeService}).
   *
   * @throws KeyUsageException if the version's state refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  @Override
  public byte[] decrypt(byte[] envelope, byte[] associatedData) {
    return envelopes.decrypt(envelope, associatedData, EncryptionContext.empty(), false);
  }

  /**
   * Decrypts an envelope, with the audited override for a COMPROMISED version ({@link EnvelopeService}).
   *
   * @throws KeyUsageException if the version's state refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  @Override
  public byte[] decrypt(byte[] envelope, byte[] associatedData, boolean allowCompromised) {
    return envelopes.decrypt(envelope, associatedData, EncryptionContext.empty(), allowCompromised);
  }

  /**
   * Re-encrypts an envelope under the current primary ({@link EnvelopeService}).
   *
   * @throws KeyUsageException if the lifecycle refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  @Override
  public byte[] rewrap(byte[] envelope, byte[] associatedData) {
    return envelopes.rewrap(envelope, associatedData, EncryptionContext.empty());
  }

  /**
   * Rewraps, moving an envelope off a {@code COMPROMISED} version when {@code allowCompromised}
   * ({@link EnvelopeService#rewrap(byte[], byte[], EncryptionContext, boolean)}).
   *
   * @throws KeyUsageException if the lifecycle refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if the envelope is malformed or altered, or the backend fails
   */
  @Override
  public byte[] rewrap(byte[] envelope, byte[] associatedData, boolean allowCompromised) {
    return envelopes.rewrap(envelope, associatedData, EncryptionContext.empty(), allowCompromised);
  }

  /**
   * A fresh data key wrapped under the KEK's primary ({@link EnvelopeService}).
   *
   * @throws IllegalArgumentException for a size other than 128, 192 or 256 bits, or a KEK that is not AES
   * @throws KeyUsageException if the lifecycle refuses
   * @throws UnknownKeyException if the key does not exist
   * @throws KeyringException if the backend fails
   */
  @Override
  public DataKey generateDataKey(String kekName, int bits) {
    return envelopes.generateDataKey(kekName, bits, EncryptionContext.empty());
  }

  /**
   * Unwraps a data key ({@link EnvelopeService}).
   *
   * @throws KeyUsageException if the version's state refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if the wrapped key is malformed or fails its integrity check
   */
  @Override
  public byte[] unwrapDataKey(byte[] wrappedDataKey) {
    return envelopes.unwrapDataKey(wrappedDataKey, EncryptionContext.empty(), 0);
  }

  /**
   * Rewraps data keys under their KEKs' primaries, all or nothing ({@link EnvelopeService}).
   *
   * @throws KeyUsageException if the lifecycle refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if a wrapped key fails its integrity check (nothing is rewrapped)
   */
  @Override
  public List<byte[]> rewrapDataKeys(List<byte[]> wrappedDataKeys) {
    return envelopes.rewrapDataKeys(wrappedDataKeys).wrappedDataKeys();
  }

  /**
   * As {@link #rewrapDataKeys}, on the token where it can ({@link EnvelopeService}).
   *
   * @throws KeyUsageException if the lifecycle refuses
   * @throws UnknownKeyException if the key or version does not exist
   * @throws KeyringException if a wrapped key fails its integrity check (nothing is rewrapped)
   */
  @Override
  public dev.clavis.keyring.DataKeyRewrap rewrapDataKeysReport(List<byte[]> wrappedDataKeys) {
    return envelopes.rewrapDataKeys(wrappedDataKeys);
  }

  // ---------------------------------------------------------------- context and streams (EnvelopeService)

  /** @see Keyring#encrypt(String, byte[], byte[], Map) */
  @Override
  public byte[] encrypt(String name, byte[] plaintext, byte[] associatedData, Map<String, String> context) {
    return envelopes.encrypt(name, plaintext, associatedData, EncryptionContext.of(context));
  }

  /** @see Keyring#decrypt(byte[], byte[], Map, boolean) */
  @Override
  public byte[] decrypt(byte[] envelope, byte[] associatedData, Map<String, String> context, boolean allowCompromised) {
    return envelopes.decrypt(envelope, associatedData, EncryptionContext.of(context), allowCompromised);
  }

  /** @see Keyring#rewrap(byte[], byte[], Map) */
  @Override
  public byte[] rewrap(byte[] envelope, byte[] associatedData, Map<String, String> context) {
    return envelopes.rewrap(envelope, associatedData, EncryptionContext.of(context));
  }

  /** @see Keyring#rewrap(byte[], byte[], Map, boolean) */
  @Override
  public byte[] rewrap(byte[] envelope, byte[] associatedData, Map<String, String> context, boolean allowCompromised) {
    return envelopes.rewrap(envelope, associatedData, EncryptionContext.of(context), allowCompromised);
  }

  /** @see Keyring#generateDataKey(String, int, Map) */
  @Override
  public DataKey generateDataKey(String kekName, int bits, Map<String, String> context) {
    return envelopes.generateDataKey(kekName, bits, EncryptionContext.of(context));
  }

  /** @see Keyring#unwrapDataKey(byte[], Map) */
  @Override
  public byte[] unwrapDataKey(byte[] wrappedDataKey, Map<String, String> context) {
    return envelopes.unwrapDataKey(wrappedDataKey, EncryptionContext.of(context), 0);
  }

  /** @see Keyring#unwrapDataKey(byte[], Map, long) */
  @Override
  public byte[] unwrapDataKey(byte[] wrappedDataKey, Map<String, String> context, long bytesProtected) {
    return envelopes.unwrapDataKey(wrappedDataKey, EncryptionContext.of(context), bytesProtected);
  }

  // ---------------------------------------------------------------- data-key cache (DataKeyCache)

  /**
   * Turns this keyring's data-key cache on ({@link dev.clavis.keyring.KeyringOptions#withDataKeyCache}
   * does it at the open); off until then.
   *
   * @param policy the cache's bounds
   * @throws IllegalStateException if the cache is on already
   */
  public void enableDataKeyCache(DataKeyCachePolicy policy) {
    ensureOpen();
    Objects.requireNonNull(policy, "policy");
    envelopes.enableCache(new DataKeyCache(policy, clock, this::unwrapState, true));
  }

  /** @return the data-key cache, null when it is off (tests in this package) */
  DataKeyCache dataKeyCache() {
    return envelopes.cache();
  }

  /**
   * The state of an exact version when it may unwrap without the override, from the current
   * metadata (in memory; refreshed when another process committed): the data-key cache's check of
   * every hit.
   *
   * @throws KeyUsageException if the version may not unwrap
   * @throws UnknownKeyException if the key or version does not exist
   */
  KeyState unwrapState(KeyRef exact) {
    return Permissions.unprotect(key(current(), exact.name()), exact, false, clock.instant()).record().state();
  }

  /** @see Keyring#newEncryptingStream */
  @Override
  public OutputStream newEncryptingStream(String name, Map<String, String> context, byte[] associatedData,
      OutputStream ciphertext) throws IOException {
    return newEncryptingStream(name, context, associatedData, ciphertext, StreamHeader.DEFAULT_SEGMENT);
  }

  /**
   * {@link #newEncryptingStream(String, Map, byte[], OutputStream)} with another segment size.
   *
   * @param segmentSize plaintext bytes per segment, {@value StreamHeader#MIN_SEGMENT} to {@value StreamHeader#MAX_SEGMENT}
   * @throws IllegalArgumentException for a segment size out of range
   * @throws IOException if writing the header fails
   */
  public OutputStream newEncryptingStream(String name, Map<String, String> context, byte[] associatedData,
      OutputStream ciphertext, int segmentSize) throws IOException {
    return envelopes.encryptingStream(name, EncryptionContext.of(context), associatedData, ciphertext, segmentSize);
  }

  /** @see Keyring#newDecryptingStream */
  @Override
  public InputStream newDecryptingStream(InputStream ciphertext, Map<String, String> context, byte[] associatedData,
      boolean allowCompromised) throws IOException {
    return envelopes.decryptingStream(ciphertext, EncryptionContext.of(context), associatedData, allowCompromised);
  }

  /** @see Keyring#newDecryptingChannel */
  @Override
  public SeekableByteChannel newDecryptingChannel(SeekableByteChannel ciphertext, Map<String, String> context,
      byte[] associatedData) throws IOException {
    return envelopes.decryptingChannel(ciphertext, EncryptionContext.of(context), associatedData);
  }

  /** @see Keyring#rewrapStream */
  @Override
  public KeyRef rewrapStream(InputStream ciphertext, OutputStream out, Map<String, String> context) throws IOException {
    return envelopes.rewrapStream(ciphertext, out, EncryptionContext.of(context), false);
  }

  /** @see Keyring#rewrapStream(InputStream, OutputStream, Map, boolean) */
  @Override
  public KeyRef rewrapStream(InputStream ciphertext, OutputStream out, Map<String, String> context,
      boolean allowCompromised) throws IOException {
    return envelopes.rewrapStream(ciphertext, out, EncryptionContext.of(context), allowCompromised);
  }

  // ---------------------------------------------------------------- audit and close

  /** @return the hash-chained audit log of this keyring */
  @Override
  public AuditLog auditLog() {
    return audit.log();
  }

  /**
   * Records an event about the keyring itself rather than a key (key {@code "-"}), such as a
   * repair its backend made, in one commit.
   *
   * @param action the audit action
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
  // ---------------------------------------------------------------- governance (rules: PolicyChange,
  // DeletionGuard, RetentionPolicy, DecryptionFloor, DueRotation, NameReuse)

  /**
   * Creates the key with its metadata ({@link Lifecycle#create}); its deletion window must meet the store's minimum.
   *
   * @throws KeyringException if the name is taken (saying what to do instead) or the write fails
   * @throws IllegalArgumentException for an invalid name, SECRET, or a deletion window below the store's minimum
   */
  @Override
  public KeyInfo create(String name, KeyAlgorithm algorithm, KeyPolicy policy, KeyMetadata metadata) {
    KeyRef.of(name);
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(metadata, "metadata");
    return info(write(d -> {
      DeletionGuard.checkPolicyWindow(name, policy, d.settings);
      Lifecycle.Result r = Lifecycle.create(d.find(name), name, algorithm, policy, d.now);
      return d.apply(new Lifecycle.Result(r.record().withMetadata(metadata), r.events(), r.material()));
    }));
  }

  /**
   * Creates a key under the name of a destroyed one ({@link NameReuse}).
   *
   * @throws KeyringException if the name belongs to a key that was not destroyed, or the write fails
   * @throws IllegalArgumentException for an invalid name, SECRET, or a deletion window below the store's minimum
   */
  @Override
  public KeyInfo replaceDestroyed(String name, KeyAlgorithm algorithm, KeyPolicy policy, KeyMetadata metadata) {
    KeyRef.of(name);
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(metadata, "metadata");
    return info(write(d -> {
      DeletionGuard.checkPolicyWindow(name, policy, d.settings);
      return d.apply(NameReuse.replace(d.find(name), name, algorithm, policy, metadata, d.now));
    }));
  }

  /**
   * Changes the policy of a live key ({@link PolicyChange#update}), audited with old and new values.
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if it was destroyed, or the decryption floor is raised without {@code force}
   * @throws IllegalArgumentException for exportability turned on, a deletion window below the
   *     store's minimum, or a floor above the primary
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyInfo updatePolicy(String name, KeyPolicy policy, boolean force) {
    Objects.requireNonNull(policy, "policy");
    return info(write(d -> {
      KeyRecord k = d.get(name);
      Lifecycle.Result r = PolicyChange.update(k, policy, force, d.settings, d.now);
      if (r != null && !PolicyLowering.lowered(k.policy(), policy).isEmpty()) {
        d.approve("policy", name, r.events().get(0).details());
      }
      return r == null ? k : d.apply(r);
    }));
  }

  /**
   * Replaces the purpose, description and tags of a key ({@link PolicyChange#label}); the creation source stays.
   *
   * @throws UnknownKeyException if the key does not exist
   * @throws IllegalStateException if it was destroyed
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public KeyInfo updateMetadata(String name, KeyMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    return info(write(d -> {
      KeyRecord k = d.get(name);
      Lifecycle.Result r = PolicyChange.label(k, metadata, d.now);
      return r == null ? k : d.apply(r);
    }));
  }

  /**
   * Schedules a destruction past the guards ({@link DeletionGuard#checkSchedule}); a forced short window is audited.
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalArgumentException if {@code after} is negative, or below the store's minimum and not forced
   * @throws IllegalStateException if deletion protection is on, or the state machine refuses
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public List<KeyVersionInfo> scheduleDestruction(KeyRef ref, Duration after, boolean force) {
    Lifecycle.requireDelay(after);
    KeyRecord k = write(d -> {
      KeyRecord r = d.get(ref.name());
      DeletionGuard.checkSchedule(r, ref, after, d.settings, force);
      d.approve("schedule-destroy", ref.toString(), Map.of("after", after == null ? "policy" : after.toString(),
          "force", Boolean.toString(force)));
      d.event(DeletionGuard.forcedSchedule(r, ref, after, d.settings));
      return d.apply(Lifecycle.scheduleDestruction(r, ref, after, d.now));
    });
    return infos(k, ref);
  }

  /**
   * Destroys a version, or the whole key, now, past the guards ({@link DeletionGuard#checkDestroyNow}).
   *
   * @throws UnknownKeyException if the key or version does not exist
   * @throws IllegalStateException if deletion protection is on, a version may still encrypt and
   *     {@code force} is false, or the version is destroyed already
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void destroyNow(KeyRef ref, boolean force) {
    write(d -> {
      KeyRecord r = d.get(ref.name());
      DeletionGuard.checkDestroyNow(r, ref, force);
      d.approve("destroy-now", ref.toString(), Map.of("force", Boolean.toString(force)));
      d.event(DeletionGuard.forcedDestroy(r, ref));
      return d.apply(Lifecycle.destroy(r, ref, d.now));
    });
  }

  /**
   * @return every key, those scheduled for destruction or destroyed as a whole included, by name
   * @throws KeyringException if the keyring is closed or the store cannot be read
   */
  @Override
  public List<KeyInfo> listAll() {
    List<KeyInfo> out = new ArrayList<>();
    for (KeyRecord k : current().keys().values()) {
      out.add(info(k));
    }
    out.sort(Comparator.comparing(KeyInfo::name));
    return out;
  }

  /**
   * Rotates, in one write, every key whose primary is due by age or expiry ({@link DueRotation}).
   *
   * @return the new primary versions, by key name
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public List<KeyVersionInfo> rotateDue() {
    List<KeyRecord> rotated = write(d -> {
      List<KeyRecord> done = new ArrayList<>();
      List<String> names = new ArrayList<>(d.base.keys().keySet());
      names.sort(null);
      for (String n : names) {
        Lifecycle.Result r = DueRotation.rotate(d.get(n), d.now);
        if (r != null) {
          done.add(d.apply(r));
        }
      }
      return done;
    });
    List<KeyVersionInfo> out = new ArrayList<>();
    for (KeyRecord k : rotated) {
      out.add(versionInfo(k, k.primary()));
    }
    return out;
  }

  /** @return the shortest deletion window a destruction is scheduled with unless forced */
  @Override
  public Duration minimumDeletionWindow() {
    return current().settings().minimumDeletionWindow();
  }

  /**
   * Sets the store's minimum deletion window, audited ({@code store-policy}, key "") with old and new values.
   *
   * @throws IllegalArgumentException if the window is negative
   * @throws IllegalStateException if it lowers the minimum and {@code force} is false
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void setMinimumDeletionWindow(Duration window, boolean force) {
    StoreSettings next = new StoreSettings(Objects.requireNonNull(window, "window"));
    this.<Void>write(d -> {
      Duration old = d.settings.minimumDeletionWindow();
      if (old.equals(window)) {
        return null;
      }
      if (window.compareTo(old) < 0 && !force) {
        throw new IllegalStateException("lowering this store's minimum deletion window from "
            + DeletionGuard.text(old) + " to " + DeletionGuard.text(window)
            + " lets destructions be scheduled sooner; force it ('--force')");
      }
      Map<String, String> details = Map.of("old.minimumDeletionWindow", old.toString(),
          "new.minimumDeletionWindow", window.toString());
      if (window.compareTo(old) < 0) {
        d.approve("store-policy", "", details);
      }
      d.settings = d.settings.withMinimumDeletionWindow(next.minimumDeletionWindow());
      d.event("store-policy", "", details);
      return null;
    });
  }

  // ---------------------------------------------------------------- dual control (rules: QuorumGuard)

  /** @return the store's custodian quorum, if its dangerous operations need one */
  @Override
  public Optional<dev.clavis.keyring.CustodianQuorum> quorum() {
    return Optional.ofNullable(current().settings().quorum());
  }

  /**
   * Sets, changes or (null) removes the store's quorum, audited ({@code store-quorum}); changing or
   * removing an existing one needs its approval.
   *
   * @throws dev.clavis.keyring.QuorumException if the existing quorum's approvals are missing or do not count
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void setQuorum(dev.clavis.keyring.CustodianQuorum next) {
    this.<Void>write(d -> {
      dev.clavis.keyring.CustodianQuorum old = d.settings.quorum();
      if (Objects.equals(old, next)) {
        return null;
      }
      Map<String, String> details = new LinkedHashMap<>();
      details.put("old.quorum", describe(old));
      details.put("new.quorum", describe(next));
      d.approve("store-quorum", "", details);
      d.settings = d.settings.withQuorum(next);
      d.event("store-quorum", "", details);
      return null;
    });
  }

  private static String describe(dev.clavis.keyring.CustodianQuorum q) {
    return q == null ? "none" : q.threshold() + "-of-" + q.custodianIds().size() + ":" + String.join(",", q.custodianIds());
  }

  /** @return whether every process that opens this store records every decryption */
  @Override
  public boolean storeAuditsDecrypts() {
    return current().settings().auditDecrypts();
  }

  /**
   * Turns the store-wide decryption audit on or off, audited ({@code store-policy}); off needs
   * {@code force}, or the quorum's approval on a store that has one.
   *
   * @throws IllegalStateException if turning it off without force on a store without quorum
   * @throws dev.clavis.keyring.QuorumException if the quorum's approvals are missing or do not count
   * @throws KeyringException if the backend's write fails
   */
  @Override
  public void setStoreAuditDecrypts(boolean on, boolean force) {
    this.<Void>write(d -> {
      boolean old = d.settings.auditDecrypts();
      if (old == on) {
        return null;
      }
      Map<String, String> details = Map.of("old.auditDecrypts", Boolean.toString(old),
          "new.auditDecrypts", Boolean.toString(on));
      if (!on) {
        if (d.settings.quorum() != null) {
          d.approve("store-policy", "", details);
        } else if (!force) {
          throw new IllegalStateException("turning the store-wide decryption audit off stops recording every"
              + " decryption for every process; force it ('--force')");
        }
      }
      d.settings = d.settings.withAuditDecrypts(on);
      d.event("store-policy", "", details);
      return null;
    });
  }

  // ---------------------------------------------------------------- migration (rules: KeyringMigration)

  /** @return the committed keys, read fresh from the backend */
  Map<String, KeyRecord> committedKeys() {
    return latest().keys();
  }

  /** @return the committed store settings, read fresh from the backend */
  StoreSettings committedSettings() {
    return latest().settings();
  }

  /** @return this keyring's id ({@link KeyringIdentity}), 16 hex digits */
  String keyringIdHex() {
    return java.util.HexFormat.of().formatHex(identity.id());
  }

  /** @return the ids of the keyrings this one was migrated from; their envelopes open here */
  java.util.Set<String> formerKeyringIds() {
    return current().settings().formerIds();
  }

  /**
   * Commits a migration's changes in one write: {@code op} stages them on the draft's changes and
   * returns the keys to put and the settings to take (the draft is this class's own).
   */
  <T> T migrationWrite(KeyringMigration.Step<T> op) {
    return write(d -> op.run(d.base.keys(), d.settings, d.changes, new KeyringMigration.Sink() {
      @Override
      public void put(KeyRecord k) {
        d.put(k);
      }

      @Override
      public void settings(StoreSettings s) {
        d.settings = s;
      }

      @Override
      public void approve(String operation, Map<String, String> params) {
        d.approve(operation, "", params);
      }

      @Override
      public void event(String action, Map<String, String> details) {
        d.event(action, "", details);
      }
    }));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    envelopes.close(); // the data-key cache's entries are wiped first
    try {
      usage.giveBack();
    } catch (RuntimeException e) {
      // over-counting is the safe direction: the reservation simply stays counted
    } finally {
      usage.unregisterExitHook();
      closed = true;
      audit.wipe();
      backend.close();
    }
  }

  /** @return this engine's description (the backend's), for messages */
  @Override
  public String toString() {
    return "KeyringEngine{" + backend.describe() + "}";
  }

}
