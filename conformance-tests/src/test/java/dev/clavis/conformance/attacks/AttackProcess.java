package dev.clavis.conformance.attacks;

import dev.clavis.testkit.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a class of the test class path (the CLI's {@code dev.clavis.cli.Main}, a worker) in a
 * child JVM under {@code sh -c 'umask 022; exec java ...'}, so files it creates get the mode a
 * user with the common umask would see, whatever the test JVM's umask is.
 */
final class AttackProcess {

  /** The outcome of one run. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private AttackProcess() {}

  static ProcessBuilder builder(Path workDir, Map<String, String> env, List<String> jvmOptions, String main,
      String... args) {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 022; exec \"$0\" \"$@\""));
    cmd.addAll(ChildJvm.command(jvmOptions, main, args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().remove("CLAVIS_PASSWORD");
    pb.environment().remove("CLAVIS_STORE");
    pb.environment().putAll(env);
    return pb;
  }

  static Result run(ProcessBuilder pb, long timeoutSeconds) {
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread to = pump(p.getInputStream(), out);
      Thread te = pump(p.getErrorStream(), err);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(pb.command().subList(3, pb.command().size()) + " did not finish in " + timeoutSeconds + " s");
      }
      to.join();
      te.join();
      return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs the CLI in {@code workDir} with the password in {@code CLAVIS_PASSWORD}. */
  static Result cli(Path workDir, String password, String... args) {
    return run(builder(workDir, Map.of("CLAVIS_PASSWORD", password), List.of(), "dev.clavis.cli.Main", args), 120);
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    Thread t = new Thread(() -> {
      try {
        in.transferTo(sink);
      } catch (IOException e) {
        // the process ended
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
