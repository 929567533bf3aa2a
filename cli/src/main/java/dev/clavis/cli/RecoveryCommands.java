package dev.clavis.cli;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.backup.KeyringBackup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backup} and {@code restore}: M-of-N recovery of a file store (docs/backup.md). Custodian
 * passphrases come like other secrets, never from the command line: {@code --passphrase-files
 * F1,F2,...} (one file per share, in order), else {@code CLAVIS_SHARE_PASSPHRASE_<n>} for share n,
 * else a prompt (asked twice when a backup is made).
 */
final class RecoveryCommands {

  private RecoveryCommands() {}

  private static List<String> files(String list) {
    if (list == null) {
      return List.of();
    }
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
  }

  /** {@code backup}: the store, its log, mark and anchor, encrypted; the key split among custodians. */
  @Command(name = "backup", description = {"write an encrypted backup of the store (with its audit log and anchor) whose"
      + " key is split into N custodian shares, any M of which restore it"})
  static final class Backup extends CliCommand {
    @Option(names = "--shares", paramLabel = "N", required = true, order = 1, description = {"how many custodian shares (2..255)"})
    int shares;

    @Option(names = "--threshold", paramLabel = "M", required = true, order = 2,
        description = {"how many shares restore the store (2..N)"})
    int threshold;

    @Option(names = "--out", paramLabel = "DIR", required = true, order = 3,
        description = {"a new or empty directory for backup.clbk and the share files"})
    Path out;

    @Option(names = "--passphrase-files", paramLabel = "F1,F2,...", order = 4,
        description = {"one file per share holding its custodian's passphrase (first line); else"
            + " $CLAVIS_SHARE_PASSPHRASE_<n>, else a prompt"})
    String passphraseFiles;

    @picocli.CommandLine.Mixin StoreCommands.KdfOptions kdf;

    @Override
    int run(Context ctx) {
      if (ctx.opener().inDatabase()) {
        throw new CliException("backup works on file stores; copy a database keyring into one first ('clavis migrate"
            + " --from-db URL --to FILE', then 'clavis backup --store FILE'), or back the database up with its own tools");
      }
      if (ctx.options().hsm != null && ctx.options().store == null) {
        throw new CliException("backup works on file stores (also those rooted in a token: --store FILE --hsm CONFIG);"
            + " keys on a PKCS#11 token never leave it: back the token up with its vendor's tools");
      }
      try {
        dev.clavis.engine.shamir.Shamir.checkQuorum(shares, threshold);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--shares " + shares + " --threshold " + threshold + ": " + e.getMessage());
      }
      List<String> pf = files(passphraseFiles);
      if (!pf.isEmpty() && pf.size() != shares) {
        throw CliException.usage("--passphrase-files names " + pf.size() + " files for " + shares + " shares");
      }
      KdfParameters k = kdf.strongEnough(ctx, kdf.spec == null ? KdfParameters.defaults() : KdfSpecs.parse(kdf.spec),
          "refusing to seal the shares");
      List<char[]> pws = new ArrayList<>();
      try {
        for (int i = 1; i <= shares; i++) {
          pws.add(Passwords.forShare(pf.isEmpty() ? null : pf.get(i - 1), ctx.env(), i)
              .read("Passphrase of the custodian of share " + i + " of " + shares, true));
        }
        Path store = ctx.opener().storeFile();
        Keyring ring = ctx.keyring();
        KeyringBackup.Summary s = KeyringBackup.create(unwrapped(ring, ctx), store, out, shares, threshold, pws, k);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backup", s.backupId());
        json.put("threshold", s.threshold());
        json.put("shares", s.shares());
        json.put("file", s.backupFile().toString());
        json.put("shareFiles", s.shareFiles().stream().map(Path::toString).collect(Collectors.toList()));
        ctx.result("backed up " + store + " as backup " + s.backupId() + " in " + out + ": " + s.shares()
            + " shares, any " + s.threshold() + " restore it; hand each share file to its custodian", json);
        return 0;
      } finally {
        pws.forEach(p -> Arrays.fill(p, '\0'));
      }
    }

    /** The keyring itself: {@code --verbose} wraps it in a logging proxy, which the backup cannot use. */
    private static Keyring unwrapped(Keyring ring, Context ctx) {
      if (ring instanceof dev.clavis.keyring.lifecycle.KeyringEngine) {
        return ring;
      }
      throw new CliException("backup cannot run with --verbose or --debug: run it without them");
    }
  }

  /** {@code restore}: rebuilds a store from its backup and any M shares. */
  @Command(name = "restore", description = {"rebuild a store from a backup and any M of its custodian shares"
      + " (never over an existing store without --force)"})
  static final class Restore extends CliCommand {
    @Option(names = "--shares", paramLabel = "FILE,FILE,...", required = true, order = 1,
        description = {"the share files given by the custodians (at least the threshold)"})
    String shares;

    @Option(names = "--from", paramLabel = "FILE", order = 2,
        description = {"the backup file (default: backup.clbk beside the first share)"})
    Path from;

    @Option(names = "--out", paramLabel = "STORE", required = true, order = 3,
        description = {"where the store goes; its audit log and commit mark go beside it"})
    Path out;

    @Option(names = "--force", order = 4, description = {"replace an existing store (and anchor) at the target"})
    boolean force;

    @Option(names = "--passphrase-files", paramLabel = "F1,F2,...", order = 5,
        description = {"one passphrase file per share, in the order of --shares; else $CLAVIS_SHARE_PASSPHRASE_<n>"
            + " for share n, else a prompt"})
    String passphraseFiles;

    @Override
    int run(Context ctx) {
      List<Path> shareFiles = files(shares).stream().map(Path::of).collect(Collectors.toList());
      if (shareFiles.isEmpty()) {
        throw CliException.usage("--shares names no share file");
      }
      List<String> pf = files(passphraseFiles);
      if (!pf.isEmpty() && pf.size() != shareFiles.size()) {
        throw CliException.usage("--passphrase-files names " + pf.size() + " files for " + shareFiles.size() + " shares");
      }
      Path backup = from != null ? from
          : shareFiles.get(0).toAbsolutePath().resolveSibling(KeyringBackup.BACKUP_FILE);
      Path anchor = ctx.options().anchor == null ? null : Path.of(ctx.options().anchor);
      KeyringBackup.Restored r = KeyringBackup.restore(backup, shareFiles, s -> {
        int i = shareFiles.indexOf(s.file());
        return Passwords.forShare(pf.isEmpty() ? null : pf.get(i), ctx.env(), s.number())
            .read("Passphrase of the custodian of share " + s.number() + " of backup " + s.backupId(), false);
      }, out, anchor, force);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("backup", r.backupId());
      json.put("created", r.created().toString());
      json.put("files", r.files().stream().map(Path::toString).collect(Collectors.toList()));
      json.put("keptAside", r.keptAside().stream().map(Path::toString).collect(Collectors.toList()));
      ctx.result("restored backup " + r.backupId() + " (made " + r.created() + ") to " + out
          + (r.keptAside().isEmpty() ? "" : "; the files it replaced were kept as " + r.keptAside())
          + (Keyrings.isTokenRooted(out) ? "; it opens with its token (--store " + out + " --hsm CONFIG)"
              : "; it opens with its own password"), json);
      return 0;
    }
  }
}
