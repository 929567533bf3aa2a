package dev.clavis.cli;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.AuditLog;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** {@code audit}: prints the audit log ({@code --json}: JSON lines), {@code --verify} checks its chain and MACs. */
final class AuditCommand {

  private AuditCommand() {}

  static int run(Context ctx) throws IOException {
    ctx.args().expectPositionals(0, 0, "audit [--verify] [--json]");
    AuditLog log = ctx.keyring().auditLog();
    if (ctx.args().flag("--verify")) {
      long n = log.verify();
      ctx.out().println("audit log verified: " + n + " records, hash chain and MACs intact");
      return 0;
    }
    if (ctx.args().flag("--json")) {
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
