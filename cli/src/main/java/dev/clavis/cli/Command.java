package dev.clavis.cli;

/** One CLI command. */
@FunctionalInterface
interface Command {
  /**
   * Runs the command.
   *
   * @return the exit code (0 on success)
   * @throws Exception any failure; {@link Main} turns it into one line on stderr
   */
  int run(Context ctx) throws Exception;
}
