package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.lifecycle.KeyTransitions.Op;
import java.time.Duration;
import java.util.Map;

/**
 * The checks before anything is destroyed: deletion protection (never overridden: turn it off
 * first, which is audited), the store's minimum deletion window (a shorter one only when forced)
 * and, for an immediate destruction, versions that may still encrypt (only when forced). A
 * refusal throws before the transaction stages anything, so nothing changes.
 */
final class DeletionGuard {

  private DeletionGuard() {}

  /**
   * @throws IllegalStateException if the key has deletion protection on
   * @throws IllegalArgumentException if the window is below the store's minimum and not forced
   */
  static void checkSchedule(KeyRecord k, KeyRef ref, Duration after, StoreSettings store, boolean force) {
    checkProtection(k, ref);
    Duration window = after != null ? after : k.policy().deletionWindow();
    Duration min = store.minimumDeletionWindow();
    if (window.compareTo(min) < 0 && !force) {
      throw new IllegalArgumentException("cannot schedule the destruction of " + ref + " after " + text(window)
          + ": it is below this store's minimum deletion window of " + text(min) + "; use at least " + text(min)
          + " (e.g. 'destroy " + ref + " --after " + text(min) + "'), or force it ('--force')");
    }
  }

  /**
   * @throws IllegalStateException if the key has deletion protection on, or (unless forced) a
   *     targeted version may still encrypt
   * @throws UnknownKeyException if the version does not exist
   */
  static void checkDestroyNow(KeyRecord k, KeyRef ref, boolean force) {
    checkProtection(k, ref);
    if (force) {
      return;
    }
    for (VersionRecord v : k.versions()) {
      boolean target = ref.version().isPresent() ? v.version() == ref.version().getAsInt()
          : KeyTransitions.allowed(Op.DESTROY, v.state());
      if (target && v.state().allowsProtect()) {
        KeyRef vr = KeyRef.of(k.name(), v.version());
        throw new IllegalStateException("cannot destroy " + vr + " now: it is " + v.state()
            + " and may still encrypt, so data it encrypts from now on would be lost; rotate or revoke it first,"
            + " schedule the destruction with the deletion window, or force it ('destroy " + ref + " --now --force')");
      }
    }
    if (ref.version().isPresent() && k.version(ref.version().getAsInt()) == null) {
      throw new UnknownKeyException(ref);
    }
  }

  /**
   * A key's own deletion window must not undercut the store's minimum.
   *
   * @throws IllegalArgumentException if it does
   */
  static void checkPolicyWindow(String name, KeyPolicy p, StoreSettings store) {
    Duration min = store.minimumDeletionWindow();
    if (p.deletionWindow().compareTo(min) < 0) {
      throw new IllegalArgumentException("key " + name + ": a deletion window of " + text(p.deletionWindow())
          + " is below this store's minimum deletion window of " + text(min) + "; use at least " + text(min)
          + " (the store's minimum is changed with 'clavis store-policy --min-deletion-window D')");
    }
  }

  /** @return the audit event of a forced window below the store's minimum, or null when none was needed */
  static Lifecycle.Event forcedSchedule(KeyRecord k, KeyRef ref, Duration after, StoreSettings store) {
    Duration window = after != null ? after : k.policy().deletionWindow();
    if (window.compareTo(store.minimumDeletionWindow()) >= 0) {
      return null;
    }
    return new Lifecycle.Event("force", ref.toString(), Map.of("operation", "schedule-destroy", "window",
        window.toString(), "minimumDeletionWindow", store.minimumDeletionWindow().toString()));
  }

  /** @return the audit event of a forced destruction of versions that may still encrypt, or null when none was */
  static Lifecycle.Event forcedDestroy(KeyRecord k, KeyRef ref) {
    try {
      checkDestroyNow(k, ref, false);
      return null;
    } catch (IllegalStateException e) {
      return new Lifecycle.Event("force", ref.toString(), Map.of("operation", "destroy-now",
          "reason", "a version may still encrypt"));
    }
  }

  /** @return a duration as operators write it: {@code 7d}, {@code 12h}, {@code 30m}, {@code 1s}, or ISO-8601 */
  static String text(Duration d) {
    long s = d.getSeconds();
    if (d.getNano() != 0 || s == 0) {
      return s == 0 && d.getNano() == 0 ? "0s" : d.toString();
    }
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }

  private static void checkProtection(KeyRecord k, KeyRef ref) {
    if (k.policy().deletionProtection()) {
      throw new IllegalStateException("cannot destroy " + ref + ": key " + k.name()
          + " has deletion protection on; turn it off first with 'clavis policy " + k.name()
          + " --deletion-protection off'");
    }
  }
}
