package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.UnknownKeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The permission checks of the lifecycle core, pure like {@link Lifecycle}: whether a version may
 * protect (encrypt, wrap, MAC), unprotect (decrypt, unwrap, verify) or be exported at a given
 * instant, by state, expiry, rotation period and usage limit, and whether a due primary is rotated
 * automatically or refused. The engine asks here before it hands out material; the usage count
 * itself is the {@link UsageLedger}'s, which reports only whether uses are left.
 *
 * <p>Refusals throw {@link KeyUsageException} naming key, version and state, or {@link
 * UnknownKeyException} for a version that does not exist.
 */
final class Permissions {

  /** NIST SP 800-38D §8.3: at most 2^32 invocations of GCM with random IVs under one key. */
  static final long GCM_INVOCATION_LIMIT = 1L << 32;

  private Permissions() {}

  /** What {@link #protect} found: the version to use and, when it may not, why it is due for rotation. */
  record ProtectCheck(KeyRef version, VersionRecord record, String due, long notAfterMillis) {}

  /** What {@link #unprotect} allows: the version, and the audit event an override requires (or null). */
  record UnprotectCheck(VersionRecord record, Lifecycle.Event audit) {}

  /** @return the uses a version allows: its own limit, and for AES at most the GCM limit */
  static long effectiveLimit(VersionRecord v) {
    long gcm = v.algorithm().isAes() ? GCM_INVOCATION_LIMIT : Long.MAX_VALUE;
    return v.usageLimit() > 0 ? Math.min(v.usageLimit(), gcm) : gcm;
  }

  /** @return the refusal of {@code what} for a version in state {@code st} */
  static KeyUsageException refusal(KeyRef ref, KeyState st, String what) {
    return new KeyUsageException(ref, st, "key " + ref + " is " + st + ": it may not " + what
        + (st == KeyState.SUSPENDED ? " until it is resumed" : ""));
  }

  /**
   * @param ref an exact version
   * @return its record
   * @throws UnknownKeyException if it does not exist
   */
  static VersionRecord version(KeyRecord k, KeyRef ref) {
    VersionRecord v = k.version(ref.version().getAsInt());
    if (v == null) {
      throw new UnknownKeyException(ref);
    }
    return v;
  }

  /**
   * Decides whether {@code ref} (a name: its primary; or an exact version) may protect at {@code
   * now}, by state, expiry and (for a name) rotation period. The usage limit is the ledger's to
   * check ({@link #usageDue} names it when the ledger refuses).
   *
   * @return the version, whether it is due for rotation (null: not by time) and until when a grant
   *     holds without a new check ({@code notAfterMillis})
   * @throws KeyUsageException if the key or version may not encrypt at all
   * @throws UnknownKeyException if the version does not exist
   */
  static ProtectCheck protect(KeyRecord k, KeyRef ref, Instant now) {
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
    boolean byAge = ref.version().isEmpty() && k.policy().rotationPeriod().isPresent() && v.activated() != null;
    Instant rotateAt = byAge ? v.activated().plus(k.policy().rotationPeriod().get()) : null;
    String due = null;
    if (v.expires() != null && !now.isBefore(v.expires())) {
      due = "expired at " + v.expires();
    } else if (byAge && !now.isBefore(rotateAt)) {
      due = "is older than its rotation period " + k.policy().rotationPeriod().get();
    }
    long notAfter = v.expires() == null ? Long.MAX_VALUE : v.expires().toEpochMilli();
    if (byAge) {
      notAfter = Math.min(notAfter, rotateAt.toEpochMilli());
    }
    return new ProtectCheck(vref, v, due, notAfter);
  }

  /** @return why a version whose uses ran out is due: its own limit or the GCM limit */
  static String usageDue(VersionRecord v) {
    long lim = effectiveLimit(v);
    return lim == GCM_INVOCATION_LIMIT && v.usageLimit() == 0
        ? "reached the GCM limit of 2^32 invocations (NIST SP 800-38D §8.3)"
        : "reached its usage limit of " + lim;
  }

  /** @return whether a due primary named by {@code ref} is rotated automatically rather than refused */
  static boolean rotatesAutomatically(KeyRecord k, KeyRef ref, VersionRecord v) {
    // a key pair's next version needs a certificate Clavis cannot issue: it is refused, not rotated
    return ref.version().isEmpty() && k.policy().autoRotate() && v.state() == KeyState.ACTIVE
        && k.algorithm().isGenerated();
  }

  /** @return the refusal of a version that is due and not rotated automatically */
  static KeyUsageException dueRefusal(KeyRef vref, VersionRecord v, String due) {
    return new KeyUsageException(vref, v.state(), "key " + vref + " is " + v.state() + " but " + due
        + ": it may not " + DueAdvice.verb(v.algorithm()) + "; " + DueAdvice.remedy(vref.name(), v.algorithm()));
  }

  /**
   * Decides whether an exact version may decrypt, unwrap or verify.
   *
   * @param allowCompromised the explicit override for a COMPROMISED version, which must be audited
   * @param now the instant of the check, for the key's decrypt window ({@link DecryptionFloor})
   * @return the version and the audit event the override requires (null when none is needed)
   * @throws KeyUsageException if its state or the key's retention ({@link DecryptionFloor}) refuses
   * @throws UnknownKeyException if the version does not exist
   */
  static UnprotectCheck unprotect(KeyRecord k, KeyRef exact, boolean allowCompromised, Instant now) {
    return unprotect(k, exact, allowCompromised, now, "decrypt");
  }

  /**
   * As {@link #unprotect(KeyRecord, KeyRef, boolean, Instant)}; the override's audit event is
   * {@code <purpose>-compromised} ({@code decrypt-compromised}, {@code rewrap-compromised}).
   */
  static UnprotectCheck unprotect(KeyRecord k, KeyRef exact, boolean allowCompromised, Instant now, String purpose) {
    VersionRecord v = version(k, exact);
    DecryptionFloor.check(k, v, now);
    if (v.state().allowsUnprotect()) {
      return new UnprotectCheck(v, null);
    }
    if (v.state() == KeyState.COMPROMISED && allowCompromised) {
      return new UnprotectCheck(v, new Lifecycle.Event(purpose + "-compromised", exact.toString(),
          Map.of("state", v.state().name(), "reason", "explicit override")));
    }
    if (v.state() == KeyState.COMPROMISED) {
      // the one way out for data under it, named where the user meets the refusal
      throw new KeyUsageException(exact, v.state(), refusal(exact, v.state(), "decrypt, unwrap or verify").getMessage()
          + " without the explicit override: move its data to the primary with 'rewrap --allow-compromised'"
          + " (Keyring.rewrap(envelope, aad, true)), audited; 'decrypt --allow-compromised' reads it");
    }
    throw refusal(exact, v.state(), "decrypt, unwrap or verify");
  }

  /** @return the versions of {@code k} that may still decrypt at {@code now}, newest first */
  static List<KeyRef> decryptable(KeyRecord k, Instant now) {
    List<KeyRef> out = new ArrayList<>();
    for (int i = k.versions().size() - 1; i >= 0; i--) {
      VersionRecord v = k.versions().get(i);
      if (v.state().allowsUnprotect() && DecryptionFloor.allows(k, v, now)) {
        out.add(KeyRef.of(k.name(), v.version()));
      }
    }
    return out;
  }

  /** @return the refusal when no version of {@code k} can decrypt: names the primary, or the newest */
  static KeyUsageException noneDecrypts(KeyRecord k) {
    VersionRecord p = k.primaryRecord() != null ? k.primaryRecord() : k.versions().get(k.versions().size() - 1);
    return refusal(KeyRef.of(k.name(), p.version()), p.state(), "decrypt, unwrap or verify");
  }

  /**
   * Decides whether {@code ref} (a name: its primary) may be exported.
   *
   * @return the version
   * @throws KeyUsageException if there is no primary, it was not created exportable, or its state refuses
   * @throws UnknownKeyException if the version does not exist
   */
  static VersionRecord export(KeyRecord k, KeyRef ref) {
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
    return v;
  }

  /** @return the audit event of an export, logged before the material leaves (never with it) */
  static Lifecycle.Event exported(KeyRef vref, VersionRecord v) {
    return new Lifecycle.Event("export", vref.toString(), Map.of("state", v.state().name(), "algorithm", v.algorithm().name()));
  }
}
