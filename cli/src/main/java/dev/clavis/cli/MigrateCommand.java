package dev.clavis.cli;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.lifecycle.KeyringMigration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migrate}: copies a whole keyring between a file store and a database keyring
 * ({@link KeyringMigration}): {@code --from FILE --to-db URL} or {@code --from-db URL --to FILE}.
 * Every key moves with every version, its state, policy and metadata, non-exportable material
 * included; the target must be new or empty; the source keeps its keys (its audit log records
 * {@code migrate-out}). The source's password comes as for every command, the target's from
 * {@code --new-password-file}, {@code CLAVIS_NEW_PASSWORD} or a prompt asked twice; the database
 * keyring is named by {@code --keyring} and reached as with {@code --db}.
 */
@Command(name = "migrate", description = {"copy a whole keyring, non-exportable keys included, from a file store into a"
    + " new PostgreSQL keyring (--from FILE --to-db URL) or back (--from-db URL --to FILE); the source is kept; audited"
    + " on both sides"})
final class MigrateCommand extends CliCommand {

  @Option(names = "--from", paramLabel = "FILE", order = 1, description = {"the file store to copy"})
  Path from;

  @Option(names = "--to-db", paramLabel = "JDBC_URL", order = 2,
      description = {"the database of the new keyring (named by --keyring, default 'default')"})
  String toDb;

  @Option(names = "--from-db", paramLabel = "JDBC_URL", order = 3,
      description = {"the database of the keyring to copy (named by --keyring)"})
  String fromDb;

  @Option(names = "--to", paramLabel = "FILE", order = 4, description = {"the new file store (created; an existing one must"
      + " be empty and open with the new password)"})
  Path to;

  @Option(names = "--new-password-file", paramLabel = "FILE", order = 5,
      description = {"the new keyring's password, from the first line of FILE (else $CLAVIS_NEW_PASSWORD, else a prompt)"})
  String newPasswordFile;

  @Mixin StoreCommands.KdfOptions kdf;

  @Override
  int run(Context ctx) {
    boolean intoDb = from != null && toDb != null && fromDb == null && to == null;
    boolean outOfDb = fromDb != null && to != null && from == null && toDb == null;
    if (!intoDb && !outOfDb) {
      throw CliException.usage("migrate takes --from FILE --to-db JDBC_URL, or --from-db JDBC_URL --to FILE");
    }
    if (ctx.options().db != null || ctx.options().store != null || ctx.options().hsm != null) {
      throw CliException.usage("migrate names both keyrings itself (--from/--to-db or --from-db/--to): drop --db,"
          + " --store and --hsm");
    }
    DatabaseOpener db = new DatabaseOpener(ctx.options(), ctx.env(), intoDb ? toDb : fromDb);
    Path file = intoDb ? from : to;
    if (intoDb && !Files.exists(file)) {
      throw new CliException("no store at " + file);
    }
    if (intoDb && Keyrings.isTokenRooted(file)) {
      throw new CliException(file + " is rooted in a PKCS#11 token; migrate copies password-protected file stores");
    }
    KdfParameters k = kdf.strongEnough(ctx, kdf.spec == null ? KdfParameters.defaults() : KdfSpecs.parse(kdf.spec),
        "refusing to create the target");
    String source = intoDb ? "store " + file.toAbsolutePath() : db.describe();
    String target = intoDb ? db.describe() : "store " + file.toAbsolutePath();
    char[] pw = new Passwords(ctx.options().passwordFile, ctx.env()).read("Password for " + source, false);
    char[] fresh = null;
    try {
      try (Keyring src = intoDb ? openFile(file, pw, false, k, ctx) : db.openExisting(pw, ctx.opener().audit())) {
        fresh = Passwords.forNew(newPasswordFile, ctx.env()).read("Password for the new " + target, true);
        // an empty target left by a failed attempt is reused; one holding keys is refused by the migration
        try (Keyring dst = intoDb ? db.openOrCreate(fresh, k, ctx.opener().audit())
            : openFile(file, fresh, true, k, ctx)) {
          KeyringMigration.Summary s = KeyringMigration.copy((KeyringEngine) src, (KeyringEngine) dst);
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("from", source);
          json.put("to", target);
          json.put("keys", s.keys());
          json.put("versions", s.versions());
          json.put("materials", s.materials());
          ctx.result("migrated " + s.keys() + " keys (" + s.versions() + " versions, " + s.materials()
              + " with key material) from " + source + " to the new " + target + "; the source keeps its keys (its"
              + " audit log records migrate-out)", json);
        }
      }
      return 0;
    } finally {
      Arrays.fill(pw, '\0');
      if (fresh != null) {
        Arrays.fill(fresh, '\0');
      }
    }
  }

  private static Keyring openFile(Path file, char[] pw, boolean create, KdfParameters kdfForNew, Context ctx) {
    return Keyrings.open(KeyringOptions.file(file).password(pw).createIfMissing(create).kdfForNew(kdfForNew)
        .audit(ctx.opener().audit()));
  }
}
