package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.UnknownKeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that govern a live key or the store: {@code policy} (change a key's policy),
 * {@code label} (its purpose, description and tags) and {@code store-policy} (the store's minimum
 * deletion window). Each change is audited by the keyring with its old and new values; each
 * prints what changed, or with {@code --json} the new values and the changes.
 */
final class PolicyCommands {

  private PolicyCommands() {}

  /**
   * Reads {@code on} or {@code off}.
   *
   * @throws CliException a usage error for anything else
   */
  static boolean onOff(String option, String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "on" -> true;
      case "off" -> false;
      default -> throw CliException.usage(option + " takes on or off, got '" + text + "'");
    };
  }

  /** {@code policy NAME [--rotation-period D|none] ...}: nothing given prints the current policy. */
  @Command(name = "policy", description = {"change the policy of an existing key (audited with old and new values);"
      + " without options print it"})
  static final class Policy extends CliCommand {
    @Parameters(paramLabel = "NAME", description = {"the key"})
    String name;

    @Option(names = "--rotation-period", paramLabel = "DURATION|none", order = 1,
        description = {"rotate the primary once it is this old, e.g. 90d; none for never"})
    String rotationPeriod;

    @Option(names = "--usage-limit", paramLabel = "N", order = 2,
        description = {"at most N uses per version (0 for none); applies to the primary at once"})
    Long usageLimit;

    @Option(names = "--lifetime", paramLabel = "DURATION|none", order = 3,
        description = {"versions stop encrypting this long after activation; none for never"})
    String lifetime;

    @Option(names = "--deletion-window", paramLabel = "DURATION", converter = Durations.Converter.class, order = 4,
        description = {"how long a scheduled destruction stays cancellable (at least the store's minimum)"})
    Duration deletionWindow;

    @Option(names = "--min-decryption-version", paramLabel = "N", order = 5,
        description = {"versions below N stop decrypting (0 for no floor); raising it needs --force"})
    Integer minDecryptionVersion;

    @Option(names = "--keep-versions", paramLabel = "N", order = 6,
        description = {"keep the newest N versions that decrypt, schedule the destruction of older ones (0 keeps all)"})
    Integer keepVersions;

    @Option(names = "--decrypt-window", paramLabel = "DURATION|none", order = 7,
        description = {"versions deactivated longer ago than this stop decrypting, e.g. 90d; none for no limit"})
    String decryptWindow;

    @Option(names = "--deletion-protection", paramLabel = "on|off", order = 8,
        description = {"on: destroy is refused until it is turned off"})
    String deletionProtection;

    @Option(names = "--exportable", paramLabel = "off", order = 9,
        description = {"off: the material no longer leaves Clavis (it cannot be turned on again)"})
    String exportable;

    @Option(names = "--auto-rotate", paramLabel = "on|off", order = 10,
        description = {"off: a due primary refuses to encrypt instead of rotating"})
    String autoRotate;

    @Option(names = "--force", order = 11, description = {"allow raising the minimum decryption version"})
    boolean force;

    @Override
    int run(Context ctx) {
      String n = LifecycleCommands.name(name);
      Keyring k = ctx.keyring();
      KeyInfo before = k.find(n).orElseThrow(() -> new UnknownKeyException(KeyRef.of(n)));
      KeyPolicy next = next(before.policy());
      KeyInfo after = next.equals(before.policy()) ? before : k.updatePolicy(n, next, force);
      Map<String, Object> changes = changes(KeyView.json(before.policy()), KeyView.json(after.policy()));
      if (ctx.json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n);
        m.put("policy", KeyView.json(after.policy()));
        m.put("changed", changes);
        ctx.out().println(Json.write(m));
      } else if (changes.isEmpty()) {
        ctx.out().println("policy of " + n + " (unchanged): " + KeyView.policyText(after.policy()));
      } else {
        for (Map.Entry<String, Object> e : changes.entrySet()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> c = (Map<String, Object>) e.getValue();
          ctx.out().println("policy of " + n + ": " + e.getKey() + " " + c.get("old") + " -> " + c.get("new"));
        }
      }
      return 0;
    }

    private KeyPolicy next(KeyPolicy p) {
      KeyPolicy.Builder b = p.toBuilder();
      try {
        if (rotationPeriod != null) {
          b.rotationPeriod(optional("--rotation-period", rotationPeriod));
        }
        if (usageLimit != null) {
          b.usageLimit(usageLimit);
        }
        if (lifetime != null) {
          b.versionLifetime(optional("--lifetime", lifetime));
        }
        if (deletionWindow != null) {
          b.deletionWindow(deletionWindow);
        }
        if (minDecryptionVersion != null) {
          b.minDecryptionVersion(minDecryptionVersion);
        }
        if (keepVersions != null) {
          b.keepVersions(keepVersions);
        }
        if (decryptWindow != null) {
          b.decryptWindow(optional("--decrypt-window", decryptWindow));
        }
        if (deletionProtection != null) {
          b.deletionProtection(onOff("--deletion-protection", deletionProtection));
        }
        if (exportable != null) {
          b.exportable(onOff("--exportable", exportable));
        }
        if (autoRotate != null) {
          b.autoRotate(onOff("--auto-rotate", autoRotate));
        }
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      return b.build();
    }

    private static Duration optional(String option, String text) {
      return "none".equalsIgnoreCase(text.trim()) ? null : Durations.parse(option, text);
    }
  }

  /** @return {@code field -> {old, new}} for every field whose JSON value differs */
  static Map<String, Object> changes(Map<String, Object> old, Map<String, Object> next) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : next.entrySet()) {
      Object was = old.get(e.getKey());
      if (!Objects.equals(was, e.getValue())) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("old", was);
        c.put("new", e.getValue());
        out.put(e.getKey(), c);
      }
    }
    return out;
  }

  /** {@code label NAME [--purpose T] [--description T] [--tag K=V]... [--untag K]...}. */
  @Command(name = "label", description = {"set a key's purpose, description and tags (audited)"})
  static final class Label extends CliCommand {
    @Parameters(paramLabel = "NAME", description = {"the key"})
    String name;

    @Option(names = "--purpose", paramLabel = "TEXT", order = 1, description = {"what the key is for"})
    String purpose;

    @Option(names = "--description", paramLabel = "TEXT", order = 2, description = {"free text about the key"})
    String description;

    @Option(names = "--tag", paramLabel = "K=V", order = 3, description = {"set a tag (repeatable)"})
    List<String> tags = new ArrayList<>();

    @Option(names = "--untag", paramLabel = "K", order = 4, description = {"remove a tag (repeatable)"})
    List<String> untags = new ArrayList<>();

    @Option(names = "--clear-purpose", order = 5, description = {"remove the purpose"})
    boolean clearPurpose;

    @Option(names = "--clear-description", order = 6, description = {"remove the description"})
    boolean clearDescription;

    @Override
    int run(Context ctx) {
      String n = LifecycleCommands.name(name);
      Keyring k = ctx.keyring();
      KeyInfo before = k.find(n).orElseThrow(() -> new UnknownKeyException(KeyRef.of(n)));
      KeyMetadata.Builder b = before.metadata().toBuilder();
      try {
        if (clearPurpose) {
          b.purpose(null);
        }
        if (clearDescription) {
          b.description(null);
        }
        if (purpose != null) {
          b.purpose(purpose);
        }
        if (description != null) {
          b.description(description);
        }
        untags.forEach(b::removeTag);
        applyTags(b, tags);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      KeyInfo after = k.updateMetadata(n, b.build());
      Map<String, Object> changes = changes(KeyView.metadata(before.metadata()), KeyView.metadata(after.metadata()));
      if (ctx.json()) {
        Map<String, Object> m = new LinkedHashMap<>(KeyView.metadata(after.metadata()));
        m.put("name", n);
        m.put("changed", changes);
        ctx.out().println(Json.write(m));
      } else if (changes.isEmpty()) {
        ctx.out().println("labels of " + n + " unchanged");
      } else {
        changes.forEach((f, c) -> ctx.out().println("labels of " + n + ": " + f + " " + ((Map<?, ?>) c).get("old")
            + " -> " + ((Map<?, ?>) c).get("new")));
      }
      return 0;
    }
  }

  /**
   * Applies {@code K=V} tags.
   *
   * @throws CliException a usage error for a tag without '='
   * @throws IllegalArgumentException for a malformed key or value
   */
  static void applyTags(KeyMetadata.Builder b, List<String> tags) {
    for (String t : tags) {
      int eq = t.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("--tag takes K=V, e.g. --tag team=payments, got '" + t + "'");
      }
      b.tag(t.substring(0, eq), t.substring(eq + 1));
    }
  }

  /** {@code store-policy [--min-deletion-window D] [--force]}. */
  @Command(name = "store-policy", description = {"show or set the store's minimum deletion window (audited;"
      + " lowering it needs --force)"})
  static final class StorePolicy extends CliCommand {
    @Option(names = "--min-deletion-window", paramLabel = "DURATION", converter = Durations.Converter.class, order = 1,
        description = {"destructions sooner than this, and key policies with a shorter window, are refused (default 7d)"})
    Duration minDeletionWindow;

    @Option(names = "--force", order = 2, description = {"allow lowering the minimum, or turning the store-wide"
        + " decryption audit off on a store without quorum"})
    boolean force;

    @Option(names = "--require-quorum", paramLabel = "M", order = 3,
        description = {"dual control: destroy, export, compromised decrypt/rewrap and loosening a policy need M"
            + " custodians' approvals (with --custodians; changing an existing quorum needs its approval)"})
    Integer requireQuorum;

    @Option(names = "--custodians", paramLabel = "P1,P2,...", order = 4,
        description = {"the custodians' public key files (custodian-key --public-out), N of them"})
    String custodians;

    @Option(names = "--no-quorum", order = 5, description = {"remove the quorum (needs its approval)"})
    boolean noQuorum;

    @Option(names = "--store-audit-decrypts", paramLabel = "on|off", order = 6,
        description = {"record every decryption of every process that opens this store (off needs --force, or the"
            + " quorum's approval)"})
    String storeAuditDecrypts;

    @Override
    int run(Context ctx) {
      dev.clavis.keyring.CustodianQuorum quorum = quorumOption();
      Boolean audit = storeAuditDecrypts == null ? null : onOff("--store-audit-decrypts", storeAuditDecrypts);
      Keyring k = ctx.keyring();
      Duration old = k.minimumDeletionWindow();
      if (minDeletionWindow != null) {
        k.setMinimumDeletionWindow(minDeletionWindow, force);
      }
      if (quorum != null || noQuorum) {
        k.setQuorum(quorum);
      }
      if (audit != null) {
        k.setStoreAuditDecrypts(audit, force);
      }
      Duration now = k.minimumDeletionWindow();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("minimumDeletionWindow", Durations.format(now));
      m.put("previous", Durations.format(old));
      var q = k.quorum();
      m.put("quorum", q.map(x -> (Object) Map.of("threshold", x.threshold(), "custodians", x.custodianIds()))
          .orElse(null));
      m.put("auditDecrypts", k.storeAuditsDecrypts());
      ctx.result((old.equals(now) ? "minimum deletion window " + Durations.format(now)
          : "minimum deletion window " + Durations.format(old) + " -> " + Durations.format(now))
          + "\nquorum " + q.map(x -> x.threshold() + " of " + x.custodianIds().size() + " " + x.custodianIds())
              .orElse("none")
          + "\naudit every decryption " + (k.storeAuditsDecrypts() ? "on" : "off"), m);
      return 0;
    }

    private dev.clavis.keyring.CustodianQuorum quorumOption() {
      if (noQuorum && (requireQuorum != null || custodians != null)) {
        throw CliException.usage("--no-quorum cannot be combined with --require-quorum or --custodians");
      }
      if (requireQuorum == null && custodians == null) {
        return null;
      }
      if (requireQuorum == null || custodians == null) {
        throw CliException.usage("--require-quorum M and --custodians P1,P2,... go together");
      }
      try {
        return dev.clavis.keyring.CustodianQuorum.of(requireQuorum, QuorumCommands.custodians(custodians));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--require-quorum " + requireQuorum + ": " + e.getMessage());
      }
    }

    private static boolean onOff(String option, String v) {
      if (v.equals("on")) {
        return true;
      }
      if (v.equals("off")) {
        return false;
      }
      throw CliException.usage(option + " takes on or off, got '" + v + "'");
    }
  }
}
