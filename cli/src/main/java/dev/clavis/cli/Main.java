package dev.clavis.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.logging.Level;
import picocli.CommandLine;

/**
 * The {@code clavis} command line: {@code java -jar clavis.jar COMMAND [ARGS] [OPTIONS]}, parsed
 * by picocli from the commands' own declarations ({@link ClavisCommand} and its subcommands).
 *
 * <p>Errors are one line on stderr, {@code clavis: error: ...}, with exit code 1 when the command
 * failed and 2 when the command line was wrong; {@code --debug} adds the stack trace.
 */
public final class Main {

  private Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param argv the arguments
   */
  public static void main(String[] argv) {
    int code = run(argv, System.in, System.out, System.err, System.getenv());
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs the command line without exiting.
   *
   * @param argv the arguments
   * @param in the standard input (data for encrypt/decrypt/rewrap, a seed for derive)
   * @param out the standard output (results and data)
   * @param err the standard error (notes, log records and the error line)
   * @param env the environment ({@code CLAVIS_PASSWORD}, {@code CLAVIS_STORE}...)
   * @return the exit code: 0 success, 1 failure, 2 usage error
   */
  public static int run(String[] argv, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    boolean debug = flagBeforeEnd(argv, "--debug");
    boolean verbose = debug || flagBeforeEnd(argv, "--verbose");
    try {
      ArgvSecrets.refuse(argv);
      if (verbose) {
        VerboseLogging.enable(err, debug ? Level.ALL : Level.FINE);
      }
      CommandLine cl = commandLine(new ClavisCommand(in, out, err, env), out, err);
      cl.setParameterExceptionHandler((e, args) -> Failures.report(err, UsageErrors.translate(e), debug));
      cl.setExecutionExceptionHandler((e, line, parsed) -> Failures.report(err, e, debug));
      return cl.execute(argv);
    } catch (Throwable t) {
      return Failures.report(err, t, debug);
    } finally {
      if (verbose) {
        VerboseLogging.disable();
      }
      out.flush();
    }
  }

  /** @return the parser for {@code top}, its help written to {@code out} and its errors to {@code err} */
  static CommandLine commandLine(ClavisCommand top, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(top);
    cl.setExpandAtFiles(false); // '@file' is a plain argument, as before (and cannot smuggle secrets past ArgvSecrets)
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new PrintWriter(new OutputStreamWriter(out, Charset.defaultCharset()), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(err, Charset.defaultCharset()), true));
    return cl;
  }

  /** A flag's presence before {@code --}: read before parsing, so that parse errors honour it too. */
  private static boolean flagBeforeEnd(String[] argv, String flag) {
    for (String a : argv) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals(flag)) {
        return true;
      }
    }
    return false;
  }
}
