package dev.clavis.cli;

import dev.clavis.keyring.Keyrings;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every subcommand shares: it reaches the global options and the streams through its parent,
 * runs with a {@link Context} that closes the keyring afterwards, and applies {@code --anchor} for
 * the length of the run only.
 */
abstract class CliCommand implements Callable<Integer> {

  @ParentCommand ClavisCommand top;

  @Spec CommandSpec spec;

  /**
   * Runs the command.
   *
   * @param ctx the streams, the options and the keyring
   * @return the exit code (0 on success)
   * @throws Exception any failure; {@link Main} turns it into one line on stderr
   */
  abstract int run(Context ctx) throws Exception;

  /** @return whether this command prints its result as JSON with {@code --json} */
  boolean printsJson() {
    return true;
  }

  /**
   * @return the exit code of {@link #run}
   * @throws Exception what {@link #run} throws; a usage error for {@code --json} where it does not apply
   */
  @Override
  public final Integer call() throws Exception {
    GlobalOptions g = top.globals;
    if (g.json && !printsJson()) {
      throw CliException.usage("option --json does not apply to '" + spec.name() + "' (see 'clavis help " + spec.name() + "')");
    }
    String before = System.getProperty(Keyrings.ANCHOR_PROPERTY);
    if (g.anchor != null) {
      System.setProperty(Keyrings.ANCHOR_PROPERTY, g.anchor);
    }
    try (Context ctx = new Context(g, top.in, top.out, top.err, top.env)) {
      // approvals reach the keyring's dangerous calls of this run (dual control, QuorumCommands)
      return dev.clavis.keyring.Approvals.call(QuorumCommands.approvals(g.approvals), () -> run(ctx));
    } catch (dev.clavis.keyring.QuorumRequiredException e) {
      throw QuorumCommands.required(e, g.approvalRequest);
    } finally {
      if (g.anchor != null) { // Main.run may run again in this JVM (tests, the demo)
        if (before == null) {
          System.clearProperty(Keyrings.ANCHOR_PROPERTY);
        } else {
          System.setProperty(Keyrings.ANCHOR_PROPERTY, before);
        }
      }
    }
  }
}
