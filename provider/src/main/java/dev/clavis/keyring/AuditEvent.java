package dev.clavis.keyring;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One audit record: what happened to which key version, when, and why. */
public final class AuditEvent {

  private final long sequence;
  private final Instant time;
  private final String action;
  private final String key;
  private final Map<String, String> details;
  private final String actor;

  /**
   * One audit event.
   *
   * @param sequence its position in the log, from 1
   * @param time when it happened
   * @param action such as {@code create}, {@code rotate}, {@code auto-rotate}, {@code revoke}, {@code use}
   * @param key {@code name} or {@code name#version}
   * @param details more facts (from-state, to-state, reason, counts); never key material
   * @throws NullPointerException if time, action, key or details is null
   */
  public AuditEvent(long sequence, Instant time, String action, String key, Map<String, String> details) {
    this(sequence, time, action, key, details, "");
  }

  /**
   * One audit event with the actor it names.
   *
   * @param sequence its position in the log, from 1
   * @param time when it happened
   * @param action such as {@code create}, {@code usage}, {@code decrypt}
   * @param key {@code name} or {@code name#version}
   * @param details more facts; never key material
   * @param actor who acted ({@link AuditActor}); empty for records of format 1, which named none
   * @throws NullPointerException if an argument is null
   */
  public AuditEvent(long sequence, Instant time, String action, String key, Map<String, String> details,
      String actor) {
    this.actor = Objects.requireNonNull(actor);
    this.sequence = sequence;
    this.time = Objects.requireNonNull(time);
    this.action = Objects.requireNonNull(action);
    this.key = Objects.requireNonNull(key);
    this.details = Map.copyOf(details);
  }

  /** @return the event's position in the log, from 1 */
  public long sequence() { return sequence; }
  /** @return when it happened */
  public Instant time() { return time; }
  /** @return what happened, such as {@code rotate} */
  public String action() { return action; }
  /** @return the key or version it concerns, {@code -} for the keyring itself */
  public String key() { return key; }
  /** @return more facts; never key material */
  public Map<String, String> details() { return details; }
  /** @return who acted ({@link AuditActor}); empty for a record of format 1, written before actors were recorded */
  public String actor() { return actor; }

  @Override
  public String toString() {
    return sequence + " " + time + (actor.isEmpty() ? "" : " " + actor) + " " + action + " " + key + " " + details;
  }
}
