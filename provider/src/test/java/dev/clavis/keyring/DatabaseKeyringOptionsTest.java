package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KeyringOptions#database} and {@link Keyrings#open} for it, without a database: the
 * backend is found with ServiceLoader ({@link FileBackedDatabaseFactory} stands in for clavis-jdbc).
 */
class DatabaseKeyringOptionsTest {

  private static final String PG = "jdbc:postgresql://db.example:5432/keys?user=app&password=dbSecret42";

  @TempDir Path dir;

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void open_withNoDatabaseBackendOnTheClassPath_namesClavisJdbc_andNotTheDatabasePassword() {
    KeyringException e = assertThrows(KeyringException.class, () -> Keyrings.open(
        KeyringOptions.database(PG, props("password", "propSecret7")).password("pw".toCharArray())));
    assertTrue(e.getMessage().startsWith("no database backend for jdbc:postgresql://db.example:5432/keys?"),
        e.getMessage());
    assertTrue(e.getMessage().contains("put clavis-jdbc (dev.clavis:clavis-jdbc) on the class path"), e.getMessage());
    assertFalse(e.getMessage().contains("dbSecret42") || e.getMessage().contains("propSecret7"), e.getMessage());
  }

  @Test
  void open_withBackendsThatDoNotTakeTheUrl_namesThemAndClavisJdbc() throws Exception {
    KeyringException e = FileBackedDatabaseFactory.visible(dir, () -> assertThrows(KeyringException.class,
        () -> Keyrings.open(KeyringOptions.database(PG, new Properties()).password("pw".toCharArray()))));
    assertTrue(e.getMessage().contains("put clavis-jdbc") && e.getMessage().contains(
        FileBackedDatabaseFactory.class.getName()), e.getMessage());
  }

  @Test
  void open_database_runsTheEngineOverTheFactorysBackend_withTheUrlPropertiesPasswordAndKdf() throws Exception {
    Path f = dir.resolve("db.clavis");
    String url = FileBackedDatabaseFactory.PREFIX + f;
    char[] pw = "pw".toCharArray();
    FileBackedDatabaseFactory.visible(dir, () -> {
      try (Keyring k = Keyrings.open(KeyringOptions.database(url, props("clavis.keyring", "payments"))
          .password(pw).kdfForNew(TestStores.FAST_KDF))) {
        assertTrue(k instanceof KeyringEngine);
        k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      }
      assertEquals("payments", FileBackedDatabaseFactory.lastConnection.getProperty("clavis.keyring"));
      assertTrue(Files.exists(f), "created through the factory");
      try (Keyring k = Keyrings.open(KeyringOptions.database(url, new Properties()).password("pw".toCharArray())
          .createIfMissing(false))) {
        assertEquals(1, k.list().size());
      }
      assertThrows(WrongPasswordException.class, () -> Keyrings.open(KeyringOptions.database(url, new Properties())
          .password("wrong".toCharArray())));
      return null;
    });
    assertArrayEquals("pw".toCharArray(), pw, "the caller wipes the password, not the open");
  }

  @Test
  void open_databaseWithCreateIfMissingFalse_passesItOn_andCreatesNothing() throws Exception {
    Path f = dir.resolve("absent.clavis");
    KeyringException e = FileBackedDatabaseFactory.visible(dir, () -> assertThrows(KeyringException.class,
        () -> Keyrings.open(KeyringOptions.database(FileBackedDatabaseFactory.PREFIX + f, new Properties())
            .password("pw".toCharArray()).createIfMissing(false))));
    assertTrue(e.getMessage().startsWith("no keyring default at"), e.getMessage());
    assertFalse(Files.exists(f));
  }

  @Test
  void databaseOptions_takeAPasswordAndKdf_notAPin_andRefuseANonJdbcUrl() {
    KeyringOptions o = KeyringOptions.database(PG, new Properties());
    assertEquals(KeyringOptions.Kind.DATABASE, o.kind());
    assertTrue(o.createsMissing());
    assertEquals(PG, o.jdbcUrl().orElseThrow());
    assertThrows(IllegalStateException.class, () -> o.pin("1234".toCharArray()));
    o.password("pw".toCharArray()).kdfForNew(TestStores.FAST_KDF).createIfMissing(false);
    assertThrows(IllegalArgumentException.class, () -> KeyringOptions.database("postgresql://h/db", new Properties()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Keyrings.open(KeyringOptions.database(PG, new Properties())));
    assertTrue(e.getMessage().startsWith("no password given"), e.getMessage());
  }

  @Test
  void databaseOptions_copyTheProperties_andToStringShowsNoPassword() {
    Properties p = props("user", "app", "password", "propSecret7");
    KeyringOptions o = KeyringOptions.database(PG, p).password("ringSecret9".toCharArray());
    p.setProperty("user", "changed");
    o.connectionProperties().setProperty("user", "changed too");
    assertEquals("app", o.connectionProperties().getProperty("user"));
    String s = o.toString();
    assertTrue(s.contains("db.example:5432/keys") && s.contains("user=app"), s);
    assertFalse(s.contains("dbSecret42") || s.contains("propSecret7") || s.contains("ringSecret9"), s);
  }
}
