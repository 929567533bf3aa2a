package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast-start launcher {@code target/clavis} and its class-data archive {@code target/clavis.jsa}
 * (docs/cli-startup.md), run by failsafe after {@code package} as real processes: the launcher
 * gives what {@code java -jar clavis.jar} gives, and the JVM it starts really maps the archive.
 */
class LauncherIT {

  private static final Path JAR = Path.of(System.getProperty("clavis.jar", "target/clavis.jar")).toAbsolutePath();
  private static final Path LAUNCHER = JAR.resolveSibling("clavis");
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;

  private static final class Run {
    final int exit;
    final String out;

    Run(int exit, String out) {
      this.exit = exit;
      this.out = out;
    }
  }

  private Run run(List<String> cmd, Map<String, String> extraEnv) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("CLAVIS_STORE", dir.resolve("s.store").toString());
    pb.environment().put("CLAVIS_PASSWORD", "launcher test passphrase");
    pb.environment().remove("CLAVIS_JAVA_OPTS");
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread err = new Thread(() -> drain(p.getErrorStream(), out));
    err.start();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(stdout);
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "process did not finish: " + cmd);
    err.join();
    return new Run(p.exitValue(), stdout.toString(StandardCharsets.UTF_8)
        + "\n--- stderr\n" + out.toString(StandardCharsets.UTF_8));
  }

  private static void drain(InputStream in, ByteArrayOutputStream to) {
    try (in) {
      in.transferTo(to);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Run javaJar(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of());
  }

  private Run launcher(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, env);
  }

  @Test
  void launcher_isBuiltExecutableWithItsArchive() {
    assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " missing or not executable");
    assertTrue(Files.isRegularFile(JAR.resolveSibling("clavis.jsa")), "clavis.jsa was not dumped at package time");
  }

  @Test
  void launcher_listAndUsageError_sameOutputAndExitCodesAsJavaJar() throws Exception {
    assertEquals(0, javaJar("init").exit);
    assertEquals(0, javaJar("create", "payments").exit);
    Run viaJar = javaJar("list");
    Run viaLauncher = launcher(Map.of(), "list");
    assertEquals(0, viaJar.exit, viaJar.out);
    assertEquals(viaJar.out, viaLauncher.out);
    assertEquals(viaJar.exit, viaLauncher.exit);
    assertTrue(viaLauncher.out.contains("payments"), viaLauncher.out);

    Run badJar = javaJar("list", "--no-such-option");
    Run badLauncher = launcher(Map.of(), "list", "--no-such-option");
    assertEquals(2, badJar.exit, badJar.out);
    assertEquals(badJar.exit, badLauncher.exit);
    assertEquals(badJar.out, badLauncher.out);
  }

  @Test
  void launcher_mapsTheArchive_cliClassesComeFromSharedSpace() throws Exception {
    Path log = dir.resolve("classes.log");
    Run r = launcher(Map.of("CLAVIS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "-V");
    assertEquals(0, r.exit, r.out);
    String classes = Files.readString(log);
    // A class from the archive is logged as "source: shared objects file (top)" (the dynamic
    // archive on top of the JDK's); one read from the jar names the jar instead.
    assertTrue(classes.lines().anyMatch(l -> l.contains("dev.clavis.cli.Main ") && l.contains("shared objects file")),
        "dev.clavis.cli.Main was not loaded from clavis.jsa:\n"
            + classes.lines().filter(l -> l.contains("dev.clavis.cli.Main ")).findFirst().orElse("(not loaded)"));
  }
}
