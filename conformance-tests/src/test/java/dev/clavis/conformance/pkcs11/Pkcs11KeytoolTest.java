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

  /** keytool's -genseckey command line against the token, with or without -providername. */
  private static List<String> genseckey(String alias, String keyalg, boolean byName) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genseckey", "-alias", alias, "-keyalg", keyalg, "-keysize", "256", "-keypass", SoftHsm.PIN,
        "-storetype", "ClavisPKCS11", "-keystore", "NONE", "-storepass", SoftHsm.PIN,
        "-providerpath", System.getProperty("java.class.path"),
        "-providerclass", "dev.clavis.provider.ClavisProvider", "-providerarg", SoftHsm.configFile().toString()));
    if (byName) {
      cmd.addAll(List.of("-providername", "Clavis-softhsm"));
    }
    return cmd;
  }

  /** @return pkcs11-tool's description of the one secret-key object labelled {@code label} */
  private static String pkcs11ToolObject(String label) throws Exception {
    String[] r = run(List.of("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(), "--token-label", SoftHsm.LABEL,
        "--login", "--pin", SoftHsm.PIN, "--list-objects", "--type", "secrkey"));
    assertEquals("0", r[0], r[1]);
    List<String> found = new ArrayList<>();
    for (String obj : r[1].split("(?=Secret Key Object)")) {
      if (obj.lines().anyMatch(l -> l.trim().equals("label:      " + label))) {
        found.add(obj);
      }
    }
    assertEquals(1, found.size(), "one secret key labelled " + label + ":\n" + r[1]);
    return found.get(0);
  }

  private static void assertGeneratedOnToken(String alias) throws Exception {
    String obj = pkcs11ToolObject(alias + "#1");
    String access = obj.lines().filter(l -> l.trim().startsWith("Access:")).findFirst().orElseThrow(
        () -> new AssertionError("no Access line:\n" + obj));
    assertTrue(access.contains("never extractable"), "pkcs11-tool: " + access);
    assertTrue(access.contains("local"), "generated on the token (CKA_LOCAL), pkcs11-tool: " + access);
    assertTrue(access.contains("always sensitive"), "pkcs11-tool: " + access);
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(SoftHsm.configFile()))
        .pin(SoftHsm.PIN.toCharArray()))) {
      assertEquals(dev.clavis.keyring.KeyVersionInfo.Origin.GENERATED,
          ring.find(alias).orElseThrow().version(1).orElseThrow().origin());
    }
  }

  @Test
  void keytoolGenseckey_withProviderArg_generatesOnTheToken_localNeverExtractable() throws Exception {
    SoftHsm.require();
    String n = "kt-gen-" + UUID.randomUUID().toString().substring(0, 8);
    String[] r = run(genseckey(n, "AES", false));
    assertEquals("0", r[0], r[1]);
    assertGeneratedOnToken(n);
  }

  @Test
  void keytoolGenseckey_withProviderName_generatesOnTheToken_hmacToo() throws Exception {
    SoftHsm.require();
    String n = "kt-mac-" + UUID.randomUUID().toString().substring(0, 8);
    String[] r = run(genseckey(n, "HmacSHA256", true));
    assertEquals("0", r[0], r[1]);
    assertGeneratedOnToken(n);
  }

  /**
   * {@code -providername Clavis-softhsm} alone: the configured provider comes from a
   * {@code java.security} entry with the configuration file as its argument, the class from
   * keytool's class path.
   */
  @Test
  void keytoolGenseckey_providerNameFromJavaSecurity_generatesOnTheToken(@TempDir Path dir) throws Exception {
    SoftHsm.require();
    Path javaHome = Paths.get(System.getProperty("java.home"));
    long jdkProviders = Files.readAllLines(javaHome.resolve("conf/security/java.security")).stream()
        .filter(l -> l.matches("security\\.provider\\.\\d+=.*")).count();
    Path security = Files.writeString(dir.resolve("clavis.security"), "security.provider." + (jdkProviders + 1)
        + "=dev.clavis.provider.ClavisProvider " + SoftHsm.configFile() + "\n");
    String n = "kt-name-" + UUID.randomUUID().toString().substring(0, 8);
    String[] r = run(List.of(javaHome.resolve("bin/keytool").toString(),
        "-J-Djava.security.properties=" + security, "-J-cp", "-J" + System.getProperty("java.class.path"),
        "-genseckey", "-alias", n, "-keyalg", "AES", "-keysize", "192", "-keypass", SoftHsm.PIN,
        "-storetype", "ClavisPKCS11", "-keystore", "NONE", "-storepass", SoftHsm.PIN, "-providername", "Clavis-softhsm"));
    assertEquals("0", r[0], r[1]);
    assertGeneratedOnToken(n);
  }

  @Test
  void keytoolList_badConfig_failsWithTheReason(@TempDir Path dir) throws Exception {
    Path cfg = Files.writeString(dir.resolve("bad.cfg"), "library = /nonexistent/libp11.so\ntokenLabel = x\n");
    String[] r = run(keytool(cfg.toString()));
    assertNotEquals("0", r[0], r[1]);
    assertTrue(r[1].contains("/nonexistent/libp11.so"), r[1]);
  }
}
