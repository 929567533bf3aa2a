package dev.clavis.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The top command, {@code clavis}: the command table, the options every command inherits, and the
 * streams and environment a run works with. Without a command it prints the usage on stderr and
 * exits with the usage code.
 */
@Command(name = "clavis",
    scope = ScopeType.INHERIT, // every subcommand gets -h/--help, -V/--version and the usage layout
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    synopsisSubcommandLabel = "COMMAND",
    description = {"Manage the keys of a Clavis store, PKCS#11 token or PostgreSQL keyring. Options may stand before or after the command."},
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    footerHeading = "%n",
    footer = {"Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.",
        "'clavis help COMMAND' (or 'clavis COMMAND --help') shows every option of a command. Start with 'clavis demo'."},
    subcommands = {
        StoreCommands.Init.class, StoreCommands.MigrateKdf.class, StoreCommands.Passwd.class,
        KeyCommands.Create.class, KeyCommands.Import.class,
        InspectCommands.ListKeys.class, InspectCommands.Show.class,
        LifecycleCommands.Rotate.class, LifecycleCommands.Suspend.class, LifecycleCommands.Resume.class,
        LifecycleCommands.Revoke.class, LifecycleCommands.Compromise.class, LifecycleCommands.Destroy.class,
        LifecycleCommands.CancelDestroy.class,
        PolicyCommands.Policy.class, PolicyCommands.Label.class, PolicyCommands.StorePolicy.class,
        QuorumCommands.MakeKey.class, QuorumCommands.Approve.class,
        DataCommands.Encrypt.class, DataCommands.Decrypt.class, DataCommands.Rewrap.class,
        PairCommands.Sign.class, PairCommands.Verify.class, PairCommands.ExportCert.class,
        HdCommands.ImportSeed.class, HdCommands.DeriveKey.class,
        AuditCommand.class, RecoveryCommands.Backup.class, RecoveryCommands.Restore.class, MigrateCommand.class,
        DeriveCommand.class, DemoCommand.class,
        HelpCommand.class})
final class ClavisCommand implements Callable<Integer> {

  @Mixin GlobalOptions globals;

  @Spec CommandSpec spec;

  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;

  ClavisCommand(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  /** No command given: the usage goes to stderr, and the exit code says the command line was wrong. */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return CliException.USAGE;
  }
}
