package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testkit.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real processes for the attack tests: the clavis CLI, the JDK's keytool, a child JVM. */
final class Processes {

  private Processes() {}

  /** A started process whose merged output is collected as it comes, and whose stdin stays open. */
  static final class Running {
    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    Running(Process process) {
      this.process = process;
      this.reader = new Thread(() -> {
        try (InputStream in = process.getInputStream()) {
          byte[] buf = new byte[4096];
          int n;
          while ((n = in.read(buf)) > 0) {
            output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          output.append("\n[reader: ").append(e).append(']');
        }
      }, "process-output");
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until the output contains {@code text} (a prompt, a marker line). */
    Running awaitOutput(String text) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!output.toString().contains(text)) {
        assertTrue(process.isAlive() || output.toString().contains(text),
            "the process ended before printing '" + text + "':\n" + output);
        assertTrue(System.nanoTime() < deadline, "timed out waiting for '" + text + "':\n" + output);
        Thread.sleep(20);
      }
      return this;
    }

    /** Writes {@code text} to the process's stdin (and closes it if {@code close}). */
    Running type(String text, boolean close) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write(text.getBytes(StandardCharsets.UTF_8));
      in.flush();
      if (close) {
        in.close();
      }
      return this;
    }

    /** Waits for the end; returns the exit code. */
    int exit() throws InterruptedException {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the process hung:\n" + output);
      reader.join(5_000);
      return process.exitValue();
    }

    String output() {
      return output.toString();
    }
  }

  /** The outcome of a process run to its end. */
  record Result(int exit, String output) {
    @Override
    public String toString() {
      return "exit " + exit + ":\n" + output;
    }
  }

  private static Running start(Path dir, Map<String, String> env, List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("CLAVIS_PASSWORD");
    pb.environment().putAll(env);
    return new Running(pb.start());
  }

  /** keytool with the Clavis provider (the test class path as {@code -providerpath}). */
  static Running keytool(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.jdkTool("keytool"));
    cmd.addAll(Arrays.asList(args));
    int i = cmd.indexOf("-providerarg");
    // -providerarg must follow -providerclass: insert the provider options before it
    List<String> provider = List.of("-providerpath", ChildJvm.testClassPath(), "-providerclass",
        "dev.clavis.provider.ClavisProvider");
    if (i >= 0) {
      cmd.addAll(i, provider);
    } else {
      cmd.addAll(provider);
    }
    return start(dir, Map.of(), cmd);
  }

  /** The clavis CLI, started (not waited for), with the store password in its environment. */
  static Running startCli(Path dir, String password, String... args) throws IOException {
    return startJava(dir, Map.of("CLAVIS_PASSWORD", password), "dev.clavis.cli.Main", args);
  }

  /** The clavis CLI, run to its end. */
  static Result cli(Path dir, String password, String... args) throws IOException, InterruptedException {
    Running r = startCli(dir, password, args);
    r.process.getOutputStream().close();
    int exit = r.exit();
    return new Result(exit, r.output());
  }

  /** A class of the test class path in a child JVM. */
  static Running startJava(Path dir, Map<String, String> env, String mainClass, String... args) throws IOException {
    return start(dir, env, ChildJvm.command(mainClass, args));
  }
}
