package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Renders keys and their versions as text tables or as JSON objects. Metadata only, never material. */
final class KeyView {

  private KeyView() {}

  /** @return the JSON object of a key: name, algorithm, primary, policy and versions */
  static Map<String, Object> json(KeyInfo k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", k.name());
    m.put("algorithm", k.algorithm().name());
    m.put("primary", k.primary().map(KeyVersionInfo::version).orElse(null));
    m.put("purpose", k.metadata().purpose().orElse(null));
    m.put("description", k.metadata().description().orElse(null));
    m.put("tags", new LinkedHashMap<>(k.metadata().tags()));
    m.put("source", k.metadata().source().orElse(null));
    m.put("policy", json(k.policy()));
    m.put("nextRotation", time(k.nextRotation()));
    m.put("pendingDestruction", time(pendingDestruction(k)));
    List<Object> versions = new ArrayList<>();
    for (KeyVersionInfo v : k.versions()) {
      versions.add(json(v));
    }
    m.put("versions", versions);
    return m;
  }

  /** @return the JSON object of a policy */
  static Map<String, Object> json(KeyPolicy p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rotationPeriod", p.rotationPeriod().map(Durations::format).orElse(null));
    m.put("usageLimit", p.usageLimit().isPresent() ? p.usageLimit().getAsLong() : null);
    m.put("versionLifetime", p.versionLifetime().map(Durations::format).orElse(null));
    m.put("deletionWindow", Durations.format(p.deletionWindow()));
    m.put("exportable", p.exportable());
    m.put("autoRotate", p.autoRotate());
    m.put("minDecryptionVersion", p.minDecryptionVersion() == 0 ? null : p.minDecryptionVersion());
    m.put("keepVersions", p.keepVersions() == 0 ? null : p.keepVersions());
    m.put("decryptWindow", p.decryptWindow().map(Durations::format).orElse(null));
    m.put("deletionProtection", p.deletionProtection());
    m.put("legacyEncryption", p.legacyEncryption());
    return m;
  }

  /** @return the JSON object of a key's labels: purpose, description, tags */
  static Map<String, Object> metadata(KeyMetadata md) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("purpose", md.purpose().orElse(null));
    m.put("description", md.description().orElse(null));
    m.put("tags", new LinkedHashMap<>(md.tags()));
    return m;
  }

  /** @return the earliest scheduled destruction of a version of {@code k}, if one is pending */
  static Optional<Instant> pendingDestruction(KeyInfo k) {
    return k.versions().stream().filter(v -> v.state() == KeyState.PENDING_DESTRUCTION)
        .flatMap(v -> v.destroyAt().stream()).min(Instant::compareTo);
  }

  /**
   * @return the state of a whole key: DESTROYED (every version), PENDING_DESTRUCTION (listed by
   *     {@code list --all} only: scheduled as a whole), else LIVE
   */
  static String keyState(KeyInfo k, boolean listed) {
    if (k.versions().stream().allMatch(v -> v.state() == KeyState.DESTROYED)) {
      return "DESTROYED";
    }
    return listed ? "LIVE" : "PENDING_DESTRUCTION";
  }

  /** @return the JSON object of a version */
  static Map<String, Object> json(KeyVersionInfo v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("state", v.state().name());
    m.put("algorithm", v.algorithm().name());
    m.put("origin", v.origin().name());
    m.put("exportable", v.exportable());
    m.put("created", v.created().toString());
    m.put("activated", time(v.activated()));
    m.put("deactivated", time(v.deactivated()));
    m.put("expires", time(v.expires()));
    m.put("destroyAt", time(v.destroyAt()));
    // usageCount keeps its meaning (counted against the limit, never below the truth) = uses + reserved
    m.put("usageCount", v.usageCount());
    m.put("uses", v.uses());
    m.put("reserved", v.reserved());
    m.put("usageLimit", v.usageLimit() == 0 ? null : v.usageLimit());
    m.put("reason", v.reason().orElse(null));
    return m;
  }

  private static String time(Optional<Instant> t) {
    return t.map(Instant::toString).orElse(null);
  }

  /**
   * Prints one line per key: name, algorithm, primary version, number of versions, policy, and a
   * mark for a key with a version pending destruction (the date) or, from {@code list --all}, one
   * that is not live.
   */
  static void table(PrintStream out, List<KeyInfo> keys, java.util.Set<String> listed) {
    if (keys.isEmpty()) {
      out.println("(no keys; create one with 'clavis create NAME')");
      return;
    }
    int w = 4;
    for (KeyInfo k : keys) {
      w = Math.max(w, k.name().length());
    }
    out.printf("%-" + w + "s  %-11s  %-8s  %-8s  %s%n", "NAME", "ALGORITHM", "PRIMARY", "VERSIONS", "POLICY");
    for (KeyInfo k : keys) {
      String state = keyState(k, listed.contains(k.name()));
      String mark = state.equals("DESTROYED") ? "  [DESTROYED]"
          : pendingDestruction(k).map(t -> "  [" + (state.equals("LIVE") ? "pending destruction " : "PENDING_DESTRUCTION ")
              + "at " + seconds(t) + "]").orElse("");
      out.printf("%-" + w + "s  %-11s  %-8s  %-8d  %s%s%n", k.name(), k.algorithm(),
          k.primary().map(v -> "#" + v.version()).orElse("none"), k.versions().size(), policyText(k.policy()), mark);
    }
  }

  /** Prints a key and a line per version. */
  static void details(PrintStream out, KeyInfo k) {
    out.println("key        " + k.name());
    out.println("algorithm  " + k.algorithm());
    out.println("primary    " + k.primary().map(v -> k.name() + "#" + v.version()).orElse("none (no version encrypts)"));
    out.println("policy     " + policyText(k.policy()));
    k.nextRotation().ifPresent(t -> out.println("next rotation " + seconds(t)));
    k.metadata().purpose().ifPresent(t -> out.println("purpose    " + t));
    k.metadata().description().ifPresent(t -> out.println("description " + t));
    if (!k.metadata().tags().isEmpty()) {
      out.println("tags       " + k.metadata().tags());
    }
    out.printf("%-8s %-19s %-9s %-10s %-9s %-20s %-20s %s%n", "VERSION", "STATE", "ORIGIN", "USES", "RESERVED",
        "CREATED", "EXPIRES", "NOTE");
    for (KeyVersionInfo v : k.versions()) {
      // USES is exact; RESERVED is counted against the limit too but not known to be used
      // (other live processes' blocks, or those of processes that crashed)
      String uses = v.uses() + (v.usageLimit() > 0 ? "/" + v.usageLimit() : "");
      StringBuilder note = new StringBuilder();
      v.destroyAt().ifPresent(t -> note.append("destroy at ").append(t).append(' '));
      v.reason().ifPresent(r -> note.append("reason: ").append(r));
      out.printf("%-8s %-19s %-9s %-10s %-9d %-20s %-20s %s%n", "#" + v.version(), v.state(), v.origin(), uses,
          v.reserved(), seconds(v.created()), v.expires().map(KeyView::seconds).orElse("-"), note.toString().trim());
    }
  }

  private static String seconds(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  static String policyText(KeyPolicy p) {
    List<String> parts = new ArrayList<>();
    p.rotationPeriod().ifPresent(d -> parts.add("rotate every " + Durations.format(d)));
    p.usageLimit().ifPresent(n -> parts.add("max " + n + " uses/version"));
    p.versionLifetime().ifPresent(d -> parts.add("versions live " + Durations.format(d)));
    parts.add("deletion window " + Durations.format(p.deletionWindow()));
    if (p.exportable()) {
      parts.add("exportable");
    }
    if (p.minDecryptionVersion() > 0) {
      parts.add("decrypts from #" + p.minDecryptionVersion());
    }
    if (p.keepVersions() > 0) {
      parts.add("keeps " + p.keepVersions() + " versions");
    }
    p.decryptWindow().ifPresent(d -> parts.add("decrypts " + Durations.format(d) + " after deactivation"));
    if (p.deletionProtection()) {
      parts.add("deletion protection");
    }
    return String.join(", ", parts);
  }
}
