package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.FileBackedDatabaseFactory;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.DatabaseKeyringParameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import javax.crypto.KeyGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KeyStore.getInstance("Clavis").load(new DatabaseKeyringParameter(...))} without a
 * database: {@link FileBackedDatabaseFactory} stands in for clavis-jdbc (the real one is tested
 * end to end in the cli and conformance tests).
 */
class DatabaseKeyringOpenerTest {

  private static final char[] PW = "ring password".toCharArray();

  @TempDir Path dir;

  @BeforeAll
  static void addClavis() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private static Properties fast() {
    Properties p = new Properties();
    p.setProperty("test.kdf", "fast");
    return p;
  }

  @Test
  void load_databaseParameter_isLive_changesAreSeenByTheNextLoad_andStoreWritesNothing() throws Exception {
    Path f = dir.resolve("db.clavis");
    String url = FileBackedDatabaseFactory.PREFIX + f;
    FileBackedDatabaseFactory.visible(dir, () -> {
      KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
      ks.load(new DatabaseKeyringParameter(url, fast(), PW));
      KeyGenerator g = KeyGenerator.getInstance("AES", "Clavis");
      g.init(256);
      ks.setEntry("payments", new KeyStore.SecretKeyEntry(g.generateKey()), new KeyStore.PasswordProtection(PW));
      ks.store(null, null);
      IOException toStream = assertThrows(IOException.class, () -> ks.store(new ByteArrayOutputStream(), PW));
      assertTrue(toStream.getMessage().contains("lives in a database"), toStream.getMessage());

      KeyStore again = KeyStore.getInstance("Clavis", "Clavis");
      again.load(DatabaseKeyringParameter.existing(url, fast(), PW));
      assertEquals(List.of("payments"), Collections.list(again.aliases()));
      return null;
    });
  }

  @Test
  void load_wrongPassword_isAnIOExceptionCausedByUnrecoverableKeyException() throws Exception {
    Path f = dir.resolve("db.clavis");
    String url = FileBackedDatabaseFactory.PREFIX + f;
    FileBackedDatabaseFactory.visible(dir, () -> {
      KeyStore.getInstance("Clavis", "Clavis").load(new DatabaseKeyringParameter(url, fast(), PW));
      KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
      IOException e = assertThrows(IOException.class,
          () -> ks.load(new DatabaseKeyringParameter(url, fast(), "wrong".toCharArray())));
      assertInstanceOf(UnrecoverableKeyException.class, e.getCause());
      return null;
    });
  }

  @Test
  void load_existingOnly_createsNothing() throws Exception {
    Path f = dir.resolve("absent.clavis");
    FileBackedDatabaseFactory.visible(dir, () -> {
      KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
      IOException e = assertThrows(IOException.class, () -> ks.load(DatabaseKeyringParameter.existing(
          FileBackedDatabaseFactory.PREFIX + f, fast(), PW)));
      assertTrue(e.getMessage().startsWith("no keyring default"), e.getMessage());
      return null;
    });
    assertFalse(Files.exists(f));
  }

  @Test
  void load_withNoDatabaseBackend_namesClavisJdbc() throws Exception {
    KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
    IOException e = assertThrows(IOException.class, () -> ks.load(new DatabaseKeyringParameter(
        "jdbc:postgresql://db.example/keys?password=dbSecret42", new Properties(), PW)));
    assertTrue(e.getMessage().contains("put clavis-jdbc (dev.clavis:clavis-jdbc) on the class path"), e.getMessage());
    assertFalse(e.getMessage().contains("dbSecret42"), e.getMessage());
  }
}
