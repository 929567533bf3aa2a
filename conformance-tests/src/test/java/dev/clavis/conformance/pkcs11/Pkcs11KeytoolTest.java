package dev.clavis.conformance.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keytool reaches {@code ClavisProvider.configure} through {@code -providerarg}. */
class Pkcs11KeytoolTest {

  private static String[] run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("keytool timed out");
    }
    return new String[] {Integer.toString(p.exitValue()), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)};
  }

  private static List<String> keytool(String providerArg, String... more) {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-list", "-storetype", "ClavisPKCS11", "-keystore", "NONE", "-storepass", SoftHsm.PIN,
        "-providerpath", System.getProperty("java.class.path"),
        "-providerclass", "dev.clavis.provider.ClavisProvider", "-providerarg", providerArg));
    cmd.addAll(List.of(more));
    return cmd;
  }

  @Test
  void keytoolList_withProviderArg_listsTheTokenKeys() throws Exception {
    SoftHsm.require();
    String n = "keytool-" + UUID.randomUUID().toString().substring(0, 8);
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(SoftHsm.configFile())).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    String[] r = run(keytool(SoftHsm.configFile().toString()));
    assertEquals("0", r[0], r[1]);
    assertTrue(r[1].contains(n), r[1]);
  }

  @Test
  void keytoolList_badConfig_failsWithTheReason(@TempDir Path dir) throws Exception {
    Path cfg = Files.writeString(dir.resolve("bad.cfg"), "library = /nonexistent/libp11.so\ntokenLabel = x\n");
    String[] r = run(keytool(cfg.toString()));
    assertNotEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("/nonexistent/libp11.so"), r[1]);
  }
}
