package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
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
    m.put("policy", json(k.policy()));
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
    m.put("legacyEncryption", p.legacyEncryption());
    return m;
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

  /** Prints one line per key: name, algorithm, primary version, number of versions, policy. */
  static void table(PrintStream out, List<KeyInfo> keys) {
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
      out.printf("%-" + w + "s  %-11s  %-8s  %-8d  %s%n", k.name(), k.algorithm(),
          k.primary().map(v -> "#" + v.version()).orElse("none"), k.versions().size(), policyText(k.policy()));
    }
  }

  /** Prints a key and a line per version. */
  static void details(PrintStream out, KeyInfo k) {
    out.println("key        " + k.name());
    out.println("algorithm  " + k.algorithm());
    out.println("primary    " + k.primary().map(v -> k.name() + "#" + v.version()).orElse("none (no version encrypts)"));
    out.println("policy     " + policyText(k.policy()));
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
    return String.join(", ", parts);
  }
}
