package dev.clavis.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code dev.clavis.cli.Main} in a child JVM, as a user runs the jar: real process, real
 * files, stdin bytes in, stdout bytes and stderr text out, exit code.
 */
final class CliProcess {

  /** The outcome of one run. */
  static final class Result {
    final int exit;
    final byte[] stdout;
    final String stderr;

    Result(int exit, byte[] stdout, String stderr) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out() + "\n--- stderr\n" + stderr;
    }
  }

  private final Path workDir;
  private final Map<String, String> env;

  CliProcess(Path workDir, Map<String, String> env) {
    this.workDir = workDir;
    this.env = env;
  }

  Result run(byte[] stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1"); // start-up speed only: these runs are short
    cmd.add("-Xshare:auto");
    if (Runtime.version().feature() >= 22) {
      // JNA loads the PKCS#11 module: without this, JDK 22+ prints restricted-method warnings first
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.clavis.cli.Main");
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().remove("CLAVIS_PASSWORD");
    pb.environment().remove("CLAVIS_STORE");
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread to = pump(p.getInputStream(), out);
      Thread te = pump(p.getErrorStream(), err);
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      } catch (IOException e) {
        // the child may exit before reading stdin (usage errors); its exit code tells the story
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("clavis " + String.join(" ", args) + " did not finish in 120 s");
      }
      to.join();
      te.join();
      return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Result run(String... args) {
    return run(null, args);
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

  /** @return the test class path, which holds the provider and its runtime dependencies (keytool's -providerpath) */
  static String classPath() {
    return System.getProperty("java.class.path");
  }
}
