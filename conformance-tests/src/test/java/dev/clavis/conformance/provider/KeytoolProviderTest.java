package dev.clavis.conformance.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keytool loads the provider with {@code -providerclass dev.clavis.provider.ClavisProvider
 * -providerpath <jars>}: it creates a secret key in a fresh PKCS12 store and lists it, as real
 * processes. A misspelt provider class makes the same command fail, which shows the option is
 * honoured.
 */
class KeytoolProviderTest {

  private static List<String> keytool(Path store, String providerClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildProcess.jdkTool("keytool"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of(
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
        "-providerclass", providerClass, "-providerpath", ChildProcess.testClassPath()));
    return cmd;
  }

  @Test
  void keytoolWithClavisProvider_genseckeyAndList_succeed(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("store.p12");
    ChildProcess gen = ChildProcess.run(keytool(store, "dev.clavis.provider.ClavisProvider",
        "-genseckey", "-alias", "kek", "-keyalg", "AES", "-keysize", "256", "-keypass", "changeit"));
    assertEquals(0, gen.exitCode, gen.toString());
    assertTrue(Files.size(store) > 0, "keytool wrote no store");

    ChildProcess list = ChildProcess.run(keytool(store, "dev.clavis.provider.ClavisProvider", "-list"));
    assertEquals(0, list.exitCode, list.toString());
    assertTrue(list.output.contains("kek,"), list.toString());
    assertTrue(list.output.contains("SecretKeyEntry"), list.toString());
  }

  @Test
  void keytoolWithUnknownProviderClass_fails(@TempDir Path dir) throws Exception {
    ChildProcess list = ChildProcess.run(keytool(dir.resolve("store.p12"), "dev.clavis.provider.NoSuchProvider",
        "-genseckey", "-alias", "kek", "-keyalg", "AES", "-keysize", "128", "-keypass", "changeit"));
    assertNotEquals(0, list.exitCode, list.toString());
    assertTrue(list.output.contains("dev.clavis.provider.NoSuchProvider"), list.toString());
  }
}
