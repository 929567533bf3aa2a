package dev.clavis.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Words for what picocli found wrong with a command line: an unknown command or option with the
 * nearest names ({@code did you mean 'list'?}), an option of another command, a missing argument
 * with the command's synopsis. One line, without picocli's usage dump.
 */
final class UsageErrors {

  private UsageErrors() {}

  /** @return the usage error {@code e} describes, as a {@link CliException} */
  static CliException translate(ParameterException e) {
    CommandLine cl = e.getCommandLine();
    if (e instanceof UnmatchedArgumentException) {
      return unmatched((UnmatchedArgumentException) e, cl);
    }
    if (e instanceof MissingParameterException) {
      return CliException.usage(e.getMessage() + " (usage: " + synopsis(cl.getCommandSpec()) + ")");
    }
    return CliException.usage(e.getMessage());
  }

  private static CliException unmatched(UnmatchedArgumentException e, CommandLine cl) {
    List<String> unmatched = e.getUnmatched();
    String first = unmatched.isEmpty() ? "" : unmatched.get(0);
    int eq = first.indexOf('=');
    String name = first.startsWith("--") && eq > 0 ? first.substring(0, eq) : first;
    String hint = suggestion(e.getSuggestions());
    CommandSpec spec = cl.getCommandSpec();
    boolean top = spec.parent() == null;
    if (first.startsWith("-") && first.length() > 1) {
      String owner = ownerOf(spec.root(), name);
      if (owner != null && !top) {
        return CliException.usage("option " + name + " does not apply to '" + spec.name() + "'; it belongs to '" + owner
            + "' (usage: " + synopsis(spec) + ")");
      }
      return CliException.usage("unknown option " + name + (top ? "" : " for '" + spec.name() + "'") + hint);
    }
    if (top) {
      return CliException.usage("unknown command '" + first + "'" + (hint.isEmpty() ? "; 'clavis help' lists the commands" : hint));
    }
    return CliException.usage("unexpected argument '" + first + "' (usage: " + synopsis(spec) + ")");
  }

  private static String suggestion(List<String> suggestions) {
    if (suggestions == null || suggestions.isEmpty()) {
      return "";
    }
    return "; did you mean '" + suggestions.get(0) + "'?"; // picocli orders them by similarity
  }

  /** @return the first command that has option {@code name}, or null */
  private static String ownerOf(CommandSpec root, String name) {
    for (CommandLine sub : root.subcommands().values()) {
      if (sub.getCommandSpec().findOption(name) != null) {
        return sub.getCommandName();
      }
    }
    return null;
  }

  /** @return {@code clavis CMD ARG... [OPTIONS]}, short enough for the error line */
  static String synopsis(CommandSpec spec) {
    StringBuilder sb = new StringBuilder(spec.qualifiedName());
    for (PositionalParamSpec p : spec.positionalParameters()) {
      sb.append(' ').append(p.paramLabel());
    }
    return sb.append(" [OPTIONS]").toString();
  }
}
