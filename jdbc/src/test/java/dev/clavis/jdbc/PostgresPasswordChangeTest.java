package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.WeakKdfException;
import dev.clavis.keyring.WrongPasswordException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code passwd} and {@code migrate-kdf} on a database keyring: the head row's protector is
 * replaced in the transaction that writes the audit record, the master key (and so every row and
 * every process that has the keyring open) stays, and a wrong or stale current password changes
 * nothing.
 */
class PostgresPasswordChangeTest {

  private static final byte[] PLAIN = "under the old password".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AAD = "passwd".getBytes(StandardCharsets.UTF_8);
  private static final String NEW_PASSWORD = "the-new-password-8e1f";

  @TempDir
  Path marks;

  private PgKeyrings pgk;

  private Keyring open(String password) {
    return Keyrings.open(pgk.backend("main", pgk.props("main"), password, false));
  }

  private String protectorDigest() {
    return pgk.psql("SELECT md5(protector) FROM clavis_keyring WHERE name = 'main'").trim();
  }

  @Test
  void aNewPasswordOpensTheKeyringTheOldOneNoLongerDoesAndOpenKeyringsKeepWorking() throws Exception {
    pgk = new PgKeyrings(marks);
    try (Keyring running = pgk.keyring("main")) {
      running.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] env = running.encrypt("orders", PLAIN, AAD);

      Keyrings.changeDatabasePassword(pgk.url, pgk.props("main"), TestStores.PASSWORD.toCharArray(),
          NEW_PASSWORD.toCharArray());

      assertThrows(WrongPasswordException.class, () -> open(TestStores.PASSWORD).close());
      try (Keyring reopened = open(NEW_PASSWORD)) {
        assertArrayEquals(PLAIN, reopened.decrypt(env, AAD), "the same master key, so the same material");
        assertTrue(reopened.auditLog().events().stream().anyMatch(e -> e.action().equals("passwd")),
            "the change is audited");
        assertTrue(reopened.auditLog().verify() >= 2);
      }
      running.rotate("orders", "after the password change");
      assertArrayEquals(PLAIN, running.decrypt(running.encrypt("orders", PLAIN, AAD), AAD));
    }
  }

  @Test
  void aWrongCurrentPasswordChangesNothing() {
    pgk = new PgKeyrings(marks);
    pgk.keyring("main").close();
    String before = protectorDigest();
    assertThrows(WrongPasswordException.class, () -> Keyrings.changeDatabasePassword(pgk.url, pgk.props("main"),
        "not-the-password".toCharArray(), NEW_PASSWORD.toCharArray()));
    assertEquals(before, protectorDigest());
    open(TestStores.PASSWORD).close();
  }

  @Test
  void aPasswordChangedElsewhereIsNotOverwrittenFromAStaleView() {
    pgk = new PgKeyrings(marks);
    pgk.keyring("main").close();
    try (PostgresKeyBackend stale = pgk.backend("main", pgk.props("main"), TestStores.PASSWORD, false)) {
      Keyrings.changeDatabasePassword(pgk.url, pgk.props("main"), TestStores.PASSWORD.toCharArray(),
          NEW_PASSWORD.toCharArray());
      String changed = protectorDigest();
      // this backend opened with the old password; the column in the transaction is the new one's
      assertThrows(WrongPasswordException.class, () -> stale.rekey(TestStores.PASSWORD.toCharArray(),
          "a-third-password-77a0".toCharArray(), stale.kdf(), null));
      assertEquals(changed, protectorDigest());
    }
    open(NEW_PASSWORD).close();
  }

  @Test
  void migrateKdfChangesTheKdfKeepsThePasswordAndRefusesWeakSettings() {
    pgk = new PgKeyrings(marks);
    pgk.keyring("main").close();
    KdfParameters next = KdfParameters.argon2id(2, 128, 1).allowingWeak();
    Keyrings.migrateDatabaseKdf(pgk.url, pgk.props("main"), TestStores.PASSWORD.toCharArray(), next);
    try (PostgresKeyBackend b = pgk.backend("main", pgk.props("main"), TestStores.PASSWORD, false)) {
      assertEquals(next, b.kdf());
    }
    try (Keyring k = open(TestStores.PASSWORD)) {
      assertTrue(k.auditLog().events().stream().anyMatch(e -> e.action().equals("migrate-kdf")
          && e.details().get("to").equals(next.toString())));
    }
    String before = protectorDigest();
    assertThrows(WeakKdfException.class, () -> Keyrings.migrateDatabaseKdf(pgk.url, pgk.props("main"),
        TestStores.PASSWORD.toCharArray(), KdfParameters.argon2id(1, 256, 1)));
    assertEquals(before, protectorDigest());
  }

  @Test
  void aMissingKeyringIsNamedAndNotCreated() {
    pgk = new PgKeyrings(marks);
    Properties p = pgk.props("absent");
    KeyringException e = assertThrows(KeyringException.class, () -> Keyrings.changeDatabasePassword(pgk.url, p,
        TestStores.PASSWORD.toCharArray(), NEW_PASSWORD.toCharArray()));
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
  }

  @Test
  void aPasswordChangeKeepsAKdfMigratedElsewhereMeanwhile() {
    pgk = new PgKeyrings(marks);
    pgk.keyring("main").close();
    try (PostgresKeyBackend opened = pgk.backend("main", pgk.props("main"), TestStores.PASSWORD, false)) {
      KdfParameters before = opened.kdf();
      KdfParameters stronger = KdfParameters.argon2id(2, 128, 1).allowingWeak();
      Keyrings.migrateDatabaseKdf(pgk.url, pgk.props("main"), TestStores.PASSWORD.toCharArray(), stronger);
      assertEquals(before, opened.kdf(), "this backend has not reloaded");
      opened.rekey(TestStores.PASSWORD.toCharArray(), NEW_PASSWORD.toCharArray(), null, null);
    }
    try (PostgresKeyBackend b = pgk.backend("main", pgk.props("main"), NEW_PASSWORD, false)) {
      assertEquals(KdfParameters.argon2id(2, 128, 1), b.kdf(), "the migration made meanwhile stays");
    }
  }

  @Test
  void rekeyThroughTheSpi_refusesAKdfBeyondTheCostCap_soNoLaterOpenIsRefused() {
    pgk = new PgKeyrings(marks);
    pgk.keyring("main").close();
    String before = protectorDigest();
    // unchecked: the public factories refuse it already; the SPI must not take it either
    KdfParameters costly = KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, 100, 65_536, 1).allowingWeak();
    try (PostgresKeyBackend b = pgk.backend("main", pgk.props("main"), TestStores.PASSWORD, false)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> b.rekey(TestStores.PASSWORD.toCharArray(), null, costly, null));
      assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
    }
    assertEquals(before, protectorDigest());
    open(TestStores.PASSWORD).close();
  }
}
