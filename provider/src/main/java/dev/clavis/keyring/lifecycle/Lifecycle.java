package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure lifecycle core: every rule of managed keys as a function from (key record, operation,
 * now) to (new key record, audit events, material changes), with no I/O, no clock and no lock. The
 * engine runs these functions inside a backend transaction and applies their {@link Result}; tests
 * call them directly ({@code LifecycleTest}).
 *
 * <p>State changes go through {@link KeyTransitions}, the one table; this class adds what happens
 * around a transition: the remembered states, activation and deactivation times, the version's
 * note ({@link LifecycleNotes}), erasing material on destruction, and the audit event. Whether a
 * version may be used now, and when the primary is due for an automatic rotation, is {@link
 * Permissions}'s.
 *
 * <p>Why this class is over 400 lines: it holds every operation that changes a key record (create,
 * import, rotate, the two-phase rotation, the state changes, destruction and its scheduling), so
 * that they share the one {@code transition} step and read together; each is a short function, and
 * about half the lines are their documentation.
 *
 * <p>Refusals throw: {@link IllegalStateException} for a transition the table or the key's state
 * does not allow, {@link UnknownKeyException} for a version that does not exist. A refused operation returns nothing, so
 * nothing of it is committed.
 */
final class Lifecycle {

  private Lifecycle() {}

  /** An audit event to append in the same commit; its time is the transaction's. */
  record Event(String action, String key, Map<String, String> details) {}

  /** What the backend must do with key material in the same commit. */
  sealed interface MaterialChange permits Generate, Import, Erase {}

  /** Generate fresh material for a new version. */
  record Generate(KeyRef ref, KeyAlgorithm algorithm, boolean exportable) implements MaterialChange {}

  /** Store supplied material for a new version; the array is the caller's (not copied, never logged). */
  record Import(KeyRef ref, KeyAlgorithm algorithm, byte[] material, boolean exportable) implements MaterialChange {
    @Override
    public String toString() {
      return "Import[" + ref + ", " + algorithm + "]";
    }
  }

  /** Erase a destroyed version's material. */
  record Erase(KeyRef ref) implements MaterialChange {}

  /** The outcome of one operation on one key: the record to store, the events to log, the material to change. */
  record Result(KeyRecord record, List<Event> events, List<MaterialChange> material) {
    Result {
      events = List.copyOf(events);
      material = List.copyOf(material);
    }
  }

  /** One operation in progress: the record so far and what it produced. */
  private static final class Step {
    final Instant now;
    final List<Event> events = new ArrayList<>();
    final List<MaterialChange> material = new ArrayList<>();
    KeyRecord rec;

    Step(KeyRecord rec, Instant now) {
      this.rec = rec;
      this.now = now;
    }

    void event(String action, String key, Map<String, String> details) {
      events.add(new Event(action, key, details));
    }

    Result result() {
      return new Result(rec, events, material);
    }
  }

  // ---------------------------------------------------------------- creation and rotation

  /**
   * Creates a key with one generated, active version.
   *
   * @param existing the record under {@code name}, or null
   * @throws KeyringException if the name is taken (naming what to do instead)
   * @throws IllegalArgumentException for SECRET, which Clavis does not generate
   */
  static Result create(KeyRecord existing, String name, KeyAlgorithm algorithm, KeyPolicy policy, Instant now) {
    if (existing != null) {
      throw new KeyringException(LifecycleNotes.whyNotCreate(existing));
    }
    return first(name, algorithm, policy, null, "create", now);
  }

  /**
   * Imports material as a new key, or as the new primary of an existing key of the same algorithm
   * (also of one scheduled for destruction or destroyed: the caller supplies the material).
   *
   * @throws IllegalArgumentException if the existing key is of another algorithm
   * @throws IllegalStateException if a two-phase rotation is in progress
   */
  static Result importVersion(KeyRecord existing, String name, KeyAlgorithm algorithm, byte[] material,
      KeyPolicy policy, Instant now) {
    if (existing == null) {
      return first(name, algorithm, policy, material, "import", now);
    }
    if (existing.algorithm() != algorithm) {
      throw new IllegalArgumentException("key " + name + " is " + existing.algorithm() + ", cannot import "
          + algorithm + " material as its new version");
    }
    return rotate(existing.withDeleted(false), material, "imported as new primary", "import", now);
  }

  /**
   * Imports material as a new key of one of a batch.
   *
   * @throws KeyringException if the name is taken (the whole batch is refused)
   */
  static Result importNew(KeyRecord existing, String name, KeyAlgorithm algorithm, byte[] material,
      KeyPolicy policy, Instant now) {
    if (existing != null) {
      throw new KeyringException("key " + name + " already exists; nothing was imported");
    }
    return first(name, algorithm, policy, material, "import", now);
  }

  private static Result first(String name, KeyAlgorithm algorithm, KeyPolicy policy, byte[] material, String action,
      Instant now) {
    Step s = new Step(null, now);
    VersionRecord v = newVersion(s, null, name, algorithm, policy, KeyState.ACTIVE, material);
    s.rec = KeyRecord.builder().name(name).algorithm(algorithm).policy(policy).versions(List.of(v)).primary(1).build();
    s.event(action, name + "#1", Map.of("algorithm", algorithm.name(), "origin", v.origin().name()));
    return s.result();
  }

  private static VersionRecord newVersion(Step s, KeyRecord k, String name, KeyAlgorithm alg, KeyPolicy policy,
      KeyState st, byte[] material) {
    int n = k == null ? 1 : k.nextVersion();
    KeyRef ref = KeyRef.of(name, n);
    boolean exportable = policy.exportable();
    if ((k != null || material == null) && (alg == KeyAlgorithm.HD_SEED || alg == KeyAlgorithm.SECP256K1)) {
      // a seed's children name its version, and a derived key's material is its path's: neither gets a next version
      throw new IllegalArgumentException("key " + ref + " is " + alg + ": " + (alg == KeyAlgorithm.HD_SEED
          ? "an HD seed is created with Keyring.createSeed (clavis create --algorithm HD-SEED) or imported as a new"
            + " entry, and never rotated: create a new seed entry"
          : "a derived key has no next version: derive a new key (clavis derive-key) with another index"));
    }
    if (material == null) {
      if (alg == KeyAlgorithm.SECRET) {
        throw new IllegalArgumentException("Clavis does not generate SECRET material: import it");
      }
      if (!alg.isGenerated()) {
        // a key pair needs its certificate, which the caller makes (keytool -genkeypair, clavis create)
        if (k == null) {
          throw new IllegalArgumentException("key " + ref + " is " + alg + ": a key pair is created with its"
              + " certificate (clavis create --algorithm --subject, keytool -genkeypair, Keyring.importKeyPair)");
        }
        throw new IllegalArgumentException("key " + ref + " is " + alg + ": a key pair's next version comes with its"
            + " certificate: 'clavis rotate " + name + "' (self-signed), or in two phases for a CA's"
            + " ('clavis rotate " + name + " --begin --csr FILE', then '--complete --cert FILE';"
            + " KeyPairRotation.begin in Java), or imported (keytool -genkeypair, KeyStore.setKeyEntry)");
      }
      s.material.add(new Generate(ref, alg, exportable));
    } else {
      s.material.add(new Import(ref, alg, material, exportable));
    }
    Instant act = st == KeyState.ACTIVE ? s.now : null;
    Instant exp = act == null ? null : policy.versionLifetime().map(act::plus).orElse(null);
    return VersionRecord.builder()
        .version(n)
        .state(st)
        .algorithm(alg)
        .origin(material == null ? KeyVersionInfo.Origin.GENERATED : KeyVersionInfo.Origin.IMPORTED)
        .exportable(exportable)
        .created(s.now)
        .activated(act)
        .expires(exp)
        .usageLimit(policy.usageLimit().orElse(0))
        // a key pair's certificate facts in its metadata: listing and due dates read no private key
        .certificate(material == null ? null : KeyPairs.certificateInfo(ref, alg, material))
        .build();
  }

  /**
   * Adds a new active primary (generated, or {@code material}) and deprecates the old one.
   *
   * @throws IllegalStateException if the key is scheduled for destruction or destroyed (unless
   *     material is supplied), or a two-phase rotation is in progress
   */
  static Result rotate(KeyRecord k, byte[] material, String reason, String action, Instant now) {
    Step s = new Step(k, now);
    rotate(s, material, reason, action);
    return s.result();
  }

  private static void rotate(Step s, byte[] material, String reason, String action) {
    KeyRecord k = s.rec;
    if (k.deleted() && material == null) {
      throw new IllegalStateException(LifecycleNotes.whyNotRotate(k));
    }
    VersionRecord staged = staged(k);
    if (staged != null) {
      throw new IllegalStateException("cannot rotate key " + k.name() + ": a two-phase rotation to #"
          + staged.version() + " is in progress; complete or abort it first");
    }
    VersionRecord nv = newVersion(s, k, k.name(), k.algorithm(), k.policy(), KeyState.ACTIVE, material);
    s.rec = k.withVersion(nv);
    VersionRecord old = k.primaryRecord();
    if (old != null && KeyTransitions.allowed(Op.DEPRECATE, old.state())) {
      transition(s, old.version(), Op.DEPRECATE, "rotated to #" + nv.version(), "deprecate");
    }
    s.rec = s.rec.withPrimary(nv.version());
    Map<String, String> details = new LinkedHashMap<>();
    details.put("from", old == null ? "none" : "#" + old.version());
    details.put("to", "#" + nv.version());
    if (reason != null) {
      details.put("reason", reason);
    }
    s.event(action, k.name() + "#" + nv.version(), details);
  }

  /**
   * The automatic rotation of a primary that fell due, or null when {@code fromVersion} is no
   * longer the primary (another thread or process rotated it already).
   */
  static Result autoRotate(KeyRecord k, int fromVersion, String why, Instant now) {
    if (k.primary() != fromVersion) {
      return null;
    }
    return rotate(k, null, "primary #" + fromVersion + " " + why, "auto-rotate", now);
  }

  /** @return the staged (PRE_ACTIVE) version of a two-phase rotation, newest first, or null */
  static VersionRecord staged(KeyRecord k) {
    for (int i = k.versions().size() - 1; i >= 0; i--) {
      VersionRecord v = k.versions().get(i);
      if (v.state() == KeyState.PRE_ACTIVE) {
        return v;
      }
    }
    return null;
  }

  /**
   * Stages a new PRE_ACTIVE version and moves the primary to ROTATING.
   *
   * @throws IllegalStateException if the key is doomed, has a staged version already or no primary
   */
  static Result beginRotation(KeyRecord r, String reason, Instant now) {
    return beginRotation(r, null, reason, now);
  }

  /**
   * As {@link #beginRotation(KeyRecord, String, Instant)}, staging {@code material} (a key pair's
   * next version with its certificate) rather than generated material.
   *
   * @throws IllegalStateException as there
   */
  static Result beginRotation(KeyRecord r, byte[] material, String reason, Instant now) {
    String name = r.name();
    String why = reason != null ? reason : "two-phase rotation begun";
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
    Step s = new Step(r, now);
    transition(s, old.version(), Op.BEGIN_ROTATION, why, "rotate-begin");
    VersionRecord nv = newVersion(s, s.rec, name, r.algorithm(), r.policy(), KeyState.PRE_ACTIVE, material)
        .withReason(why);
    s.rec = s.rec.withVersion(nv);
    s.event("stage", name + "#" + nv.version(), Map.of("to", KeyState.PRE_ACTIVE.name(), "reason", why));
    return s.result();
  }

  /**
   * Activates the staged version as the primary and deprecates the old one.
   *
   * @throws IllegalStateException if no rotation is in progress
   */
  static Result completeRotation(KeyRecord r, Instant now) {
    VersionRecord st = staged(r);
    if (st == null) {
      throw new IllegalStateException("cannot complete a rotation of key " + r.name()
          + ": no rotation is in progress");
    }
    Step s = new Step(r, now);
    transition(s, st.version(), Op.ACTIVATE, "two-phase rotation completed", "rotate-complete");
    VersionRecord old = s.rec.primaryRecord();
    if (old != null && KeyTransitions.allowed(Op.DEPRECATE, old.state())) {
      transition(s, old.version(), Op.DEPRECATE, "rotated to #" + st.version(), "deprecate");
    }
    s.rec = s.rec.withPrimary(st.version());
    return s.result();
  }

  /**
   * Discards the staged version and returns the primary from ROTATING to ACTIVE.
   *
   * @throws IllegalStateException if no rotation is in progress
   */
  static Result abortRotation(KeyRecord r, Instant now) {
    VersionRecord st = staged(r);
    if (st == null) {
      throw new IllegalStateException("cannot abort a rotation of key " + r.name() + ": no rotation is in progress");
    }
    Step s = new Step(r, now);
    transition(s, st.version(), Op.DISCARD_STAGED, "two-phase rotation aborted", "rotate-abort");
    VersionRecord old = s.rec.primaryRecord();
    if (old != null && old.state() == KeyState.ROTATING) {
      transition(s, old.version(), Op.ABORT_ROTATION, "two-phase rotation aborted", "rotate-abort");
    }
    return s.result();
  }

  // ---------------------------------------------------------------- state changes

  /**
   * Applies {@code op} (suspend, resume, revoke, compromise) to one version, or for a bare name to
   * every version the table allows it for.
   *
   * @throws UnknownKeyException if the version does not exist
   * @throws IllegalStateException if the table does not allow the change (for a name: for no version)
   */
  static Result apply(KeyRecord r, KeyRef ref, Op op, String reason, String action, Instant now) {
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
    Step s = new Step(r, now);
    for (int v : targets) {
      transition(s, v, op, reason, action);
    }
    return s.result();
  }

  /**
   * Checks a destruction delay before any transaction.
   *
   * @throws IllegalArgumentException if it is negative
   */
  static void requireDelay(Duration after) {
    if (after != null && after.isNegative()) {
      throw new IllegalArgumentException("a destruction delay must not be negative, got " + after);
    }
  }

  /**
   * Schedules the destruction of one version, or of the whole key (which leaves the listing).
   *
   * @param after the delay, or null for the policy's deletion window
   * @throws UnknownKeyException if the version does not exist
   * @throws IllegalStateException if the table does not allow it for that version
   */
  static Result scheduleDestruction(KeyRecord r, KeyRef ref, Duration after, Instant now) {
    Duration window = after != null ? after : r.policy().deletionWindow();
    Instant at = now.plus(window);
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
    Step s = new Step(r, now);
    for (int v : targets) {
      transition(s, v, Op.SCHEDULE_DESTRUCTION, "destruction scheduled for " + at, "schedule-destroy");
      s.rec = s.rec.withVersion(s.rec.version(v).toBuilder().destroyAt(at).build());
    }
    if (ref.version().isEmpty()) {
      s.rec = s.rec.withDeleted(true);
    }
    return s.result();
  }

  /**
   * Returns every PENDING_DESTRUCTION version to the state it had when it was scheduled (a former
   * primary as DEPRECATED, see {@link KeyTransitions}) and the key to the listing.
   *
   * @throws IllegalStateException if no version is pending destruction
   */
  static Result cancelDestruction(KeyRecord r, Instant now) {
    Step s = new Step(r, now);
    boolean any = false;
    for (VersionRecord v : r.versions()) {
      if (v.state() == KeyState.PENDING_DESTRUCTION) {
        transition(s, v.version(), Op.CANCEL_DESTRUCTION, "destruction cancelled", "cancel-destroy");
        any = true;
      }
    }
    if (!any) {
      throw new IllegalStateException(LifecycleNotes.whyNothingToCancel(r));
    }
    s.rec = s.rec.withDeleted(false);
    return s.result();
  }

  /**
   * Destroys one version now, or every version of the key (which stays as a tombstone).
   *
   * @throws UnknownKeyException if the version does not exist
   * @throws IllegalStateException if the version is destroyed already
   */
  static Result destroy(KeyRecord r, KeyRef ref, Instant now) {
    Step s = new Step(r, now);
    if (ref.version().isPresent()) {
      if (r.version(ref.version().getAsInt()) == null) {
        throw new UnknownKeyException(ref);
      }
      transition(s, ref.version().getAsInt(), Op.DESTROY, "destroyed on request", "destroy");
    } else {
      for (VersionRecord v : r.versions()) {
        if (KeyTransitions.allowed(Op.DESTROY, v.state())) {
          transition(s, v.version(), Op.DESTROY, "destroyed on request", "destroy");
        }
      }
      s.rec = s.rec.withDeleted(true);
    }
    return s.result();
  }

  // ---------------------------------------------------------------- due destructions

  /** @return whether any version of any of {@code keys} is due for destruction at {@code now} */
  static boolean anyDestructionDue(Collection<KeyRecord> keys, Instant now) {
    for (KeyRecord k : keys) {
      if (destructionDue(k, now)) {
        return true;
      }
    }
    return false;
  }

  /** @return whether a version of {@code k} is PENDING_DESTRUCTION with its time reached */
  static boolean destructionDue(KeyRecord k, Instant now) {
    for (VersionRecord v : k.versions()) {
      if (due(v, now)) {
        return true;
      }
    }
    return false;
  }

  private static boolean due(VersionRecord v, Instant now) {
    return v.state() == KeyState.PENDING_DESTRUCTION && v.destroyAt() != null && !v.destroyAt().isAfter(now);
  }

  /** Destroys every version of {@code k} whose scheduled destruction fell due (none: {@code k} unchanged). */
  static Result executeDueDestructions(KeyRecord k, Instant now) {
    Step s = new Step(k, now);
    for (VersionRecord v : k.versions()) {
      if (due(v, now)) {
        transition(s, v.version(), Op.DESTROY, "scheduled destruction fell due", "destroy");
      }
    }
    return s.result();
  }

  // ---------------------------------------------------------------- one transition

  /**
   * Applies one row of the state machine to one version of the step's record: the remembered
   * states, the activation and deactivation times, the note, the erasure on destruction, the event.
   */
  private static void transition(Step s, int version, Op op, String reason, String action) {
    KeyRecord k = s.rec;
    VersionRecord v = k.version(version);
    KeyRef ref = KeyRef.of(k.name(), version);
    KeyState from = v.state();
    KeyState remembered = op == Op.CANCEL_DESTRUCTION ? v.rememberedBeforeDestroy() : v.remembered();
    KeyState to = KeyTransitions.apply(op, ref, from, remembered, k.primary() == version);
    VersionRecord.Builder nv = LifecycleNotes.record(op, v, to, reason).toBuilder();
    switch (op) {
      case SUSPEND -> nv.remembered(from);
      case RESUME -> nv.remembered(null);
      case SCHEDULE_DESTRUCTION -> nv.rememberedBeforeDestroy(from);
      case CANCEL_DESTRUCTION -> nv.rememberedBeforeDestroy(null).destroyAt(null);
      default -> { }
    }
    if (to == KeyState.ACTIVE && v.activated() == null) {
      nv.activated(s.now).deactivated(null).expires(k.policy().versionLifetime().map(s.now::plus).orElse(null));
    }
    VersionRecord built = nv.build();
    if (!to.allowsProtect() && from.allowsProtect() && built.deactivated() == null) {
      nv.deactivated(s.now);
    } else if (to.allowsProtect() && built.deactivated() != null) {
      // back to encrypting (resume, cancel-destroy): it is no longer deactivated
      nv.deactivated(null);
    }
    if (to == KeyState.DESTROYED) {
      s.material.add(new Erase(ref));
      nv.certificate(null); // its chain goes with its material, as Keyring.certificates shows
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("from", from.name());
    details.put("to", to.name());
    if (reason != null) {
      details.put("reason", reason);
    }
    s.event(action, ref.toString(), details);
    s.rec = k.withVersion(nv.build());
  }
}
