package dev.clavis.conformance.provider;

import dev.clavis.testkit.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a JDK tool as a real process and captures its exit code and output. */
final class ChildProcess {

  final int exitCode;
  final String output;

  private ChildProcess(int exitCode, String output) {
    this.exitCode = exitCode;
    this.output = output;
  }

  /** The JDK binary {@code name} of the running JVM ({@code java}, {@code keytool}). */
  static String jdkTool(String name) {
    return ChildJvm.jdkTool(name);
  }

  /** The test JVM's class path: the provider's classes or jar and its dependencies. */
  static String testClassPath() {
    return ChildJvm.testClassPath();
  }

  static ChildProcess run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command.get(0));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new ChildProcess(p.exitValue(), out);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + ", output:\n" + output;
  }
}
