package dev.clavis.conformance.attacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Xshare:auto");
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
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
