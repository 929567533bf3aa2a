package dev.clavis.cli;

import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The commands that create a store or change how it is protected: {@code init}, {@code migrate-kdf}, {@code passwd}. */
final class StoreCommands {

  private StoreCommands() {}

  /** {@code --kdf} and {@code --allow-weak-kdf}, shared by init and migrate-kdf. */
  static final class KdfOptions {
    @Option(names = "--kdf", paramLabel = "SPEC", order = 1,
        description = {"argon2id (t=3, m=64 MiB, p=4; the default), argon2id:t=3,m=65536,p=4 (m in KiB), pbkdf2"
            + " (600,000 iterations) or pbkdf2:i=600000"})
    String spec;

    @Option(names = "--allow-weak-kdf", order = 2,
        description = {"accept settings below OWASP's minimums (a test or throw-away store)"})
    boolean allowWeak;

    /**
     * Refuses settings below OWASP's minimums before any password is asked, unless
     * {@code --allow-weak-kdf} says the weakness is intended (then the settings carry that consent).
     */
    KdfParameters strongEnough(Context ctx, KdfParameters kdf, String what) {
      Optional<String> weak = KdfLimits.weakness(kdf);
      if (allowWeak) {
        weak.ifPresent(w -> ctx.err().println("clavis: warning: " + w + " (allowed by --allow-weak-kdf)"));
        return kdf.allowingWeak();
      }
      if (weak.isPresent()) {
        throw new CliException(what + ": " + weak.get()
            + "; choose stronger settings, or pass --allow-weak-kdf for a test or throw-away store");
      }
      return kdf;
    }
  }

  /** {@code init}: a new, empty store. */
  @Command(name = "init", description = {"create a new, empty encrypted store (asks the password twice at a terminal);"
      + " settings below OWASP's minimums need --allow-weak-kdf"})
  static final class Init extends CliCommand {
    @picocli.CommandLine.Mixin KdfOptions kdf;

    @Override
    int run(Context ctx) {
      KdfParameters k = kdf.strongEnough(ctx, kdf.spec == null ? KdfParameters.defaults() : KdfSpecs.parse(kdf.spec),
          "refusing to create " + ctx.opener().describe());
      if (ctx.opener().inDatabase()) {
        return initDatabase(ctx, k);
      }
      try (Keyring ring = ctx.opener().create(k, kdf.spec != null)) {
        String protection = ctx.opener().tokenRooted()
            ? "master key wrapped by a new root key on the token of " + ctx.options().hsm
            : "password KDF " + k;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("store", ctx.opener().storeFile().toAbsolutePath().toString());
        json.put("keys", ring.list().size());
        json.put("protection", ctx.opener().tokenRooted() ? "token" : "password");
        json.put("kdf", ctx.opener().tokenRooted() ? null : k.toString());
        ctx.result("created store " + ctx.opener().storeFile().toAbsolutePath() + " (" + ring.list().size() + " keys), "
            + protection, json);
      }
      return 0;
    }

    private static int initDatabase(Context ctx, KdfParameters k) {
      DatabaseOpener db = ctx.opener().database();
      try (Keyring ring = ctx.opener().create(k, true)) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("database", dev.clavis.spec.DatabaseKeyringParameter.redact(db.jdbcUrl()));
        json.put("keyring", db.keyringName());
        json.put("keys", ring.list().size());
        json.put("protection", "password");
        json.put("kdf", k.toString());
        ctx.result("created " + db.describe() + " (" + ring.list().size() + " keys), password KDF " + k, json);
      }
      return 0;
    }
  }

  /** {@code migrate-kdf}: another KDF for an existing store. */
  @Command(name = "migrate-kdf", description = {"re-derive the store's key with another KDF or stronger settings, in place; audited"})
  static final class MigrateKdf extends CliCommand {
    @picocli.CommandLine.Mixin KdfOptions kdf;

    @Override
    int run(Context ctx) {
      if (kdf.spec == null) {
        throw CliException.usage("migrate-kdf needs --kdf, e.g. --kdf argon2id or --kdf pbkdf2:i=600000");
      }
      KdfParameters k = kdf.strongEnough(ctx, KdfSpecs.parse(kdf.spec), "refusing to migrate " + target(ctx));
      ctx.opener().migrateKdf(k);
      Map<String, Object> json = where(ctx);
      json.put("kdf", k.toString());
      ctx.result(target(ctx) + " now derives its key with " + k, json);
      return 0;
    }
  }

  /** {@code passwd}: a new password for a file store. */
  @Command(name = "passwd", description = {"change the store's password (new one from CLAVIS_NEW_PASSWORD,"
      + " --new-password-file or a prompt asked twice); audited"})
  static final class Passwd extends CliCommand {
    @Option(names = "--new-password-file", paramLabel = "FILE",
        description = {"read the new password from the first line of FILE (else $CLAVIS_NEW_PASSWORD, else a prompt)"})
    String newPasswordFile;

    @Override
    int run(Context ctx) {
      ctx.opener().changePassword(newPasswordFile);
      Map<String, Object> json = where(ctx);
      json.put("passwordChanged", true);
      ctx.result("changed the password of " + target(ctx) + "; the old password no longer opens it ("
          + (ctx.opener().inDatabase() ? "processes that have it open keep working; database backups made before"
              : "backups made before") + " still open with it)", json);
      return 0;
    }
  }

  /** @return "store FILE" or "keyring 'k' in URL" (without passwords), for messages */
  private static String target(Context ctx) {
    return ctx.opener().inDatabase() ? ctx.opener().database().describe() : "store " + ctx.opener().storeFile();
  }

  /** @return the JSON fields naming the store file, or the database and keyring */
  private static Map<String, Object> where(Context ctx) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (ctx.opener().inDatabase()) {
      DatabaseOpener db = ctx.opener().database();
      json.put("database", dev.clavis.spec.DatabaseKeyringParameter.redact(db.jdbcUrl()));
      json.put("keyring", db.keyringName());
    } else {
      json.put("store", ctx.opener().storeFile().toAbsolutePath().toString());
    }
    return json;
  }
}
