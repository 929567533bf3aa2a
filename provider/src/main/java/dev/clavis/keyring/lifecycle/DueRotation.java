package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyState;
import java.time.Instant;

/**
 * Which keys a scheduled {@code rotate --due} rotates: those whose ACTIVE primary is older than
 * the rotation period, or expired. The usage limit is not a due date: the next encryption finds
 * it. A key scheduled for destruction, or in a two-phase rotation, is left alone.
 */
final class DueRotation {

  private DueRotation() {}

  /** @return why the primary of {@code k} is due at {@code now}, or null when it is not */
  static String why(KeyRecord k, Instant now) {
    VersionRecord p = k.primaryRecord();
    if (k.deleted() || p == null || p.state() != KeyState.ACTIVE || Lifecycle.staged(k) != null) {
      return null;
    }
    if (p.expires() != null && !now.isBefore(p.expires())) {
      return "expired at " + p.expires();
    }
    if (k.policy().rotationPeriod().isPresent() && p.activated() != null
        && !now.isBefore(p.activated().plus(k.policy().rotationPeriod().get()))) {
      return "is older than its rotation period " + k.policy().rotationPeriod().get();
    }
    return null;
  }

  /** @return the rotation of a due key, audited as {@code rotate-due}, or null when it is not due */
  static Lifecycle.Result rotate(KeyRecord k, Instant now) {
    // a key pair's next version needs a certificate Clavis cannot issue: it is reported due (KeyInfo.nextRotation)
    String why = k.algorithm().isGenerated() ? why(k, now) : null;
    return why == null ? null
        : Lifecycle.rotate(k, null, "primary #" + k.primary() + " " + why, "rotate-due", now);
  }
}
