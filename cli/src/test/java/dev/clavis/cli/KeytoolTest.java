package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's keytool on a Clavis store, as README.md shows it: real keytool processes with
 * {@code -providerclass dev.clavis.provider.ClavisProvider -providerpath <jars> -storetype Clavis},
 * real files; the results are then read back with keytool and with the clavis CLI.
 */
class KeytoolTest {

  private static final String PW = "store-password-1";

  @TempDir Path dir;

  /** keytool with the Clavis provider on its provider path. */
  private String keytool(String stdin, int expectedExit, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(Arrays.asList(args));
    cmd.addAll(List.of("-providerclass", "dev.clavis.provider.ClavisProvider", "-providerpath", CliProcess.classPath()));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "keytool hung");
    String text = out.toString(StandardCharsets.UTF_8);
    assertEquals(expectedExit, p.exitValue(), () -> "keytool " + String.join(" ", args) + "\n" + text);
    return text;
  }

  private String[] clavisStore(String... rest) {
    List<String> a = new ArrayList<>(List.of("-keystore", "keys.clavis", "-storetype", "Clavis", "-storepass", PW));
    a.addAll(Arrays.asList(rest));
    return a.toArray(new String[0]);
  }

  private static String[] concat(String[] a, String... b) {
    String[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private String clavisList() {
    CliProcess.Result r = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PW)).run("list", "--json", "--store", "keys.clavis");
    assertEquals(0, r.exit, r::toString);
    return r.out();
  }

  @Test
  void genseckeyListDelete_onClavisStore() throws Exception {
    lightStore();
    keytool(null, 0, concat(new String[] {"-genseckey", "-alias", "payments", "-keyalg", "AES", "-keysize", "256", "-keypass", PW},
        clavisStore()));
    keytool(null, 0, concat(new String[] {"-genseckey", "-alias", "tokens", "-keyalg", "HmacSHA256", "-keysize", "256", "-keypass", PW},
        clavisStore()));
    assertTrue(Files.size(dir.resolve("keys.clavis")) > 0);

    String list = keytool(null, 0, concat(new String[] {"-list"}, clavisStore()));
    assertTrue(list.contains("payments") && list.contains("tokens"), list);
    assertTrue(list.contains("2 entries"), list);
    String json = clavisList();
    assertTrue(json.contains("\"name\":\"payments\"") && json.contains("\"state\":\"ACTIVE\""), json);

    keytool(null, 0, concat(new String[] {"-delete", "-alias", "tokens"}, clavisStore()));
    list = keytool(null, 0, concat(new String[] {"-list"}, clavisStore()));
    assertTrue(list.contains("payments") && !list.contains("tokens"), list);
    assertFalse(clavisList().contains("\"name\":\"tokens\""));
    // keytool's changes went to the store's own audit log
    CliProcess.Result audit = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PW)).run("audit", "--verify", "--store", "keys.clavis");
    assertEquals(0, audit.exit, audit::toString);
  }

  @Test
  void genseckey_onAMissingStoreFile_isRefused_nothingCreated() throws Exception {
    String out = keytool(null, 1, concat(new String[] {"-genseckey", "-alias", "payments", "-keyalg", "AES", "-keysize", "256",
        "-keypass", PW}, clavisStore()));
    assertTrue(out.contains("clavis init"), out);
    assertFalse(Files.exists(dir.resolve("keys.clavis")));
  }

  /** Creates the Clavis store with the lightest Argon2id, so each keytool run opens it fast. */
  private void lightStore() {
    CliProcess.Result r = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PW))
        .run("init", "--store", "keys.clavis", "--kdf", "argon2id:t=1,m=8,p=1", "--allow-weak-kdf");
    assertEquals(0, r.exit, r::toString);
  }

  @Test
  void list_wrongStorePassword_fails() throws Exception {
    lightStore();
    keytool(null, 0, concat(new String[] {"-genseckey", "-alias", "payments", "-keyalg", "AES", "-keysize", "128", "-keypass", PW},
        clavisStore()));
    String out = keytool(null, 1, "-list", "-keystore", "keys.clavis", "-storetype", "Clavis", "-storepass", "wrong-password");
    assertTrue(out.contains("keytool error"), out);
  }

  @Test
  void importpass_storesAPasswordEntry() throws Exception {
    lightStore();
    keytool("db-password-42\ndb-password-42\n", 0,
        concat(new String[] {"-importpass", "-alias", "dbpass", "-keypass", PW}, clavisStore()));
    String list = keytool(null, 0, concat(new String[] {"-list"}, clavisStore()));
    assertTrue(list.contains("dbpass"), list);
    assertFalse(list.contains("db-password-42"), list);
  }

  @Test
  void importkeystore_fromPkcs12_andFromJceks_intoClavis() throws Exception {
    lightStore();
    keytool(null, 0, "-genseckey", "-alias", "legacy-p12", "-keyalg", "AES", "-keysize", "256",
        "-keystore", "old.p12", "-storetype", "PKCS12", "-storepass", PW);
    keytool(null, 0, "-genseckey", "-alias", "legacy-jceks", "-keyalg", "AES", "-keysize", "128",
        "-keystore", "old.jceks", "-storetype", "JCEKS", "-storepass", PW, "-keypass", PW);

    keytool(null, 0, "-importkeystore", "-noprompt",
        "-srckeystore", "old.p12", "-srcstoretype", "PKCS12", "-srcstorepass", PW,
        "-destkeystore", "keys.clavis", "-deststoretype", "Clavis", "-deststorepass", PW);
    keytool(null, 0, "-importkeystore", "-noprompt",
        "-srckeystore", "old.jceks", "-srcstoretype", "JCEKS", "-srcstorepass", PW, "-srckeypass", PW,
        "-srcalias", "legacy-jceks", "-destkeypass", PW,
        "-destkeystore", "keys.clavis", "-deststoretype", "Clavis", "-deststorepass", PW);

    String list = keytool(null, 0, concat(new String[] {"-list"}, clavisStore()));
    assertTrue(list.contains("legacy-p12") && list.contains("legacy-jceks"), list);
    String json = clavisList();
    assertTrue(json.contains("\"name\":\"legacy-p12\"") && json.contains("\"name\":\"legacy-jceks\""), json);
    assertTrue(json.contains("\"origin\":\"IMPORTED\""), json);
  }
}
