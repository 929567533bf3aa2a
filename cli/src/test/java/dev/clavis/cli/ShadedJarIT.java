package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded {@code clavis.jar} as users get it (run by failsafe after {@code package}): it
 * registers Clavis and no other provider, carries no Bouncy Castle, and {@code java -jar} runs.
 */
class ShadedJarIT {

  private static final Path JAR = Path.of(System.getProperty("clavis.jar", "target/clavis.jar"));

  @TempDir Path dir;

  @Test
  void servicesFile_listsOnlyClavisProvider() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      String services;
      try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/services/java.security.Provider"))) {
        services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      List<String> names = services.lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
      assertEquals(List.of("dev.clavis.provider.ClavisProvider"), names, services);
    }
  }

  @Test
  void jar_carriesNoBouncyCastle() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> bc = jar.stream().map(e -> e.getName())
          .filter(n -> n.contains("bouncycastle")).limit(5).collect(Collectors.toList());
      assertEquals(List.of(), bc);
    }
  }

  @Test
  void serviceLoader_overTheJar_findsClavisAlone() throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      List<String> found = new ArrayList<>();
      for (ServiceLoader.Provider<Provider> p : ServiceLoader.load(Provider.class, loader).stream()
          .collect(Collectors.toList())) {
        if (p.type().getClassLoader() == loader) { // the JDK's own providers come from the platform
          found.add(p.get().getName());
        }
      }
      assertEquals(List.of("Clavis"), found);
    }
  }

  @Test
  void javaJar_demo_runs() throws Exception {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString(), "demo");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "demo did not finish");
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("Rotate") && text.contains("Audit") && text.contains("Done in"), text);
    // stderr is merged: JDK 22+ would print a native-access warning if the manifest lacked it
    assertTrue(!text.contains("WARNING"), text);
    try (var left = Files.list(dir)) {
      assertEquals(List.of(), left.collect(Collectors.toList()), "demo left files in the working directory");
    }
  }
  @Test
  void servicesFile_listsThePostgresBackend() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      String services;
      try (InputStream in = jar.getInputStream(jar.getEntry(
          "META-INF/services/dev.clavis.keyring.spi.DatabaseBackendFactory"))) {
        services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertEquals(List.of("dev.clavis.jdbc.PostgresBackendFactory"), services.lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList()));
      assertTrue(jar.getEntry("org/postgresql/Driver.class") != null, "the driver is shaded in");
    }
  }

  @Test
  void javaJar_withDb_createsAndListsAKeyringInPostgres() throws Exception {
    dev.clavis.testkit.Postgres pg = dev.clavis.testkit.Postgres.require();
    String db = pg.createDatabase();
    String[] on = {"--db", pg.jdbcUrlWithoutCredentials(db), "--db-property",
        "clavis.commitMark=" + dir.resolve("jar.mark")};
    String init = jar(on, "init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf");
    assertTrue(init.contains("created keyring 'default' in jdbc:postgresql://"), init);
    jar(on, "create", "from-the-jar");
    String list = jar(on, "list");
    assertTrue(list.contains("from-the-jar"), list);
  }

  /** Runs {@code java -jar clavis.jar} with the database credentials in the environment; fails unless it exits 0. */
  private String jar(String[] global, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(global));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PGUSER", dev.clavis.testkit.Postgres.USER);
    pb.environment().put("PGPASSWORD", dev.clavis.testkit.Postgres.PASSWORD);
    pb.environment().put("CLAVIS_PASSWORD", "jar ring pw");
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "clavis did not finish");
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    return text;
  }
}
