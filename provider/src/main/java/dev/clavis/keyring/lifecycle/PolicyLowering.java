package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which changes of a key's policy loosen it, and so need the store's quorum when it has one:
 * deletion protection turned off, the decryption floor lowered, a decrypt window widened or
 * removed, a shorter deletion window, fewer versions kept (older ones get scheduled for
 * destruction), a higher or no usage limit, a longer or no lifetime or rotation period, and
 * letting the unauthenticated legacy modes (CBC, CTR) encrypt.
 */
final class PolicyLowering {

  private PolicyLowering() {}

  /** @return the names of the fields {@code next} loosens, empty if none */
  static List<String> lowered(KeyPolicy old, KeyPolicy next) {
    List<String> out = new ArrayList<>();
    if (old.deletionProtection() && !next.deletionProtection()) {
      out.add("deletionProtection");
    }
    if (next.minDecryptionVersion() < old.minDecryptionVersion()) {
      out.add("minDecryptionVersion");
    }
    if (longer(old.decryptWindow(), next.decryptWindow())) {
      out.add("decryptWindow");
    }
    if (next.deletionWindow().compareTo(old.deletionWindow()) < 0) {
      out.add("deletionWindow");
    }
    if (next.keepVersions() != 0 && (old.keepVersions() == 0 || next.keepVersions() < old.keepVersions())) {
      out.add("keepVersions");
    }
    long oldLimit = old.usageLimit().isPresent() ? old.usageLimit().getAsLong() : Long.MAX_VALUE;
    long newLimit = next.usageLimit().isPresent() ? next.usageLimit().getAsLong() : Long.MAX_VALUE;
    if (newLimit > oldLimit) {
      out.add("usageLimit");
    }
    if (longer(old.versionLifetime(), next.versionLifetime())) {
      out.add("versionLifetime");
    }
    if (longer(old.rotationPeriod(), next.rotationPeriod())) {
      out.add("rotationPeriod");
    }
    if (!old.legacyEncryption() && next.legacyEncryption()) {
      out.add("legacyEncryption");
    }
    return out;
  }

  /** An absent bound is the longest. */
  private static boolean longer(Optional<Duration> old, Optional<Duration> next) {
    if (old.isEmpty()) {
      return false;
    }
    return next.isEmpty() || next.get().compareTo(old.get()) > 0;
  }
}
