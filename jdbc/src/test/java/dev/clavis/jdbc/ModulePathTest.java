package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.jdbcmodule.ModulePathMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * clavis-jdbc on the module path, as an automatic module {@code dev.clavis.jdbc} next to the named
 * module {@code dev.clavis.provider}: the provider's ServiceLoader must be allowed to find it
 * ({@code uses}) and it must reach the provider's packages it is built on (the file store's
 * protectors and {@code MemoryMaterial}: {@code exports dev.clavis.keyring.file to dev.clavis.jdbc}).
 * Run as a real JVM with {@code --module-path}.
 */
class ModulePathTest {

  @TempDir Path dir;

  /** The jdbc classes as a jar with the manifest the module's pom gives it. */
  private Path jdbcJar() throws IOException {
    Path classes = Path.of(PostgresKeyBackend.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    Path pom = classes.getParent().getParent().resolve("pom.xml");
    assertTrue(Files.readString(pom).contains("<Automatic-Module-Name>dev.clavis.jdbc</Automatic-Module-Name>"),
        "the jdbc jar's manifest names its module");
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(new Attributes.Name("Automatic-Module-Name"), "dev.clavis.jdbc");
    Path jar = dir.resolve("clavis-jdbc.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m); Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        try (var in = Files.newInputStream(f)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }

  private static String entry(String what, java.util.function.Predicate<String> p) {
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (p.test(e.replace(File.separatorChar, '/'))) {
        return e;
      }
    }
    throw new AssertionError("not on the test class path: " + what);
  }

  @Test
  void aDatabaseKeyringOpens_withProviderAndJdbcOnTheModulePath() throws Exception {
    PgKeyrings pgk = new PgKeyrings(dir);
    String provider = entry("clavis-provider's classes", e -> e.endsWith("provider/target/classes")
        || e.matches(".*/clavis-provider-[^/]*[0-9T](-SNAPSHOT)?\\.jar"));
    String nativeMod = entry("clavis-native's classes", e -> e.endsWith("native/target/classes")
        || e.matches(".*/clavis-native-[^/]*[0-9T](-SNAPSHOT)?\\.jar"));
    String jna = entry("JNA", e -> e.matches(".*/jna-[0-9.]+\\.jar"));
    String driver = entry("the PostgreSQL driver", e -> e.matches(".*/postgresql-[0-9.]+\\.jar"));
    String main = Path.of(ModulePathMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", String.join(File.pathSeparator, provider, nativeMod, jna, driver, jdbcJar().toString()),
        "--add-modules", "dev.clavis.provider,dev.clavis.jdbc,org.postgresql.jdbc",
        "-cp", main, ModulePathMain.class.getName(), pgk.url, dir.resolve("modules.mark").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      // no input
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("ok provider=dev.clavis.provider backend=dev.clavis.provider"), out);
  }
}
