package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;

/**
 * What a lifecycle operation writes into a version's note (its {@code reason}), and the advice a
 * refused operation on a destroyed or doomed key gives: each message names what actually works.
 */
final class LifecycleNotes {

  private LifecycleNotes() {}

  /**
   * The version after {@code op} moved it to {@code to}. Scheduling and cancelling a destruction
   * keep the version's own note (the schedule shows as its destruction time, and both are in the
   * audit log), so a cancelled destruction leaves each version as it was; a resume replaces the
   * suspension's note, which no longer holds.
   */
  static VersionRecord record(Op op, VersionRecord v, KeyState to, String reason) {
    return switch (op) {
      case SCHEDULE_DESTRUCTION, CANCEL_DESTRUCTION -> v.withState(to, null);
      case RESUME -> v.withState(to, reason != null ? reason : "resumed");
      default -> v.withState(to, reason);
    };
  }

  /** @return whether the key was destroyed as a whole: deleted, every version destroyed (only its tombstone is left) */
  static boolean destroyed(KeyRecord k) {
    if (!k.deleted()) {
      return false;
    }
    for (VersionRecord v : k.versions()) {
      if (v.state() != KeyState.DESTROYED) {
        return false;
      }
    }
    return true;
  }

  private static boolean pending(KeyRecord k) {
    for (VersionRecord v : k.versions()) {
      if (v.state() == KeyState.PENDING_DESTRUCTION) {
        return true;
      }
    }
    return false;
  }

  /**
   * A destroyed key keeps its name as a tombstone. Only an import (material the caller supplies,
   * as the KeyStore's {@code setEntry} after {@code deleteEntry} does) adds a version under it.
   */
  private static String tombstone(String name) {
    return "key " + name + " was destroyed: create and rotate do not reuse a destroyed name; reuse it explicitly"
        + " with 'create " + name + " --replace' (a new key after the destroyed versions), or choose another name"
        + " (only 'import " + name + " --key-file FILE' adds a version under it, with material you supply)";
  }

  /** Why {@code create} refuses an existing name, and what to do instead. */
  static String whyNotCreate(KeyRecord k) {
    if (destroyed(k)) {
      return tombstone(k.name());
    }
    if (k.deleted() && pending(k)) {
      return "key " + k.name() + " exists and is scheduled for destruction; keep it with 'cancel-destroy "
          + k.name() + "' (then rotate it for a new version), or choose another name";
    }
    return "key " + k.name() + " already exists; rotate it for a new version, or choose another name";
  }

  /** Why a rotation of a key scheduled for destruction or destroyed is refused. */
  static String whyNotRotate(KeyRecord k) {
    if (destroyed(k)) {
      return "cannot rotate: " + tombstone(k.name());
    }
    return "cannot rotate key " + k.name() + ": it is scheduled for destruction; cancel the destruction first"
        + " ('cancel-destroy " + k.name() + "')";
  }

  /** Why {@code cancel-destroy} found nothing to cancel. */
  static String whyNothingToCancel(KeyRecord k) {
    if (destroyed(k)) {
      return "cannot cancel-destroy key " + k.name() + ": it was destroyed already, which cannot be undone; "
          + tombstone(k.name());
    }
    return "cannot cancel-destroy key " + k.name() + ": no version is PENDING_DESTRUCTION";
  }
}
