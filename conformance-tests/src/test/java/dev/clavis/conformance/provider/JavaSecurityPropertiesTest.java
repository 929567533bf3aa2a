package dev.clavis.conformance.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider installed from a {@code java.security} file: a child JVM started with
 * {@code -Djava.security.properties=<file>} naming {@code ClavisProvider} in the next free
 * {@code security.provider.N} slot finds it with {@code Security.getProvider("Clavis")} and wraps
 * with it, without the application registering anything.
 */
class JavaSecurityPropertiesTest {

  /** The first N with no {@code security.provider.N} in the JDK's own configuration. */
  private static int nextFreeSlot() {
    int n = 1;
    while (Security.getProperty("security.provider." + n) != null) {
      n++;
    }
    return n;
  }

  @Test
  void securityProviderEntry_childJvmFindsClavisAndWrapsWithIt(@TempDir Path dir) throws Exception {
    int slot = nextFreeSlot();
    Path props = dir.resolve("clavis.security");
    Files.writeString(props, "security.provider." + slot + "=dev.clavis.provider.ClavisProvider\n", StandardCharsets.UTF_8);

    ChildProcess child = ChildProcess.run(List.of(
        ChildProcess.jdkTool("java"),
        "-Djava.security.properties=" + props,
        "-cp", ChildProcess.testClassPath(),
        ProviderProbe.class.getName()));

    assertEquals(0, child.exitCode, child.toString());
    assertTrue(child.output.contains("OK position=" + slot + " class=dev.clavis.provider.ClavisProvider"), child.toString());
  }

  @Test
  void withoutTheEntry_childJvmHasNoClavis() throws Exception {
    // Control: the probe must not find Clavis by itself, or the test above would prove nothing.
    ChildProcess child = ChildProcess.run(List.of(
        ChildProcess.jdkTool("java"), "-cp", ChildProcess.testClassPath(), ProviderProbe.class.getName()));
    assertEquals(1, child.exitCode, child.toString());
    assertTrue(child.output.contains("MISSING Clavis provider"), child.toString());
  }
}
