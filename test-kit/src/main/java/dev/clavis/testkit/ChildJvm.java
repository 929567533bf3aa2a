package dev.clavis.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    List<String> cmd = new ArrayList<>(List.of(jdkTool("java"), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-Xmx256m", "-cp", testClassPath(), mainClass));
    cmd.addAll(Arrays.asList(args));
    return cmd;
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
