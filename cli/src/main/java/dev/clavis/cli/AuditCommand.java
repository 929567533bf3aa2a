package dev.clavis.cli;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.AuditLog;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.OwnerOnlyFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code audit}: prints the audit log ({@code --json}: JSON lines, each record as the log holds
 * it), {@code --verify} checks its chain and MACs ({@code --json}: one JSON object, also when it
 * fails), {@code --export FILE} writes one JSON array: the verification result, then every record
 * (format: docs/audit.md).
 */
@Command(name = "audit", description = {"print the audit log (JSON lines with --json), verify its hash chain and MACs,"
    + " or export it with the verification result as one JSON array"})
final class AuditCommand extends CliCommand {

  @Option(names = "--verify", order = 1, description = {"check the hash chain, the MACs and the anchors; exit 1 if broken"})
  boolean verify;

  @Option(names = "--export", paramLabel = "FILE", order = 2, description = {"write the log and its verification result"
      + " as one JSON array to FILE (created owner-only; never overwritten); exit 1 if the log does not verify"})
  Path export;

  @Override
  int run(Context ctx) throws IOException {
    if (verify && export != null) {
      throw CliException.usage("--export verifies the log itself; give --verify or --export, not both");
    }
    if (verify) {
      return verify(ctx);
    }
    AuditLog log = ctx.keyring().auditLog();
    if (export != null) {
      return export(ctx, log);
    }
    if (ctx.json()) {
      Writer w = new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8);
      log.exportJsonLines(w);
      w.flush();
      return 0;
    }
    for (AuditEvent e : log.events()) {
      ctx.out().printf("%6d  %s  %-12s %-16s %-24s %s%n", e.sequence(), e.time(), e.actor().isEmpty() ? "-" : e.actor(),
          e.action(), e.key(), e.details().isEmpty() ? "" : e.details());
    }
    return 0;
  }

  private static int verify(Context ctx) {
    Map<String, Object> json = new LinkedHashMap<>();
    try {
      // a store and log that do not belong together fail already at the open: a result as well
      long n = ctx.keyring().auditLog().verify();
      json.put("verified", true);
      json.put("records", n);
      ctx.result("audit log verified: " + n + " records, hash chain and MACs intact", json);
      return 0;
    } catch (KeyringException e) {
      if (!ctx.json() || e instanceof dev.clavis.keyring.WrongPasswordException) {
        throw e;
      }
      json.put("verified", false);
      json.put("error", e.getMessage());
      ctx.out().println(Json.write(json));
      return 1;
    }
  }

  private int export(Context ctx, AuditLog log) throws IOException {
    boolean verified;
    try (FileChannel ch = OwnerOnlyFiles.open(export, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
        Writer w = new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8)) {
      verified = log.exportJsonArray(w);
      ch.force(true);
    } catch (FileAlreadyExistsException e) {
      throw new CliException("a file already exists at " + export + "; 'clavis audit --export' never overwrites one");
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("exported", export.toString());
    json.put("verified", verified);
    ctx.result(verified ? "audit log exported to " + export + ", verified" : "audit log exported to " + export
        + ", but it does NOT verify: see the \"verification\" object at its start", json);
    return verified ? 0 : 1;
  }
}
