package dev.clavis.cli;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.AuditLog;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit}: prints the audit log ({@code --json}: JSON lines), {@code --verify} checks its chain and MACs. */
@Command(name = "audit", description = {"print the audit log (JSON lines with --json) or verify its hash chain and MACs"})
final class AuditCommand extends CliCommand {

  @Option(names = "--verify", order = 1, description = {"check the hash chain, the MACs and the anchors; exit 1 if broken"})
  boolean verify;

  @Override
  int run(Context ctx) throws IOException {
    AuditLog log = ctx.keyring().auditLog();
    if (verify) {
      long n = log.verify();
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("verified", true);
      json.put("records", n);
      ctx.result("audit log verified: " + n + " records, hash chain and MACs intact", json);
      return 0;
    }
    if (ctx.json()) {
      Writer w = new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8);
      log.exportJsonLines(w);
      w.flush();
      return 0;
    }
    for (AuditEvent e : log.events()) {
      ctx.out().printf("%6d  %s  %-16s %-24s %s%n", e.sequence(), e.time(), e.action(), e.key(),
          e.details().isEmpty() ? "" : e.details());
    }
    return 0;
  }
}
