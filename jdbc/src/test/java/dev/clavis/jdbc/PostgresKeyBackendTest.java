package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL backend against a real server: open and create, the engine over it, the schema's version. */
class PostgresKeyBackendTest {

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(marks);
  }

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);

  @Test
  void createsEncryptsRotatesAndReopens() {
    byte[] plain = "hello database".getBytes(StandardCharsets.UTF_8);
    byte[] env1;
    byte[] env2;
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env1 = k.encrypt("orders", plain, AAD);
      k.rotate("orders", "test");
      env2 = k.encrypt("orders", plain, AAD);
      assertArrayEquals(plain, k.decrypt(env1, AAD));
    }
    try (Keyring k = Keyrings.open(pgk.backend("main", pgk.props("main"), TestStores.PASSWORD, false))) {
      assertEquals(2, k.find("orders").orElseThrow().versions().size());
      assertArrayEquals(plain, k.decrypt(env1, AAD));
      assertArrayEquals(plain, k.decrypt(env2, AAD));
      assertTrue(k.auditLog().verify() >= 3);
    }
    assertEquals("2", pgk.psql("SELECT count(*) FROM clavis_key_version"));
    assertEquals("ACTIVE,DEPRECATED", pgk.psql("SELECT string_agg(state, ',' ORDER BY state) FROM clavis_key_version"));
  }

  @Test
  void wrongPasswordIsRefused() {
    pgk.backend("main").close();
    WrongPasswordException e = assertThrows(WrongPasswordException.class,
        () -> pgk.backend("main", pgk.props("main"), "not-the-password", false));
    assertTrue(e.getMessage().contains("keyring 'main'"), e.getMessage());
  }

  @Test
  void absentKeyringIsRefusedWithoutCreate() {
    NoSuchKeyringException e = assertThrows(NoSuchKeyringException.class,
        () -> pgk.backend("nope", pgk.props("nope"), TestStores.PASSWORD, false));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }

  @Test
  void newerSchemaIsRefused() {
    pgk.backend("main").close();
    pgk.psql("UPDATE clavis_schema SET version = 99");
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> pgk.backend("main"));
    assertEquals(StoreDamagedException.Kind.UNSUPPORTED_VERSION, e.kind());
    assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
  }

  @Test
  void auditTableVerifiesAndRefusesUpdate() {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      assertTrue(k.auditLog().verify() >= 1);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> pgk.psql("UPDATE clavis_audit SET line = 'x'"));
    assertTrue(e.getMessage().contains("append-only"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> pgk.psql("DELETE FROM clavis_audit"));
    assertThrows(IllegalStateException.class, () -> pgk.psql("TRUNCATE clavis_audit"));
  }

  @Test
  void twoBackendsSeeEachOthersRotationWithinASecond() throws Exception {
    try (Keyring a = pgk.keyring("main"); Keyring b = pgk.keyring("main")) {
      a.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      awaitVersions(b, "orders", 1);
      a.rotate("orders", "test");
      long t0 = System.nanoTime();
      awaitVersions(b, "orders", 2);
      assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "seen after more than a second");
      byte[] env = b.encrypt("orders", new byte[] {1, 2, 3}, AAD);
      assertArrayEquals(new byte[] {1, 2, 3}, a.decrypt(env, AAD));
    }
  }

  static void awaitVersions(Keyring k, String name, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      List<?> v = k.find(name).map(i -> (List<?>) i.versions()).orElse(List.of());
      if (v.size() == n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " has " + v.size() + " versions, expected " + n);
      }
      Thread.sleep(10);
    }
  }
}
