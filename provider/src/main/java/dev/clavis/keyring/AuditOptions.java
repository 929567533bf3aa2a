package dev.clavis.keyring;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a keyring writes to its audit log beyond lifecycle changes: an immutable value, each
 * setter returning a new one (see {@code docs/audit.md}).
 *
 * <ul>
 *   <li>{@link #actor(String)}: the principal records name when the thread runs as none ({@link
 *       AuditActor}); default the operating-system user;
 *   <li>{@link #usagePeriod(Duration)}: uses (encryptions, decryptions, MACs, verifications) are
 *       counted in memory per key version and written as one {@code usage} record per version and
 *       period, with the next write of the keyring once the period has passed, when the usage
 *       ledger settles (close, normal exit) and on close: no durable write per operation. Default
 *       15 minutes; {@link Duration#ZERO} writes them with every write;
 *   <li>{@link #auditDecrypts(boolean)}: also one {@code decrypt} record per decryption, with its
 *       encryption context, written (durably) before the plaintext is returned: a durable write
 *       per decryption, for keys whose every read an auditor must see.
 * </ul>
 */
public final class AuditOptions {

  private static final AuditOptions DEFAULTS = new AuditOptions(null, Duration.ofMinutes(15), false);

  private final String actor;
  private final Duration usagePeriod;
  private final boolean auditDecrypts;

  private AuditOptions(String actor, Duration usagePeriod, boolean auditDecrypts) {
    this.actor = actor;
    this.usagePeriod = usagePeriod;
    this.auditDecrypts = auditDecrypts;
  }

  /** @return the defaults: the OS user, 15-minute usage periods, decryptions counted only */
  public static AuditOptions defaults() {
    return DEFAULTS;
  }

  /**
   * @param principal the actor of records written by no thread-scoped principal
   * @return these options with that actor
   * @throws IllegalArgumentException as {@link AuditActor#requireValid(String)}
   */
  public AuditOptions actor(String principal) {
    return new AuditOptions(AuditActor.requireValid(principal), usagePeriod, auditDecrypts);
  }

  /**
   * @param period how long uses are counted before their {@code usage} record is due
   * @return these options with that period
   * @throws IllegalArgumentException if the period is negative
   */
  public AuditOptions usagePeriod(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.isNegative()) {
      throw new IllegalArgumentException("a usage period cannot be negative, got " + period);
    }
    return new AuditOptions(actor, period, auditDecrypts);
  }

  /**
   * @param on whether every decryption gets its own audit record
   * @return these options with that choice
   */
  public AuditOptions auditDecrypts(boolean on) {
    return new AuditOptions(actor, usagePeriod, on);
  }

  /** @return the principal set with {@link #actor(String)}, if any */
  public Optional<String> actor() {
    return Optional.ofNullable(actor);
  }

  /** @return the actor a record gets now: the thread's principal, else this actor, else the OS user */
  public String actorNow() {
    Optional<String> t = AuditActor.current();
    if (t.isPresent()) {
      return t.get();
    }
    return actor != null ? actor : AuditActor.processUser();
  }

  /** @return the usage period */
  public Duration usagePeriod() {
    return usagePeriod;
  }

  /** @return whether every decryption gets its own record */
  public boolean auditsDecrypts() {
    return auditDecrypts;
  }

  @Override
  public String toString() {
    return "AuditOptions{actor=" + (actor == null ? "(OS user)" : actor) + ", usagePeriod=" + usagePeriod
        + (auditDecrypts ? ", every decryption" : "") + "}";
  }
}
