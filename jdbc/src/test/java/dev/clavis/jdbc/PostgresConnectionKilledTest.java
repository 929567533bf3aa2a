package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotation's connection killed inside its transaction, at a fixed moment: a trigger on the audit
 * table terminates the backend that inserts the rotation's first audit record, after its version row
 * was written and before the head moved (a sequence, which no rollback resets, says how many times).
 * The rotation is run again or fails naming the database and saying nothing changed; no part of it
 * is visible; the next operation works on the same keyring, without opening it again.
 */
class PostgresConnectionKilledTest {

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAIN = "kept".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(marks);
  }

  /** Arms the trigger: the next {@code times} inserts into the audit table kill their own connection. */
  private void killNextAuditInserts(int times) {
    pgk.psql("CREATE SEQUENCE IF NOT EXISTS fault_kills");
    pgk.psql("CREATE OR REPLACE FUNCTION fault_kill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        + " IF nextval('fault_kills') <= " + times + " THEN"
        + " PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); END IF; RETURN NEW; END $$");
    pgk.psql("CREATE TRIGGER fault_kill AFTER INSERT ON clavis_audit FOR EACH ROW EXECUTE FUNCTION fault_kill()");
  }

  private void disarm() {
    pgk.psql("DROP TRIGGER fault_kill ON clavis_audit");
  }

  /** What another connection sees: version rows, audit records and the head's generation. */
  private String committed() {
    return pgk.psql("SELECT (SELECT count(*) FROM clavis_key_version) || ' ' || (SELECT count(*) FROM clavis_audit)"
        + " || ' ' || (SELECT generation FROM clavis_keyring)");
  }

  @Test
  void aConnectionKilledInsideARotationIsRunAgainAndCommitsOnce() throws Exception {
    PostgresKeyBackend b = pgk.backend("main");
    try (Keyring k = Keyrings.open(b)) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] env = k.encrypt("orders", PLAIN, AAD);
      String before = committed();
      killNextAuditInserts(1);
      long retries = b.retries();
      assertEquals(2, k.rotate("orders", "its connection dies once").version());
      assertEquals(retries + 1, b.retries(), "run again once after the lost connection");
      disarm();
      String[] was = before.split(" ");
      String[] now = committed().split(" ");
      assertEquals(Long.parseLong(was[0]) + 1, Long.parseLong(now[0]), "one new version row: " + before + " -> "
          + committed());
      assertEquals(Long.parseLong(was[2]) + 1, Long.parseLong(now[2]), "one new generation");
      PostgresKeyRingAssertions.versions(k, "orders", 2);
      assertArrayEquals(PLAIN, k.decrypt(env, AAD));
      assertEquals(2, k.rotate("orders", "next").version() - 1, "the next operation works without reopening");
      assertTrue(k.auditLog().verify() >= 4);
    }
  }

  @Test
  void aConnectionKilledOnEveryAttemptFailsClearlyAndLeavesNothingPartial() throws Exception {
    PostgresKeyBackend b = pgk.backend("main");
    try (Keyring k = Keyrings.open(b)) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] env = k.encrypt("orders", PLAIN, AAD);
      String before = committed();
      killNextAuditInserts(1000);
      KeyringException e = assertThrows(KeyringException.class, () -> k.rotate("orders", "always killed"));
      disarm();
      assertTrue(e.getMessage().contains("127.0.0.1:" + pgk.pg.port()), e.getMessage());
      assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
      assertFalse(e.getMessage().contains("INSERT") || e.getMessage().contains("\"mac\""),
          "the driver's batch text (the statement with its parameters) is not quoted: " + e.getMessage());
      System.err.println("PostgresConnectionKilledTest: " + e.getMessage());
      assertEquals(before, committed(), "no part of the rotation is visible to another connection");
      assertEquals(1, k.find("orders").orElseThrow().versions().size(), "nor to the keyring");
      assertArrayEquals(PLAIN, k.decrypt(env, AAD));
      assertEquals(2, k.rotate("orders", "after the faults").version(), "the next operation works without reopening");
      PostgresKeyRingAssertions.versions(k, "orders", 2);
      assertTrue(k.auditLog().verify() >= 2);
    }
  }
}
