package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.lifecycle.AuditLogLockOrderTest;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database keeps the audit records: reading them (events, export, verify) takes the backend's
 * lock, which a writer holds before the log's monitor; a reader holding the monitor first
 * deadlocked with any write.
 */
class PostgresAuditLockOrderTest {

  @TempDir
  Path marks;

  @Test
  void readingTheAuditRecordsWhileAnotherThreadWrites_neverDeadlocks() throws Exception {
    PgKeyrings pgk = new PgKeyrings(marks);
    // not try-with-resources: after a deadlock, close() would wait on the deadlocked locks for good
    Keyring k = pgk.keyring("main");
    k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    AuditLogLockOrderTest.noDeadlock(() -> k.rotate("orders", "writer"), () -> {
      assertTrue(!k.auditLog().events().isEmpty());
      try {
        k.auditLog().exportJsonLines(new StringWriter());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      assertTrue(k.auditLog().verify() >= 1);
    });
    k.close();
  }
}
