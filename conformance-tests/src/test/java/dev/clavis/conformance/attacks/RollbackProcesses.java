package dev.clavis.conformance.attacks;

import dev.clavis.testkit.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real processes for the rollback and audit-log attacks: the CLI ({@code dev.clavis.cli.Main}) and
 * other mains of the test class path in child JVMs, started light.
 */
final class RollbackProcesses {

  /** The outcome of one CLI run. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private RollbackProcesses() {}

  static ProcessBuilder builder(Class<?> main, Map<String, String> env, List<String> jvmArgs, String... args) {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(jvmArgs, main.getName(), args));
    pb.environment().remove("CLAVIS_PASSWORD");
    pb.environment().remove("CLAVIS_STORE");
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs {@code clavis ARGS} with the password in the environment. */
  static Result cli(String password, List<String> jvmArgs, String... args) {
    try {
      Process p = builder(dev.clavis.cli.Main.class, Map.of("CLAVIS_PASSWORD", password), jvmArgs, args).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("clavis " + String.join(" ", args) + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Result cli(String password, String... args) {
    return cli(password, List.of(), args);
  }
}
