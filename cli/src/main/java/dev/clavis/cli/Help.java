package dev.clavis.cli;

import java.io.PrintStream;

/** {@code help} and {@code --help}: the command list, or one command's synopsis. */
final class Help {

  private Help() {}

  static int run(Context ctx) {
    ctx.args().expectPositionals(0, 1, "help [COMMAND]");
    if (ctx.args().positionals().isEmpty()) {
      print(ctx.out());
      return 0;
    }
    Commands.Entry e = Commands.find(ctx.args().positionals().get(0));
    if (e == null) {
      throw CliException.usage("no command '" + ctx.args().positionals().get(0) + "'; 'clavis help' lists them");
    }
    printOne(ctx.out(), e);
    return 0;
  }

  static void printOne(PrintStream out, Commands.Entry e) {
    out.println("usage: clavis " + e.synopsis);
    out.println("  " + e.summary);
  }

  static void print(PrintStream out) {
    out.println("usage: clavis COMMAND [ARGS] [OPTIONS]   (options may stand before or after the command)");
    out.println();
    out.println("Commands:");
    for (Commands.Entry e : Commands.all()) {
      out.printf("  %-15s %s%n", e.name, e.summary);
    }
    out.println();
    out.println("Options for every command:");
    out.println("  --store FILE          the encrypted file store (default $CLAVIS_STORE, else ./clavis.store)");
    out.println("  --hsm CONFIG          a PKCS#11 token described by CONFIG instead of a file store;");
    out.println("                        with --store FILE: a file store whose master key is wrapped");
    out.println("                        by a root key on that token (create it with init)");
    out.println("  --anchor FILE         a high-water mark of the store kept outside it: refuses a store");
    out.println("                        (with its log) restored from an older copy; created at first use");
    out.println("  --password-file FILE  read the password from the first line of FILE");
    out.println("                        (else $CLAVIS_PASSWORD, else a prompt; never on the command line)");
    out.println("  --verbose             log what the engine does on stderr (never secrets)");
    out.println("  --debug               like --verbose, and print stack traces of errors");
    out.println();
    out.println("Exit codes: 0 success, 1 the command failed, 2 the command line was wrong.");
    out.println("'clavis help COMMAND' shows one command's options. Start with 'clavis demo'.");
  }
}
