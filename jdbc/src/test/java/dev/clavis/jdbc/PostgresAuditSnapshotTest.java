package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit records and the head they are checked against are read in one committed state: a
 * commit landing between the two reads (made deterministic by the backend's test hook, which runs
 * right after the records are read) is not reported as a truncated or rolled-back log.
 */
class PostgresAuditSnapshotTest {

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(marks);
  }

  @Test
  void aCommitOfAnotherHostBetweenReadingTheRecordsAndTheHeadIsNotATruncation() throws Exception {
    PostgresKeyBackend a = pgk.backend("ring");
    Properties other = pgk.props("ring"); // another host: its own commit mark
    other.setProperty(PostgresBackendFactory.COMMIT_MARK, marks.resolve("other-host.mark").toString());
    try (Keyring ka = Keyrings.open(a);
         Keyring kb = Keyrings.open(pgk.backend("ring", other, TestStores.PASSWORD, false))) {
      ka.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      long before = ka.auditLog().verify();
      AtomicBoolean fired = new AtomicBoolean();
      a.afterAuditRead = () -> {
        if (fired.compareAndSet(false, true)) {
          kb.rotate("orders", "lands between the two reads"); // another backend, its own connection: commits now
        }
      };
      assertEquals(before, ka.auditLog().verify(), "the records and the head of one snapshot: before the rotation");
      assertTrue(fired.get(), "the rotation was committed between the reads");
      a.afterAuditRead = () -> { };
      assertTrue(ka.auditLog().verify() > before, "the next verification sees the rotation");
      PostgresKeyRingAssertions.versions(ka, "orders", 2);
    }
  }

  @Test
  void aCommitOfThisProcessDuringTheSnapshotBeginsItAgain() throws Exception {
    PostgresKeyBackend a = pgk.backend("ring");
    try (Keyring ka = Keyrings.open(a)) {
      ka.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      long before = ka.auditLog().verify();
      AtomicBoolean fired = new AtomicBoolean();
      a.afterAuditRead = () -> {
        if (fired.compareAndSet(false, true)) {
          ka.rotate("orders", "this process, after the snapshot began"); // the backend adopts a newer head
        }
      };
      long after = ka.auditLog().verify(); // the old snapshot is older than the adopted head: begun again
      assertTrue(fired.get());
      assertTrue(after > before, "verified on a snapshot that holds the rotation: " + before + " -> " + after);
      PostgresKeyRingAssertions.versions(ka, "orders", 2);
    }
  }

  @Test
  void aSnapshotConnectionKilledBetweenOperationsIsReplacedNotDropped() throws Exception {
    PostgresKeyBackend a = pgk.backend("ring");
    Properties other = pgk.props("ring");
    other.setProperty(PostgresBackendFactory.COMMIT_MARK, marks.resolve("other-host.mark").toString());
    try (Keyring ka = Keyrings.open(a);
         Keyring kb = Keyrings.open(pgk.backend("ring", other, TestStores.PASSWORD, false))) {
      ka.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      long before = ka.auditLog().verify(); // the snapshot's connection is kept for the next one
      pgk.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'clavis'");
      AtomicBoolean fired = new AtomicBoolean();
      a.afterAuditRead = () -> {
        if (fired.compareAndSet(false, true)) {
          kb.rotate("orders", "lands between the two reads");
        }
      };
      // the kept connection is dead: a new one, still one snapshot (without it: a false truncation)
      assertEquals(before, ka.auditLog().verify());
      assertTrue(fired.get());
      a.afterAuditRead = () -> { };
      assertTrue(ka.auditLog().verify() > before);
      PostgresKeyRingAssertions.versions(ka, "orders", 2);
    }
  }
}
