package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyUsageException;
import java.time.Duration;
import java.time.Instant;

/**
 * The retention rules that stop old versions decrypting without a state change: the key's
 * minimum decryption version, and its decrypt window (a version deactivated longer ago than the
 * window no longer decrypts). Both are read at each check, so they follow automatic rotation
 * without a scheduled job, and lowering the floor or widening the window brings a version back.
 */
final class DecryptionFloor {

  private DecryptionFloor() {}

  /** @return why {@code v} may not decrypt at {@code now} under the key's retention, or null if it may */
  static String why(KeyRecord k, VersionRecord v, Instant now) {
    int floor = k.policy().minDecryptionVersion();
    if (floor > v.version()) {
      return "is below the minimum decryption version " + floor + " of key " + k.name()
          + " (lower it with 'clavis policy " + k.name() + " --min-decryption-version " + v.version() + "')";
    }
    Duration window = k.policy().decryptWindow().orElse(null);
    if (window != null && v.deactivated() != null && !v.state().allowsProtect()
        && !now.isBefore(v.deactivated().plus(window))) {
      return "was deactivated at " + v.deactivated() + ", longer ago than the decrypt window of key " + k.name()
          + " (" + window + ")";
    }
    return null;
  }

  /** @return whether {@code v} passes the retention rules at {@code now} */
  static boolean allows(KeyRecord k, VersionRecord v, Instant now) {
    return why(k, v, now) == null;
  }

  /**
   * @throws KeyUsageException naming key, version and state if the retention rules refuse {@code v}
   */
  static void check(KeyRecord k, VersionRecord v, Instant now) {
    String why = why(k, v, now);
    if (why != null) {
      KeyRef ref = KeyRef.of(k.name(), v.version());
      throw new KeyUsageException(ref, v.state(), "key " + ref + " is " + v.state() + " but " + why
          + ": it may not decrypt, unwrap or verify");
    }
  }
}
