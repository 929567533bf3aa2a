package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands that move versions through the lifecycle: {@code rotate}, {@code suspend},
 * {@code resume}, {@code revoke}, {@code compromise}, {@code destroy}, {@code cancel-destroy}.
 * With {@code --json} each prints the versions it created or moved.
 */
final class LifecycleCommands {

  private LifecycleCommands() {}

  /**
   * {@code rotate NAME [--begin | --complete | --abort]} or {@code rotate --due}; for a key pair
   * {@code --begin --csr FILE [--subject DN]} and {@code --complete [--cert FILE]} ({@link KeyPairTwoPhase}).
   */
  @Command(name = "rotate", description = {"new primary version now, or in two phases (--begin stages it,"
      + " --complete switches, --abort drops it); --due rotates every key whose rotation period has passed"})
  static final class Rotate extends CliCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1", description = {"the key (not with --due)"})
    String name;

    @Option(names = "--due", order = 0, description = {"rotate every key whose primary is older than its rotation"
        + " period or expired, printing each (for cron or a systemd timer)"})
    boolean due;

    @Option(names = "--begin", order = 1, description = {"stage a new version as PRE_ACTIVE: it decrypts, the old primary still encrypts"})
    boolean begin;

    @Option(names = "--complete", order = 2, description = {"make the staged version the primary"})
    boolean complete;

    @Option(names = "--abort", order = 3, description = {"drop the staged version"})
    boolean abort;

    @Option(names = "--reason", paramLabel = "TEXT", order = 4, description = {"recorded with the change and in the audit log"})
    String reason;

    @Option(names = "--csr", paramLabel = "FILE", order = 5, description = {"with --begin on a key pair: write the staged"
        + " version's PKCS#10 certification request (PEM) for the CA"})
    String csr;

    @Option(names = "--subject", paramLabel = "DN", order = 6, description = {"with --begin on a key pair: the subject of"
        + " the request (default: the primary certificate's)"})
    String subject;

    @Option(names = "--cert", paramLabel = "FILE", order = 7, description = {"with --complete on a key pair: the CA's reply"
        + " (PEM or DER certificate, or chain leaf first) for the staged version"})
    String cert;

    @Override
    int run(Context ctx) {
      if (due) {
        return rotateDue(ctx);
      }
      if (name == null) {
        throw CliException.usage("rotate needs NAME, or --due for every key that is due");
      }
      String n = name(name);
      if ((begin ? 1 : 0) + (complete ? 1 : 0) + (abort ? 1 : 0) > 1) {
        throw CliException.usage("rotate takes at most one of --begin, --complete, --abort");
      }
      if ((csr != null || subject != null) && !begin) {
        throw CliException.usage("--csr and --subject go with --begin: 'clavis rotate " + n + " --begin --csr FILE'");
      }
      if (cert != null && !complete) {
        throw CliException.usage("--cert goes with --complete: 'clavis rotate " + n + " --complete --cert FILE'");
      }
      Keyring k = ctx.keyring();
      boolean pair = k.find(n).map(i -> i.algorithm().isKeyPair()).orElse(false);
      if (begin && pair) {
        if (csr == null) {
          throw CliException.usage("a key pair's --begin writes the staged version's certification request for the CA:"
              + " 'clavis rotate " + n + " --begin --csr FILE'");
        }
        KeyVersionInfo v = KeyPairTwoPhase.begin(k, n, subject, reason, csr);
        Map<String, Object> json = version(v);
        json.put("csr", csr);
        ctx.result("began rotation of " + n + ": " + v.ref() + " " + v.state() + " (signs nothing yet); its"
            + " certification request is in " + csr + ": send it to the CA, then 'clavis rotate " + n
            + " --complete --cert FILE' with the reply", json);
      } else if (begin && (csr != null || subject != null)) {
        throw CliException.usage("--csr and --subject are for a key pair; key " + n + " is a secret key");
      } else if (complete && cert != null) {
        int was = k.find(n).flatMap(KeyInfo::primary).map(KeyVersionInfo::version).orElse(0);
        KeyVersionInfo v = KeyPairTwoPhase.complete(k, n, cert);
        String old = k.find(n).flatMap(i -> i.versions().stream().filter(o -> o.version() == was).findFirst())
            .map(o -> "; " + o.ref() + " " + o.state()).orElse("");
        ctx.result("completed rotation of " + n + ": " + v.ref() + " " + v.state() + " with the certificate from "
            + cert + old, version(v));
      } else if (begin) {
        KeyVersionInfo v = k.beginRotation(n, reason);
        ctx.result("began rotation of " + n + ": " + v.ref() + " " + v.state()
            + " (decrypts now; 'clavis rotate " + n + " --complete' makes it encrypt)", version(v));
      } else if (complete) {
        KeyVersionInfo v = k.completeRotation(n);
        ctx.result("completed rotation of " + n + ": " + v.ref() + " " + v.state(), version(v));
      } else if (abort) {
        k.abortRotation(n);
        KeyVersionInfo primary = k.find(n).flatMap(KeyInfo::primary).orElse(null);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", n);
        json.put("aborted", true);
        json.put("primary", primary == null ? null : version(primary));
        ctx.result("aborted rotation of " + n + "; "
            + (primary == null ? "no primary" : "primary is " + primary.ref() + " " + primary.state()), json);
      } else if (pair) {
        KeyVersionInfo v = KeyPairCreation.rotate(k, n).primary().orElseThrow();
        ctx.result("rotated " + n + ": " + v.ref() + " " + v.state() + " (a new key pair, self-signed like the old)",
            version(v));
      } else {
        KeyVersionInfo v = k.rotate(n, reason == null ? "rotated with the CLI" : reason);
        ctx.result("rotated " + n + ": " + v.ref() + " " + v.state(), version(v));
      }
      return 0;
    }

    private int rotateDue(Context ctx) {
      if (name != null || begin || complete || abort || reason != null || csr != null || subject != null || cert != null) {
        throw CliException.usage("rotate --due takes no NAME, --begin, --complete, --abort, --reason, --csr, --subject"
            + " or --cert");
      }
      List<KeyVersionInfo> rotated = ctx.keyring().rotateDue();
      if (ctx.json()) {
        List<Object> arr = new ArrayList<>();
        rotated.forEach(v -> arr.add(version(v)));
        ctx.out().println(Json.write(arr));
      } else {
        rotated.forEach(v -> ctx.out().println("rotated " + v.keyName() + ": " + v.ref() + " " + v.state()));
        List<String> pairs = dueKeyPairs(ctx.keyring().list(), java.time.Instant.now());
        pairs.forEach(ctx.out()::println);
        if (rotated.isEmpty() && pairs.isEmpty()) {
          ctx.out().println("no key is due for rotation");
        }
      }
      return 0;
    }

    /** @return a line per key pair that is due: Clavis cannot certify its next version, so it is reported only */
    private static List<String> dueKeyPairs(List<KeyInfo> keys, java.time.Instant now) {
      List<String> out = new ArrayList<>();
      for (KeyInfo k : keys) {
        java.time.Instant at = k.algorithm().isKeyPair() ? k.nextRotation().orElse(null) : null;
        if (at != null && !now.isBefore(at)) {
          out.add("due " + k.name() + ": " + k.name() + "#" + k.primary().orElseThrow().version() + " since " + at
              + k.certificateDue().map(c -> " (certificate due " + c + ")").orElse("")
              + "; a key pair is not rotated automatically: rotate it with a new certificate (clavis rotate "
              + k.name() + " self-signed, or 'clavis rotate " + k.name() + " --begin --csr FILE' then --complete --cert"
              + " FILE with the CA's reply)");
        }
      }
      return out;
    }
  }

  /** What suspend, resume, revoke and compromise share: a reference, a reason, the printed changes. */
  abstract static class StateChange extends CliCommand {
    @Parameters(paramLabel = "NAME[#V]", description = {"the key (every version whose state allows it) or one version"})
    String target;

    /** Applies the change. */
    abstract void apply(Keyring k, KeyRef ref);

    /** @return the past tense the output uses, e.g. "suspended" */
    abstract String done();

    /** Checks the reference before the store is opened. */
    void check(KeyRef ref) {}

    @Override
    final int run(Context ctx) {
      KeyRef ref = ref(target);
      check(ref);
      List<KeyVersionInfo> before = versions(ctx, ref);
      apply(ctx.keyring(), ref);
      printChanges(ctx, ref, done(), before);
      return 0;
    }
  }

  /** The optional {@code --reason TEXT} of a state change. */
  abstract static class ReasonedChange extends StateChange {
    @Option(names = "--reason", paramLabel = "TEXT", order = 1, description = {"recorded with the change and in the audit log"})
    String reason;

    String reason(String dflt) {
      return reason == null ? dflt : reason;
    }
  }

  /** {@code suspend NAME[#V]}. */
  @Command(name = "suspend", description = {"stop a version (or the key) reversibly"})
  static final class Suspend extends ReasonedChange {
    @Override void apply(Keyring k, KeyRef ref) { k.suspend(ref, reason("suspended with the CLI")); }
    @Override String done() { return "suspended"; }
  }

  /** {@code resume NAME[#V]}. */
  @Command(name = "resume", description = {"undo a suspension"})
  static final class Resume extends StateChange {
    @Override void apply(Keyring k, KeyRef ref) { k.resume(ref); }
    @Override String done() { return "resumed"; }
  }

  /** {@code revoke NAME[#V]}. */
  @Command(name = "revoke", description = {"withdraw a version (or the key) for good"})
  static final class Revoke extends ReasonedChange {
    @Override void apply(Keyring k, KeyRef ref) { k.revoke(ref, reason("revoked with the CLI")); }
    @Override String done() { return "revoked"; }
  }

  /** {@code compromise NAME#V}. */
  @Command(name = "compromise", description = {"mark a version compromised: it decrypts only with decrypt --allow-compromised"})
  static final class Compromise extends ReasonedChange {
    @Override
    void check(KeyRef ref) {
      if (ref.version().isEmpty()) {
        throw CliException.usage("compromise marks one version: write NAME#V, e.g. " + ref + "#1");
      }
    }

    @Override void apply(Keyring k, KeyRef ref) { k.markCompromised(ref, reason("marked compromised with the CLI")); }
    @Override String done() { return "marked compromised"; }
  }

  /** {@code destroy NAME[#V] [--after D | --now]}. */
  @Command(name = "destroy", description = {"schedule destruction after the window (or --after), or erase the material --now"})
  static final class Destroy extends CliCommand {
    @Parameters(paramLabel = "NAME[#V]", description = {"the key or one version"})
    String target;

    @Option(names = "--after", paramLabel = "DURATION", converter = Durations.Converter.class, order = 1,
        description = {"destroy after this long instead of the key's deletion window, e.g. 7d"})
    Duration after;

    @Option(names = "--now", order = 2, description = {"erase the material now; the metadata stays as a tombstone"})
    boolean now;

    @Option(names = "--force", order = 3, description = {"allow --after below the store's minimum deletion window,"
        + " or --now of a version that may still encrypt (audited); deletion protection is never overridden"})
    boolean force;

    @Override
    int run(Context ctx) {
      KeyRef ref = ref(target);
      if (after != null && now) {
        throw CliException.usage("destroy takes --after DURATION or --now, not both");
      }
      if (now) {
        List<KeyVersionInfo> before = versions(ctx, ref);
        ctx.keyring().destroyNow(ref, force);
        if (ctx.json()) {
          printChanges(ctx, ref, "destroyed", before);
        } else {
          ctx.out().println("destroyed " + ref + ": material erased, metadata kept as a tombstone");
        }
      } else {
        List<KeyVersionInfo> scheduled = ctx.keyring().scheduleDestruction(ref, after, force);
        if (ctx.json()) {
          List<Object> arr = new ArrayList<>();
          for (KeyVersionInfo v : scheduled) {
            Map<String, Object> m = version(v);
            m.put("destroyAt", v.destroyAt().map(Object::toString).orElse(null));
            arr.add(m);
          }
          ctx.out().println(Json.write(arr));
        } else {
          for (KeyVersionInfo v : scheduled) {
            ctx.out().println("scheduled " + v.ref() + " " + v.state() + v.destroyAt().map(t -> " destroy at " + t).orElse(""));
          }
          ctx.out().println("cancel with 'clavis cancel-destroy " + ref.name() + "' until then");
        }
      }
      return 0;
    }
  }

  /** {@code cancel-destroy NAME}. */
  @Command(name = "cancel-destroy", description = {"cancel a scheduled destruction"})
  static final class CancelDestroy extends CliCommand {
    @Parameters(paramLabel = "NAME", description = {"the key"})
    String name;

    @Override
    int run(Context ctx) {
      String n = name(name);
      List<KeyVersionInfo> before = versions(ctx, KeyRef.of(n));
      ctx.keyring().cancelDestruction(n);
      printChanges(ctx, KeyRef.of(n), "destruction cancelled", before);
      return 0;
    }
  }

  /** @return the JSON object of a version: name, version, state */
  static Map<String, Object> version(KeyVersionInfo v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.keyName());
    m.put("version", v.version());
    m.put("state", v.state().name());
    return m;
  }

  /** The versions {@code ref} names, as they are now (none if the key is gone). */
  private static List<KeyVersionInfo> versions(Context ctx, KeyRef ref) {
    KeyInfo k = ctx.keyring().find(ref.name()).orElse(null);
    if (k == null) {
      return List.of();
    }
    return k.versions().stream()
        .filter(v -> ref.version().isEmpty() || ref.version().getAsInt() == v.version())
        .toList();
  }

  /**
   * Prints the versions the operation changed: a whole-key operation acts on the versions whose
   * state allows it, and the others (destroyed ones, say) were not touched, so they are not shown.
   * With {@code --json}: an array of {@code {"name","version","state","previous"}}.
   */
  private static void printChanges(Context ctx, KeyRef ref, String what, List<KeyVersionInfo> before) {
    List<KeyVersionInfo> after = versions(ctx, ref);
    List<String> lines = new ArrayList<>();
    List<Object> json = new ArrayList<>();
    for (KeyVersionInfo v : after) {
      KeyVersionInfo was = before.stream().filter(b -> b.version() == v.version()).findFirst().orElse(null);
      if (ref.version().isPresent() || was == null || was.state() != v.state()) {
        lines.add(what + " " + ref + ": " + v.ref() + " " + (was == null ? "" : was.state() + " -> ") + v.state());
        Map<String, Object> m = version(v);
        m.put("previous", was == null ? null : was.state().name());
        json.add(m);
      }
    }
    if (ctx.json()) {
      ctx.out().println(Json.write(json));
    } else if (after.isEmpty()) {
      ctx.out().println(what + " " + ref);
    } else if (lines.isEmpty()) {
      ctx.out().println(what + " " + ref + ": no version changed state");
    } else {
      lines.forEach(ctx.out()::println);
    }
  }

  /** Parses {@code NAME} or {@code NAME#V}; a malformed one is a usage error. */
  static KeyRef ref(String text) {
    try {
      return KeyRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** Parses a bare key name; a version suffix or bad character is a usage error. */
  static String name(String text) {
    KeyRef ref = ref(text);
    if (ref.version().isPresent()) {
      throw CliException.usage("this command works on a whole key: write " + ref.name() + ", without #" + ref.version().getAsInt());
    }
    return ref.name();
  }
}
