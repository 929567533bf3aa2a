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

  /**
   * Opens the Clavis store keytool wrote in this JVM, live ({@code KeyringParameter}): each
   * change (an audited read) commits and lets the lock go, so the CLI can read the log after it.
   */
  private java.security.KeyStore openClavis() throws Exception {
    if (java.security.Security.getProvider("Clavis") == null) {
      java.security.Security.addProvider(new dev.clavis.provider.ClavisProvider());
    }
    java.security.KeyStore ks = java.security.KeyStore.getInstance("Clavis");
    ks.load(dev.clavis.spec.KeyringParameter.existing(dir.resolve("keys.clavis"), PW.toCharArray()));
    return ks;
  }

  @Test
  void pkcs12AesKeyAndItsCbcData_migratedByKeytool_decryptThroughClavis() throws Exception {
    lightStore();
    java.security.SecureRandom rnd = new java.security.SecureRandom();
    byte[] aes = new byte[32];
    byte[] hmac = new byte[64];
    rnd.nextBytes(aes);
    rnd.nextBytes(hmac);
    java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
    p12.load(null, null);
    java.security.KeyStore.PasswordProtection prot = new java.security.KeyStore.PasswordProtection(PW.toCharArray());
    p12.setEntry("legacy-aes", new java.security.KeyStore.SecretKeyEntry(new javax.crypto.spec.SecretKeySpec(aes, "AES")), prot);
    p12.setEntry("legacy-mac", new java.security.KeyStore.SecretKeyEntry(
        new javax.crypto.spec.SecretKeySpec(hmac, "HmacSHA512")), prot);
    try (OutputStream out = Files.newOutputStream(dir.resolve("old.p12"))) {
      p12.store(out, PW.toCharArray());
    }
    // the application's old data, made with SunJCE before the migration
    byte[] plaintext = "an old record, encrypted with AES/CBC/PKCS5Padding in 2019".getBytes(StandardCharsets.UTF_8);
    byte[] iv = new byte[16];
    rnd.nextBytes(iv);
    javax.crypto.Cipher sun = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding", "SunJCE");
    sun.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(aes, "AES"),
        new javax.crypto.spec.IvParameterSpec(iv));
    byte[] oldCiphertext = sun.doFinal(plaintext);
    javax.crypto.Mac sunMac = javax.crypto.Mac.getInstance("HmacSHA512", "SunJCE");
    sunMac.init(new javax.crypto.spec.SecretKeySpec(hmac, "HmacSHA512"));
    byte[] oldTag = sunMac.doFinal(plaintext);

    keytool(null, 0, "-importkeystore", "-noprompt",
        "-srckeystore", "old.p12", "-srcstoretype", "PKCS12", "-srcstorepass", PW,
        "-destkeystore", "keys.clavis", "-deststoretype", "Clavis", "-deststorepass", PW);

    java.security.KeyStore ks = openClavis();
    java.security.Key handle = ks.getKey("legacy-aes", PW.toCharArray());
    assertEquals(null, handle.getEncoded(), "a migrated key stays non-exportable");
    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(javax.crypto.Cipher.DECRYPT_MODE, handle, new javax.crypto.spec.IvParameterSpec(iv));
    assertEquals("Clavis", c.getProvider().getName());
    assertTrue(Arrays.equals(plaintext, c.doFinal(oldCiphertext)), "the old CBC data opens through Clavis");
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA512");
    mac.init(ks.getKey("legacy-mac", PW.toCharArray()));
    assertTrue(Arrays.equals(oldTag, mac.doFinal(plaintext)), "the old HmacSHA512 tag verifies through Clavis");
    // new data under the migrated key goes to GCM: the legacy mode decrypts only by default
    javax.crypto.Cipher enc = javax.crypto.Cipher.getInstance("AES/CBC/PKCS5Padding", "Clavis");
    java.security.InvalidKeyException refused = org.junit.jupiter.api.Assertions.assertThrows(
        java.security.InvalidKeyException.class, () -> enc.init(javax.crypto.Cipher.ENCRYPT_MODE, handle));
    assertTrue(refused.getMessage().contains("legacy-aes"), refused.getMessage());
    String json = clavisList();
    assertTrue(json.contains("HMAC_SHA512"), json);
  }

  @Test
  void importpass_password_isReadBack_andTheReadIsAudited() throws Exception {
    lightStore();
    keytool("db-password-42\ndb-password-42\n", 0,
        concat(new String[] {"-importpass", "-alias", "dbpass", "-keypass", PW}, clavisStore()));
    java.security.KeyStore ks = openClavis();
    byte[] read = ks.getKey("dbpass", PW.toCharArray()).getEncoded();
    assertTrue(Arrays.equals("db-password-42".getBytes(StandardCharsets.US_ASCII), read),
        "the -importpass password reads back");
    CliProcess.Result audit = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PW)).run("audit", "--store", "keys.clavis");
    assertEquals(0, audit.exit, audit::toString);
    assertTrue(audit.out().contains("export") && audit.out().contains("dbpass#1"), audit.out());
    assertFalse(audit.out().contains("db-password-42"), "the audit log names the read, never the secret");
  }
}
