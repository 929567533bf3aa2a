package dev.clavis.conformance.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Starts a class of the test class path in a child JVM, started light (C1 only, shared archive). */
final class ChildJvm {

  private ChildJvm() {}

  static ProcessBuilder builder(Class<?> main, Map<String, String> env, String... args) {
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
    pb.environment().remove("CLAVIS_PASSWORD");
    pb.environment().putAll(env);
    return pb;
  }

  static Process start(Class<?> main, Map<String, String> env, String... args) {
    try {
      return builder(main, env, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
