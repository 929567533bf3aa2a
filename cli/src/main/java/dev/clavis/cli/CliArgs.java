package dev.clavis.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line: the command, its positional arguments, options with values and flags.
 * Options may stand before or after the command ({@code --store F list} and {@code list --store F}
 * mean the same); {@code --opt=value} and {@code --opt value} are both accepted; {@code --} ends
 * the options.
 */
final class CliArgs {

  /** Options that take a value. */
  static final Set<String> VALUED = Set.of(
      "--store", "--hsm", "--password-file", "--algorithm", "--rotation-period", "--usage-limit",
      "--lifetime", "--deletion-window", "--reason", "--after", "--seed-hex", "--path", "--aad",
      "--key-file", "--kdf", "--new-password-file", "--anchor");

  /** Options that are flags. */
  static final Set<String> FLAGS = Set.of(
      "--json", "--exportable", "--begin", "--complete", "--abort", "--now", "--verify", "--debug",
      "--verbose", "--help", "-h", "--allow-compromised", "--keep", "--allow-weak-kdf");

  private final String command;
  private final List<String> positionals;
  private final Map<String, String> options;
  private final Set<String> flags;

  private CliArgs(String command, List<String> positionals, Map<String, String> options, Set<String> flags) {
    this.command = command;
    this.positionals = Collections.unmodifiableList(positionals);
    this.options = Collections.unmodifiableMap(options);
    this.flags = Collections.unmodifiableSet(flags);
  }

  /**
   * Parses {@code argv}.
   *
   * @throws CliException a usage error for an unknown option, a missing value, a repeated option
   *     or a password given on the command line
   */
  static CliArgs parse(String[] argv) {
    String command = null;
    List<String> positionals = new ArrayList<>();
    Map<String, String> options = new HashMap<>();
    Set<String> flags = new HashSet<>();
    boolean optionsEnded = false;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (!optionsEnded && a.equals("--")) {
        optionsEnded = true;
      } else if (!optionsEnded && a.startsWith("-") && a.length() > 1) {
        String name = a;
        String value = null;
        int eq = a.indexOf('=');
        if (a.startsWith("--") && eq > 0) {
          name = a.substring(0, eq);
          value = a.substring(eq + 1);
        }
        if (name.equals("--password") || name.equals("--pin") || name.equals("-p") || name.equals("--new-password")) {
          // Never echo the value: it would be the secret itself.
          throw CliException.usage("passwords are never taken on the command line: set CLAVIS_PASSWORD, "
              + "use --password-file FILE, or type it at the prompt");
        }
        if (VALUED.contains(name)) {
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw CliException.usage("option " + name + " needs a value");
            }
            value = argv[++i];
          }
          if (options.put(name, value) != null) {
            throw CliException.usage("option " + name + " given twice");
          }
        } else if (FLAGS.contains(name)) {
          if (value != null) {
            throw CliException.usage("option " + name + " takes no value");
          }
          flags.add(name.equals("-h") ? "--help" : name);
        } else {
          throw CliException.usage("unknown option " + name);
        }
      } else if (command == null) {
        command = a;
      } else {
        positionals.add(a);
      }
    }
    return new CliArgs(command, positionals, options, flags);
  }

  /** @return the command, or null when none was given */
  String command() {
    return command;
  }

  /** @return the positional arguments after the command */
  List<String> positionals() {
    return positionals;
  }

  /** @return the value of an option, or null */
  String option(String name) {
    return options.get(name);
  }

  /** @return whether a flag was given */
  boolean flag(String name) {
    return flags.contains(name);
  }

  /** @return every option and flag name given */
  Set<String> givenOptions() {
    Set<String> all = new HashSet<>(options.keySet());
    all.addAll(flags);
    return all;
  }

  /**
   * Checks the number of positional arguments.
   *
   * @throws CliException a usage error naming the expected synopsis
   */
  void expectPositionals(int min, int max, String synopsis) {
    int n = positionals.size();
    if (n < min || n > max) {
      throw CliException.usage("usage: clavis " + synopsis);
    }
  }
}
