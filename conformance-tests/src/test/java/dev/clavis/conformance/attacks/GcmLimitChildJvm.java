package dev.clavis.conformance.attacks;

import dev.clavis.testkit.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a class of the test class path (a worker of these attacks, or the CLI's
 * {@code dev.clavis.cli.Main}) as a real second process: a light child JVM (C1 only, shared
 * archive) with the store password in its environment.
 */
final class GcmLimitChildJvm {

  /** The password of every store these attacks open. */
  static final String PASSWORD = "attacks-pw-9e2b";

  private GcmLimitChildJvm() {}

  static Process start(Class<?> main, String... args) {
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(main.getName(), args));
    pb.environment().putAll(Map.of("CLAVIS_PASSWORD", PASSWORD));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the process (at most two minutes) and returns its standard output. */
  static String finish(Process p) throws Exception {
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 2 minutes");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("child JVM exited with " + p.exitValue() + ": " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
