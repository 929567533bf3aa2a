package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Changes a live key's policy or metadata, pure like {@link Lifecycle}: checks the change, applies
 * it to the versions it concerns, and writes one audit event with the old and new value of every
 * field that changed ({@code old.F}, {@code new.F}). Rules: exportability only goes off (material
 * that may have left cannot be called back, and a non-exportable key must stay so); the deletion
 * window stays at or above the store's minimum; the decryption floor stays at or below the
 * primary, and raising it (which stops older versions decrypting) must be forced. A refusal
 * throws, so nothing is committed.
 */
final class PolicyChange {

  private PolicyChange() {}

  /**
   * @return the change, or null when {@code next} equals the current policy
   * @throws IllegalStateException if the key was destroyed, or the floor is raised without {@code force}
   * @throws IllegalArgumentException for exportability turned on, a window below the store's
   *     minimum, or a floor above the primary
   */
  static Lifecycle.Result update(KeyRecord k, KeyPolicy next, boolean force, StoreSettings store, Instant now) {
    KeyPolicy old = k.policy();
    if (old.equals(next)) {
      return null;
    }
    requireLive(k, "change the policy of");
    if (next.exportable() && !old.exportable()) {
      throw new IllegalArgumentException("key " + k.name() + " is not exportable: exportability can only be turned"
          + " off on a live key (create an exportable key instead)");
    }
    if (!next.deletionWindow().equals(old.deletionWindow())) {
      DeletionGuard.checkPolicyWindow(k.name(), next, store);
    }
    int top = k.primary() != 0 ? k.primary() : k.versions().size();
    if (next.minDecryptionVersion() > top) {
      throw new IllegalArgumentException("key " + k.name() + ": a minimum decryption version of "
          + next.minDecryptionVersion() + " is above its " + (k.primary() != 0 ? "primary #" : "newest version #")
          + top + ", which must keep decrypting what it encrypts");
    }
    if (next.minDecryptionVersion() > old.minDecryptionVersion() && !force) {
      throw new IllegalStateException("raising the minimum decryption version of key " + k.name() + " from "
          + old.minDecryptionVersion() + " to " + next.minDecryptionVersion() + " stops versions below #"
          + next.minDecryptionVersion() + " decrypting data they protect; force it ('--force') if no such data is left");
    }
    KeyRecord rec = k.withPolicy(next);
    for (VersionRecord v : k.versions()) {
      VersionRecord.Builder b = v.toBuilder();
      if (!next.exportable()) {
        b.exportable(false);
      }
      // limits and lifetime concern the versions that may (still or soon) encrypt
      if (v.state().allowsProtect() || v.state() == KeyState.PRE_ACTIVE) {
        b.usageLimit(next.usageLimit().orElse(0));
        b.expires(v.activated() == null ? null : next.versionLifetime().map(v.activated()::plus).orElse(null));
      }
      rec = rec.withVersion(b.build());
    }
    Map<String, String> details = diff(fields(old), fields(next));
    if (force && next.minDecryptionVersion() > old.minDecryptionVersion()) {
      details.put("forced", "true");
    }
    return new Lifecycle.Result(rec, List.of(new Lifecycle.Event("policy", k.name(), details)), List.of());
  }

  /**
   * @return the change (the creation source is kept: it records history), or null when nothing changes
   * @throws IllegalStateException if the key was destroyed
   */
  static Lifecycle.Result label(KeyRecord k, KeyMetadata next, Instant now) {
    // the source and an HD key's derivation are the keyring's, never the caller's
    KeyMetadata m = next.toBuilder().source(k.metadata().source().orElse(null))
        .derivation(k.metadata().derivation().orElse(null)).build();
    if (m.equals(k.metadata())) {
      return null;
    }
    requireLive(k, "label");
    Map<String, String> details = diff(fields(k.metadata()), fields(m));
    return new Lifecycle.Result(k.withMetadata(m), List.of(new Lifecycle.Event("metadata", k.name(), details)),
        List.of());
  }

  private static void requireLive(KeyRecord k, String what) {
    if (LifecycleNotes.destroyed(k)) {
      throw new IllegalStateException("cannot " + what + " key " + k.name() + ": it was destroyed; "
          + "its name is reused only by 'create " + k.name() + " --replace'");
    }
  }

  /** @return every policy field as the audit log writes it, in a fixed order */
  static Map<String, String> fields(KeyPolicy p) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("rotationPeriod", p.rotationPeriod().map(Duration::toString).orElse("none"));
    m.put("usageLimit", p.usageLimit().isPresent() ? Long.toString(p.usageLimit().getAsLong()) : "none");
    m.put("versionLifetime", p.versionLifetime().map(Duration::toString).orElse("none"));
    m.put("deletionWindow", p.deletionWindow().toString());
    m.put("exportable", Boolean.toString(p.exportable()));
    m.put("autoRotate", Boolean.toString(p.autoRotate()));
    m.put("minDecryptionVersion", Integer.toString(p.minDecryptionVersion()));
    m.put("keepVersions", Integer.toString(p.keepVersions()));
    m.put("decryptWindow", p.decryptWindow().map(Duration::toString).orElse("none"));
    m.put("deletionProtection", Boolean.toString(p.deletionProtection()));
    m.put("legacyEncryption", Boolean.toString(p.legacyEncryption()));
    return m;
  }

  private static Map<String, String> fields(KeyMetadata md) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("purpose", md.purpose().orElse(""));
    m.put("description", md.description().orElse(""));
    m.put("tags", md.tags().toString());
    return m;
  }

  private static Map<String, String> diff(Map<String, String> old, Map<String, String> next) {
    Map<String, String> d = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : old.entrySet()) {
      String n = next.get(e.getKey());
      if (!Objects.equals(e.getValue(), n)) {
        d.put("old." + e.getKey(), e.getValue());
        d.put("new." + e.getKey(), n);
      }
    }
    return d;
  }
}
