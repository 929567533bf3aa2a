package dev.clavis.cli;

import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The commands that create keys and move their versions through the lifecycle. */
final class LifecycleCommands {

  private LifecycleCommands() {}

  static int init(Context ctx) {
    ctx.args().expectPositionals(0, 0, "init [--kdf argon2id|argon2id:t=3,m=65536,p=4|pbkdf2|pbkdf2:i=600000] [--allow-weak-kdf]");
    String spec = ctx.args().option("--kdf");
    KdfParameters kdf = strongEnough(ctx, spec == null ? KdfParameters.defaults() : KdfSpecs.parse(spec),
        "refusing to create " + ctx.opener().storeFile());
    try (Keyring k = ctx.opener().create(kdf)) {
      ctx.out().println("created store " + ctx.opener().storeFile().toAbsolutePath() + " (" + k.list().size()
          + " keys), " + (ctx.opener().tokenRooted() ? "master key wrapped by a new root key on the token of "
          + ctx.args().option("--hsm") : "password KDF " + kdf));
    }
    return 0;
  }

  static int migrateKdf(Context ctx) {
    ctx.args().expectPositionals(0, 0, "migrate-kdf --kdf SPEC");
    String spec = ctx.args().option("--kdf");
    if (spec == null) {
      throw CliException.usage("migrate-kdf needs --kdf, e.g. --kdf argon2id or --kdf pbkdf2:i=600000");
    }
    KdfParameters kdf = strongEnough(ctx, KdfSpecs.parse(spec), "refusing to migrate " + ctx.opener().storeFile());
    ctx.opener().migrateKdf(kdf);
    ctx.out().println("store " + ctx.opener().storeFile() + " now derives its key with " + kdf);
    return 0;
  }

  /**
   * Refuses settings below OWASP's minimums before any password is asked, unless
   * {@code --allow-weak-kdf} says the weakness is intended (then the settings carry that consent).
   */
  private static KdfParameters strongEnough(Context ctx, KdfParameters kdf, String what) {
    Optional<String> weak = KdfLimits.weakness(kdf);
    if (ctx.args().flag("--allow-weak-kdf")) {
      weak.ifPresent(w -> ctx.err().println("clavis: warning: " + w + " (allowed by --allow-weak-kdf)"));
      return kdf.allowingWeak();
    }
    if (weak.isPresent()) {
      throw new CliException(what + ": " + weak.get()
          + "; choose stronger settings, or pass --allow-weak-kdf for a test or throw-away store");
    }
    return kdf;
  }

  static int passwd(Context ctx) {
    ctx.args().expectPositionals(0, 0, "passwd [--new-password-file FILE]");
    ctx.opener().changePassword();
    ctx.out().println("changed the password of store " + ctx.opener().storeFile()
        + "; the old password no longer opens it (backups made before still open with it)");
    return 0;
  }

  static int create(Context ctx) {
    ctx.args().expectPositionals(1, 1, "create NAME [--algorithm AES-256] [--rotation-period 90d] [--usage-limit N] [--lifetime 365d] [--exportable]");
    String name = name(ctx.args().positionals().get(0));
    KeyInfo k = ctx.keyring().create(name, algorithm(ctx.args().option("--algorithm")), policy(ctx.args()));
    ctx.out().println("created " + k.name() + "#" + k.latest().version() + " " + k.algorithm() + " " + k.latest().state());
    return 0;
  }

  static int importKey(Context ctx) throws IOException {
    ctx.args().expectPositionals(1, 1, "import NAME --key-file FILE [--algorithm AES-256] [policy options]");
    String name = name(ctx.args().positionals().get(0));
    String file = ctx.args().option("--key-file");
    if (file == null) {
      throw CliException.usage("import needs --key-file FILE holding the raw key bytes");
    }
    byte[] material = Files.readAllBytes(Path.of(file));
    try {
      KeyInfo k = ctx.keyring().importKey(name, algorithm(ctx.args().option("--algorithm")), material, policy(ctx.args()));
      ctx.out().println("imported " + k.name() + "#" + k.latest().version() + " " + k.algorithm() + " " + k.latest().state());
    } finally {
      Arrays.fill(material, (byte) 0);
    }
    return 0;
  }

  static int rotate(Context ctx) {
    ctx.args().expectPositionals(1, 1, "rotate NAME [--begin | --complete | --abort] [--reason TEXT]");
    String name = name(ctx.args().positionals().get(0));
    int phases = (ctx.args().flag("--begin") ? 1 : 0) + (ctx.args().flag("--complete") ? 1 : 0) + (ctx.args().flag("--abort") ? 1 : 0);
    if (phases > 1) {
      throw CliException.usage("rotate takes at most one of --begin, --complete, --abort");
    }
    Keyring k = ctx.keyring();
    if (ctx.args().flag("--begin")) {
      KeyVersionInfo v = k.beginRotation(name, ctx.args().option("--reason"));
      ctx.out().println("began rotation of " + name + ": " + v.ref() + " " + v.state()
          + " (decrypts now; 'clavis rotate " + name + " --complete' makes it encrypt)");
    } else if (ctx.args().flag("--complete")) {
      KeyVersionInfo v = k.completeRotation(name);
      ctx.out().println("completed rotation of " + name + ": " + v.ref() + " " + v.state());
    } else if (ctx.args().flag("--abort")) {
      k.abortRotation(name);
      ctx.out().println("aborted rotation of " + name + "; " + primaryText(k, name));
    } else {
      KeyVersionInfo v = k.rotate(name, reason(ctx, "rotated with the CLI"));
      ctx.out().println("rotated " + name + ": " + v.ref() + " " + v.state());
    }
    return 0;
  }

  static int suspend(Context ctx) {
    ctx.args().expectPositionals(1, 1, "suspend NAME[#V] [--reason TEXT]");
    KeyRef ref = ref(ctx.args().positionals().get(0));
    List<KeyVersionInfo> before = versions(ctx, ref);
    ctx.keyring().suspend(ref, reason(ctx, "suspended with the CLI"));
    printStates(ctx, ref, "suspended", before);
    return 0;
  }

  static int resume(Context ctx) {
    ctx.args().expectPositionals(1, 1, "resume NAME[#V]");
    KeyRef ref = ref(ctx.args().positionals().get(0));
    List<KeyVersionInfo> before = versions(ctx, ref);
    ctx.keyring().resume(ref);
    printStates(ctx, ref, "resumed", before);
    return 0;
  }

  static int revoke(Context ctx) {
    ctx.args().expectPositionals(1, 1, "revoke NAME[#V] [--reason TEXT]");
    KeyRef ref = ref(ctx.args().positionals().get(0));
    List<KeyVersionInfo> before = versions(ctx, ref);
    ctx.keyring().revoke(ref, reason(ctx, "revoked with the CLI"));
    printStates(ctx, ref, "revoked", before);
    return 0;
  }

  static int compromise(Context ctx) {
    ctx.args().expectPositionals(1, 1, "compromise NAME#V [--reason TEXT]");
    KeyRef ref = ref(ctx.args().positionals().get(0));
    if (ref.version().isEmpty()) {
      throw CliException.usage("compromise marks one version: write NAME#V, e.g. " + ref + "#1");
    }
    List<KeyVersionInfo> before = versions(ctx, ref);
    ctx.keyring().markCompromised(ref, reason(ctx, "marked compromised with the CLI"));
    printStates(ctx, ref, "marked compromised", before);
    return 0;
  }

  static int destroy(Context ctx) {
    ctx.args().expectPositionals(1, 1, "destroy NAME[#V] [--after 7d | --now]");
    KeyRef ref = ref(ctx.args().positionals().get(0));
    String after = ctx.args().option("--after");
    if (after != null && ctx.args().flag("--now")) {
      throw CliException.usage("destroy takes --after DURATION or --now, not both");
    }
    if (ctx.args().flag("--now")) {
      ctx.keyring().destroyNow(ref);
      ctx.out().println("destroyed " + ref + ": material erased, metadata kept as a tombstone");
    } else {
      List<KeyVersionInfo> scheduled = ctx.keyring().scheduleDestruction(ref, after == null ? null : Durations.parse("--after", after));
      for (KeyVersionInfo v : scheduled) {
        ctx.out().println("scheduled " + v.ref() + " " + v.state() + v.destroyAt().map(t -> " destroy at " + t).orElse(""));
      }
      ctx.out().println("cancel with 'clavis cancel-destroy " + ref.name() + "' until then");
    }
    return 0;
  }

  static int cancelDestroy(Context ctx) {
    ctx.args().expectPositionals(1, 1, "cancel-destroy NAME");
    String name = name(ctx.args().positionals().get(0));
    List<KeyVersionInfo> before = versions(ctx, KeyRef.of(name));
    ctx.keyring().cancelDestruction(name);
    printStates(ctx, KeyRef.of(name), "destruction cancelled", before);
    return 0;
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
   */
  private static void printStates(Context ctx, KeyRef ref, String what, List<KeyVersionInfo> before) {
    List<KeyVersionInfo> after = versions(ctx, ref);
    if (after.isEmpty()) {
      ctx.out().println(what + " " + ref);
      return;
    }
    boolean any = false;
    for (KeyVersionInfo v : after) {
      KeyVersionInfo was = before.stream().filter(b -> b.version() == v.version()).findFirst().orElse(null);
      if (ref.version().isPresent() || was == null || was.state() != v.state()) {
        ctx.out().println(what + " " + ref + ": " + v.ref() + " " + (was == null ? "" : was.state() + " -> ") + v.state());
        any = true;
      }
    }
    if (!any) {
      ctx.out().println(what + " " + ref + ": no version changed state");
    }
  }

  private static String primaryText(Keyring k, String name) {
    return k.find(name).flatMap(KeyInfo::primary).map(v -> "primary is " + v.ref() + " " + v.state()).orElse("no primary");
  }

  private static String reason(Context ctx, String dflt) {
    String r = ctx.args().option("--reason");
    return r == null ? dflt : r;
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

  /** Reads {@code --algorithm}: AES-128, AES-192, AES-256 (default) or HMAC-SHA256, in any case and punctuation. */
  static KeyAlgorithm algorithm(String text) {
    if (text == null) {
      return KeyAlgorithm.AES_256;
    }
    String t = text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    for (KeyAlgorithm a : KeyAlgorithm.values()) {
      if (a.name().replace("_", "").equals(t)) {
        return a;
      }
    }
    if (t.equals("AES")) {
      return KeyAlgorithm.AES_256;
    }
    throw CliException.usage("unknown algorithm '" + text + "'; use AES-128, AES-192, AES-256, HMAC-SHA256 or (for import) SECRET");
  }

  /** Builds the policy from {@code --rotation-period --usage-limit --lifetime --deletion-window --exportable}. */
  static KeyPolicy policy(CliArgs a) {
    KeyPolicy.Builder b = KeyPolicy.builder();
    try {
      if (a.option("--rotation-period") != null) {
        b.rotationPeriod(Durations.parse("--rotation-period", a.option("--rotation-period")));
      }
      if (a.option("--lifetime") != null) {
        b.versionLifetime(Durations.parse("--lifetime", a.option("--lifetime")));
      }
      if (a.option("--deletion-window") != null) {
        Duration w = Durations.parse("--deletion-window", a.option("--deletion-window"));
        b.deletionWindow(w);
      }
      if (a.option("--usage-limit") != null) {
        long n;
        try {
          n = Long.parseLong(a.option("--usage-limit"));
        } catch (NumberFormatException e) {
          throw CliException.usage("--usage-limit takes a whole number, got '" + a.option("--usage-limit") + "'");
        }
        b.usageLimit(n);
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    return b.exportable(a.flag("--exportable")).build();
  }
}
