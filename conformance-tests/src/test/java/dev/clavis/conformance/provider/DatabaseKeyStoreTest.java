package dev.clavis.conformance.provider;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.DatabaseKeyringParameter;
import dev.clavis.testkit.Postgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.Properties;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KeyStore.getInstance("Clavis").load(new DatabaseKeyringParameter(url, props, pw))}
 * against a real PostgreSQL cluster, clavis-jdbc found by ServiceLoader on the class path: live,
 * shared by independent loads, a wrong password as the JDK documents it.
 */
class DatabaseKeyStoreTest {

  private static final char[] PW = "keystore ring pw".toCharArray();

  @TempDir Path dir;
  private Postgres pg;
  private String db;
  private String url;

  @BeforeAll
  static void addClavis() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void database() {
    pg = Postgres.require();
    db = pg.createDatabase();
    url = pg.jdbcUrlWithoutCredentials(db);
  }

  private Properties props(String keyring) {
    Properties p = new Properties();
    p.setProperty("user", Postgres.USER);
    p.setProperty("password", Postgres.PASSWORD);
    p.setProperty("clavis.keyring", keyring);
    p.setProperty("clavis.commitMark", dir.resolve(keyring + ".mark").toString());
    return p;
  }

  private static KeyStore clavis() throws Exception {
    return KeyStore.getInstance("Clavis", "Clavis");
  }

  @Test
  void load_isLive_anotherLoadSeesEveryChange_andTheKeysWorkThroughTheJca() throws Exception {
    KeyStore a = clavis();
    a.load(new DatabaseKeyringParameter(url, props("ks"), PW));
    KeyGenerator g = KeyGenerator.getInstance("AES", "Clavis");
    g.init(256);
    a.setEntry("payments", new KeyStore.SecretKeyEntry(g.generateKey()), new KeyStore.PasswordProtection(PW));
    a.store(null, null); // nothing to write: committed already

    KeyStore b = clavis();
    b.load(DatabaseKeyringParameter.existing(url, props("ks"), PW));
    assertTrue(b.containsAlias("payments#1"));
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, a.getKey("payments", null));
    byte[] iv = enc.getIV();
    byte[] ct = enc.doFinal("through the database".getBytes(StandardCharsets.UTF_8));
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, b.getKey("payments#1", null), new GCMParameterSpec(128, iv));
    assertArrayEquals("through the database".getBytes(StandardCharsets.UTF_8), dec.doFinal(ct));

    // a rotation through one key store is seen by the other, within a second
    a.setKeyEntry("payments", g.generateKey(), null, null);
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (!b.containsAlias("payments#2") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(b.containsAlias("payments#2"), "the other key store sees the rotation within a second");
    assertEquals("2", b.getEntry("payments", null).getAttributes().stream()
        .filter(x -> x.getName().equals("clavis.version")).findFirst().orElseThrow().getValue());
    assertEquals("1", pg.psql(db, "SELECT count(*) FROM clavis_keyring").strip(), "one keyring, in the database");
  }

  @Test
  void load_wrongPassword_isAnIOExceptionCausedByUnrecoverableKeyException() throws Exception {
    clavis().load(new DatabaseKeyringParameter(url, props("wp"), PW));
    IOException e = assertThrows(IOException.class,
        () -> clavis().load(new DatabaseKeyringParameter(url, props("wp"), "wrong".toCharArray())));
    assertInstanceOf(UnrecoverableKeyException.class, e.getCause());
  }

  @Test
  void load_existingOnly_ofAMissingKeyring_failsNamingIt_andCreatesNone() throws Exception {
    clavis().load(new DatabaseKeyringParameter(url, props("present"), PW));
    IOException e = assertThrows(IOException.class,
        () -> clavis().load(DatabaseKeyringParameter.existing(url, props("absent"), PW)));
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
    assertEquals("present", pg.psql(db, "SELECT string_agg(name, ',') FROM clavis_keyring").strip());
  }

  @Test
  void load_withAWrongDatabasePassword_failsWithoutShowingIt() throws Exception {
    Properties p = props("dbpw");
    p.setProperty("password", "wrong-db-secret-77");
    IOException e = assertThrows(IOException.class, () -> clavis().load(new DatabaseKeyringParameter(url, p, PW)));
    assertFalse(e.getMessage().contains("wrong-db-secret-77"), e.getMessage());
    assertFalse(String.valueOf(e.getCause()).contains("wrong-db-secret-77"), String.valueOf(e.getCause()));
  }
}
