package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line as picocli parses it from the commands' declarations: where options may stand,
 * what help shows, how usage errors read. In this JVM: nothing here opens a store.
 */
class CommandLineTest {

  private final InProcess cli = new InProcess(Map.of());

  /** The parsed top command and subcommand of {@code argv}, without running anything. */
  private static ClavisCommand parse(String... argv) {
    ClavisCommand top = new ClavisCommand(null, System.out, System.err, Map.of());
    Main.commandLine(top, System.out, System.err).parseArgs(argv);
    return top;
  }

  private static KeyCommands.Create createOf(ClavisCommand top) {
    return (KeyCommands.Create) top.spec.commandLine().getSubcommands().get("create").getCommand();
  }

  /** A usage error: exit 2, the error line first, then the pointer to help, nothing else, no stack trace. */
  private static String usageError(CliProcess.Result r) {
    assertEquals(CliException.USAGE, r.exit, r::toString);
    List<String> lines = r.stderr.lines().toList();
    assertEquals(2, lines.size(), r::toString);
    assertTrue(lines.get(0).startsWith("clavis: error: "), r::toString);
    assertEquals("clavis: run 'clavis help' for usage", lines.get(1), r::toString);
    return lines.get(0);
  }

  @Test
  void globalOptions_beforeAndAfterTheCommand_meanTheSame() {
    for (String[] argv : new String[][] {
        {"--store", "s.db", "--json", "--verbose", "create", "k", "--exportable", "--usage-limit=5"},
        {"create", "--usage-limit", "5", "k", "--store=s.db", "--exportable", "--json", "--verbose"},
        {"--json", "create", "k", "--store", "s.db", "--usage-limit", "5", "--verbose", "--exportable"}}) {
      ClavisCommand top = parse(argv);
      KeyCommands.Create c = createOf(top);
      assertEquals("s.db", top.globals.store, String.join(" ", argv));
      assertTrue(top.globals.json && top.globals.verbose, String.join(" ", argv));
      assertEquals("k", c.name);
      assertEquals(5L, c.policy.usageLimit);
      assertTrue(c.policy.exportable);
    }
  }

  @Test
  void everyGlobalOption_isAcceptedAfterEveryCommand() {
    CommandSpec root = new CommandLine(new ClavisCommand(null, System.out, System.err, Map.of())).getCommandSpec();
    for (CommandLine sub : root.subcommands().values()) {
      for (String opt : new String[] {"--store", "--hsm", "--anchor", "--password-file", "--json", "--verbose", "--debug"}) {
        assertTrue(sub.getCommandSpec().findOption(opt) != null, opt + " missing on " + sub.getCommandName());
      }
    }
  }

  @Test
  void doubleDash_endsTheOptions() {
    ClavisCommand top = parse("show", "--", "--json");
    InspectCommands.Show show = (InspectCommands.Show) top.spec.commandLine().getSubcommands().get("show").getCommand();
    assertEquals("--json", show.name);
    assertFalse(top.globals.json);
  }

  @Test
  void unknownMissingRepeatedOrValuedFlag_areUsageErrors() {
    for (String[] argv : new String[][] {{"list", "--nope"}, {"list", "--store"}, {"list", "--store", "a", "--store", "b"},
        {"list", "--json=yes"}, {"show"}, {"show", "a", "b"}, {"create", "x", "--usage-limit", "many"}}) {
      usageError(cli.run(argv));
    }
  }

  @Test
  void missingArgument_namesTheSynopsis() {
    String line = usageError(cli.run("show"));
    assertTrue(line.contains("NAME") && line.contains("clavis show NAME"), line);
  }

  @Test
  void typo_inACommandOrOption_suggestsTheNearestName() {
    assertTrue(usageError(cli.run("lst")).contains("did you mean 'list'?"));
    assertTrue(usageError(cli.run("rotat", "k")).contains("did you mean 'rotate'?"));
    assertTrue(usageError(cli.run("list", "--jsn")).contains("did you mean '--json'?"));
    assertTrue(usageError(cli.run("create", "k", "--rotation-perod", "90d")).contains("did you mean '--rotation-period'?"));
  }

  @Test
  void optionOfAnotherCommand_saysWhichCommandItBelongsTo() {
    String line = usageError(cli.run("list", "--now"));
    assertTrue(line.contains("does not apply to 'list'") && line.contains("'destroy'"), line);
  }

  @Test
  void version_printsTheMavenProjectVersion() {
    for (String[] argv : new String[][] {{"--version"}, {"-V"}, {"list", "--version"}}) {
      CliProcess.Result r = cli.run(argv);
      assertEquals(0, r.exit, r::toString);
      assertTrue(Pattern.matches("clavis \\d+\\.\\d+\\.\\d+[-.\\w]*", r.out().strip()), r::toString);
      assertFalse(r.out().contains("${"), r::toString);
    }
  }

  @Test
  void help_ofEveryCommand_listsEveryOptionItTakes_bothWays() {
    CommandSpec root = new CommandLine(new ClavisCommand(null, System.out, System.err, Map.of())).getCommandSpec();
    for (CommandLine sub : root.subcommands().values()) {
      String name = sub.getCommandName();
      CliProcess.Result viaHelp = cli.run("help", name);
      CliProcess.Result viaFlag = cli.run(name, "--help");
      assertEquals(0, viaHelp.exit, viaHelp::toString);
      assertEquals(0, viaFlag.exit, viaFlag::toString);
      assertEquals(viaHelp.out(), viaFlag.out(), name);
      for (OptionSpec o : sub.getCommandSpec().options()) {
        for (String n : o.names()) {
          assertTrue(viaHelp.out().contains(n), () -> n + " missing from 'clavis help " + name + "'\n" + viaHelp.out());
        }
      }
    }
    String derive = cli.run("help", "derive").out();
    assertTrue(derive.contains("--seed-hex=-") && derive.contains("stdin") && derive.contains("--seed-file")
        && derive.contains("--json"), derive);
  }

  @Test
  void noCommand_printsUsageOnStderr_exitTwo() {
    CliProcess.Result r = cli.run();
    assertEquals(CliException.USAGE, r.exit);
    assertTrue(r.stderr.contains("Commands:"), r::toString);
  }

  @Test
  void operationalError_hasNoUsageHint() {
    CliProcess.Result r = new InProcess(Map.of("CLAVIS_STORE", "/nonexistent-dir/x.store")).run("list");
    assertEquals(CliException.FAILURE, r.exit, r::toString);
    assertEquals(1, r.stderr.lines().count(), r::toString);
    assertFalse(r.stderr.contains("clavis help"), r::toString);
  }

  @Test
  void jsonOnACommandWhoseStdoutIsData_isAUsageError() {
    assertTrue(usageError(cli.run("encrypt", "k", "--json")).contains("--json does not apply to 'encrypt'"));
  }

  @Test
  void seedInArgv_isRefused_withoutEchoingIt_inBothSpellings() {
    String seed = "000102030405060708090a0b0c0d0e0f";
    for (String[] argv : new String[][] {{"derive", "--seed-hex", seed, "--path", "m/0"},
        {"derive", "--path", "m/0", "--seed-hex=" + seed}, {"--seed-hex", seed, "derive"}}) {
      CliProcess.Result r = cli.run(argv);
      String line = usageError(r);
      assertTrue(line.contains("--seed-hex -") && line.contains("--seed-file"), line);
      assertFalse(r.stderr.contains(seed) || r.out().contains(seed), r::toString);
    }
  }

  @Test
  void passwordInArgv_isRefused_withoutEchoingIt() {
    for (String[] argv : new String[][] {{"list", "--password=s3cr3t"}, {"--pin", "s3cr3t", "list"}, {"passwd", "--new-password", "s3cr3t"}}) {
      CliProcess.Result r = cli.run(argv);
      assertTrue(usageError(r).contains("never taken on the command line"), r::toString);
      assertFalse(r.stderr.contains("s3cr3t"), r::toString);
    }
  }
}
