package dev.clavis.cli;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code clavis} command line: {@code java -jar clavis.jar COMMAND [ARGS] [OPTIONS]}.
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
   * @return the exit code: 0 success, 1 failure, 2 usage error
   */
  public static int run(String[] argv, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    boolean debug = false;
    for (String a : argv) {
      if (a.equals("--")) {
        break;
      }
      debug |= a.equals("--debug");
    }
    try {
      CliArgs args = CliArgs.parse(argv);
      if (args.flag("--verbose") || args.flag("--debug")) {
        verboseLogging();
      }
      if (args.command() == null) {
        Help.print(args.flag("--help") ? out : err);
        return args.flag("--help") ? 0 : CliException.USAGE;
      }
      Commands.Entry entry = Commands.find(args.command());
      if (entry == null) {
        throw CliException.usage("unknown command '" + args.command() + "'; 'clavis help' lists the commands");
      }
      if (args.flag("--help")) {
        Help.printOne(out, entry);
        return 0;
      }
      TreeSet<String> stray = new TreeSet<>(args.givenOptions());
      stray.removeAll(Commands.GLOBAL);
      stray.removeAll(entry.options);
      if (!stray.isEmpty()) {
        throw CliException.usage("option " + stray.first() + " does not apply to '" + entry.name + "' (usage: clavis " + entry.synopsis + ")");
      }
      String anchor = args.option("--anchor");
      String before = System.getProperty(Keyrings.ANCHOR_PROPERTY);
      if (anchor != null) {
        System.setProperty(Keyrings.ANCHOR_PROPERTY, anchor);
      }
      try (Context ctx = new Context(args, in, out, err, env)) {
        return entry.command.run(ctx);
      } finally {
        if (anchor != null) { // Main.run may run again in this JVM (tests, the demo)
          if (before == null) {
            System.clearProperty(Keyrings.ANCHOR_PROPERTY);
          } else {
            System.setProperty(Keyrings.ANCHOR_PROPERTY, before);
          }
        }
      }
    } catch (Throwable t) {
      return fail(err, t, debug);
    } finally {
      out.flush();
    }
  }

  private static int fail(PrintStream err, Throwable t, boolean debug) {
    int code = t instanceof CliException ? ((CliException) t).exitCode() : CliException.FAILURE;
    err.println("clavis: error: " + oneLine(message(t)));
    if (code == CliException.USAGE) {
      err.println("clavis: run 'clavis help' for usage");
    }
    if (debug) {
      t.printStackTrace(err);
    }
    return code;
  }

  /** The message users see: the exception's own (which names key, version and state), or what kind of failure it was. */
  static String message(Throwable t) {
    if (t instanceof NoSuchFileException) {
      return "no such file: " + ((NoSuchFileException) t).getFile();
    }
    if (t instanceof AccessDeniedException) {
      return "permission denied: " + ((AccessDeniedException) t).getFile();
    }
    if (t instanceof FileAlreadyExistsException) {
      return "file exists: " + ((FileAlreadyExistsException) t).getFile();
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory (run java with a larger -Xmx)";
    }
    String m = t.getMessage();
    if (t instanceof CliException || t instanceof KeyringException
        || t instanceof IllegalStateException || t instanceof IllegalArgumentException) {
      if (m != null && !m.isBlank()) {
        return m;
      }
    }
    String kind = t.getClass().getSimpleName();
    if (m != null && !m.isBlank()) {
      return kind + ": " + m;
    }
    Throwable c = t.getCause();
    return c == null ? kind + " (run with --debug for details)" : kind + ": " + message(c);
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ").trim();
  }

  /** --verbose: every logger of Clavis, the JDK and its providers at its most verbose level, on stderr. */
  private static void verboseLogging() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler(); // writes to System.err
    h.setLevel(Level.ALL);
    root.addHandler(h);
    root.setLevel(Level.ALL);
  }
}
