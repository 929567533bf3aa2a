package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.StoreDamagedException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database restored to an older snapshot (every table, so the rows, the head and the audit
 * chain agree with each other): refused on every host that saw a newer state, through its commit
 * mark at open and through the generation it has seen while it runs.
 */
class PostgresRollbackTest {

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(marks);
  }

  private void snapshot() {
    pgk.psql("CREATE TABLE s_keyring AS SELECT * FROM clavis_keyring;"
        + " CREATE TABLE s_chunk AS SELECT * FROM clavis_head_chunk;"
        + " CREATE TABLE s_version AS SELECT * FROM clavis_key_version;"
        + " CREATE TABLE s_audit AS SELECT * FROM clavis_audit");
  }

  /** Puts every table back as it was, as a restore would (triggers off: a restore does not run them). */
  private void restore() {
    pgk.psql("SET session_replication_role = replica;"
        + " DELETE FROM clavis_audit; DELETE FROM clavis_key_version; DELETE FROM clavis_head_chunk;"
        + " DELETE FROM clavis_keyring;"
        + " INSERT INTO clavis_keyring SELECT * FROM s_keyring;"
        + " INSERT INTO clavis_head_chunk SELECT * FROM s_chunk;"
        + " INSERT INTO clavis_key_version SELECT * FROM s_version;"
        + " INSERT INTO clavis_audit SELECT * FROM s_audit");
  }

  @Test
  void restoredDatabaseIsRefusedAgainstTheCommitMark() {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    snapshot();
    try (Keyring k = pgk.keyring("main")) {
      k.rotate("orders", "lost by the restore");
    }
    restore();
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> pgk.keyring("main").close());
    assertEquals(StoreDamagedException.Kind.ROLLED_BACK, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("older than its commit mark"), e.getMessage());
  }

  @Test
  void restoredDatabaseIsRefusedByARunningProcess() throws Exception {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    snapshot();
    try (Keyring running = pgk.keyring("main")) {
      running.rotate("orders", "lost by the restore");
      restore();
      long deadline = System.nanoTime() + 5_000_000_000L;
      StoreDamagedException e = null;
      while (e == null && System.nanoTime() < deadline) {
        try {
          running.find("orders");
          Thread.sleep(20);
        } catch (StoreDamagedException x) {
          e = x;
        }
      }
      assertTrue(e != null, "the running keyring kept serving the restored database");
      assertEquals(StoreDamagedException.Kind.ROLLED_BACK, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains("went back"), e.getMessage());
    }
  }

  @Test
  void aGenerationLearntByReloadRaisesTheCommitMark_soARestoreBehindItIsRefusedOnThisHost(@TempDir Path otherHost)
      throws Exception {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    snapshot();
    java.util.Properties b = pgk.props("main");
    b.setProperty(PostgresBackendFactory.COMMIT_MARK, otherHost.resolve("main.mark").toString());
    try (Keyring hostA = pgk.keyring("main")) {
      try (Keyring hostB = Keyrings.open(pgk.backend("main", b, TestStores.PASSWORD, false))) {
        hostB.rotate("orders", "committed on host B, then lost by the restore");
      }
      // host A commits nothing: it only learns generation N by reloading
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (hostA.find("orders").get().versions().size() < 2) {
        assertTrue(System.nanoTime() < deadline, "host A never saw host B's rotation");
        Thread.sleep(20);
      }
    }
    restore();
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> pgk.keyring("main").close());
    assertEquals(StoreDamagedException.Kind.ROLLED_BACK, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("older than its commit mark"), e.getMessage());
  }

  @Test
  void headAndVersionRowsPutBackBehindTheirAuditRecords_areRefusedOnAHostThatNeverSawTheNewerState(
      @TempDir Path otherHost) {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    pgk.psql("CREATE TABLE s_keyring AS SELECT * FROM clavis_keyring;"
        + " CREATE TABLE s_chunk AS SELECT * FROM clavis_head_chunk;"
        + " CREATE TABLE s_version AS SELECT * FROM clavis_key_version");
    try (Keyring k = pgk.keyring("main")) {
      k.rotate("orders", "taken back by the attacker");
    }
    // the audit table is left alone (append-only); the head and the version rows are put back
    pgk.psql("SET session_replication_role = replica;"
        + " DELETE FROM clavis_key_version; DELETE FROM clavis_head_chunk; DELETE FROM clavis_keyring;"
        + " INSERT INTO clavis_keyring SELECT * FROM s_keyring;"
        + " INSERT INTO clavis_head_chunk SELECT * FROM s_chunk;"
        + " INSERT INTO clavis_key_version SELECT * FROM s_version");
    java.util.Properties p = pgk.props("main");
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, otherHost.resolve("main.mark").toString());
    StoreDamagedException e = assertThrows(StoreDamagedException.class,
        () -> Keyrings.open(pgk.backend("main", p, TestStores.PASSWORD, false)).close());
    assertEquals(StoreDamagedException.Kind.ROLLED_BACK, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains("older than its audit records"), e.getMessage());
  }
}
