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

  @Override
  public String toString() {
    return sequence + " " + time + " " + action + " " + key + " " + details;
  }
}
