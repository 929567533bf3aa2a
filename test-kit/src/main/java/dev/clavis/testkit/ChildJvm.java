package dev.clavis.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Command lines for real child processes of the tests: a class of the test class path in a
 * second JVM, started light (C1 only, shared archive, 256 MB heap), or a tool of the running JDK.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * @param mainClass the class to run, on the test class path
   * @param args its arguments
   * @return {@code java -XX:TieredStopAtLevel=1 -Xshare:auto -Xmx256m -cp <test class path> mainClass args...}
   */
  public static List<String> command(String mainClass, String... args) {
    return command(List.of(), mainClass, args);
  }

  /**
   * As {@link #command(String, String...)}, with JVM options before {@code -cp}; an {@code -Xmx}
   * among them replaces the default 256 MB.
   *
   * @param jvmOptions options of the child JVM ({@code -D...}, {@code -Xmx128m})
   * @param mainClass the class to run, on the test class path
   * @param args its arguments
   * @return the command line
   */
  public static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(jdkTool("java"), "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
      cmd.add("-Xmx256m");
    }
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", testClassPath(), mainClass));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /**
   * A child JVM running {@code main} ({@link #command(String, String...)}) whose environment has the
   * test JVM's, without {@code CLAVIS_PASSWORD} (a child gets only the secrets the test gives it),
   * plus {@code env}.
   *
   * @param main the class to run, on the test class path
   * @param env variables to set
   * @param args its arguments
   * @return the process builder, not started
   */
  public static ProcessBuilder builder(Class<?> main, Map<String, String> env, String... args) {
    ProcessBuilder pb = new ProcessBuilder(command(main.getName(), args));
    pb.environment().remove("CLAVIS_PASSWORD");
    pb.environment().putAll(env);
    return pb;
  }

  /**
   * Starts {@link #builder} with the child's standard error on the test JVM's.
   *
   * @param main the class to run, on the test class path
   * @param env variables to set
   * @param args its arguments
   * @return the started process
   * @throws UncheckedIOException if it cannot be started
   */
  public static Process start(Class<?> main, Map<String, String> env, String... args) {
    try {
      return builder(main, env, args).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param name a binary of the running JDK ({@code java}, {@code keytool})
   * @return its path
   */
  public static String jdkTool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  /** @return the test JVM's class path: the module's classes, its dependencies and the test classes */
  public static String testClassPath() {
    return System.getProperty("java.class.path");
  }
}
