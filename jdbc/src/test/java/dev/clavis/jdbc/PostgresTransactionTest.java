package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions across backends on one keyring: no lost update, retries after conflicts and lost connections. */
class PostgresTransactionTest {

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(marks);
  }

  /** Writers of two backends rotate at once: every rotation is kept, none overwrites another's. */
  private void rotateConcurrently(PostgresKeyBackend a, PostgresKeyBackend b, int each) throws Exception {
    try (Keyring ka = Keyrings.open(a); Keyring kb = Keyrings.open(b)) {
      ka.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (Keyring k : List.of(ka, kb)) {
          fs.add(pool.submit(() -> {
            for (int i = 0; i < each; i++) {
              k.rotate("orders", "concurrent " + i);
            }
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      PostgresKeyRingAssertions.versions(ka, "orders", 1 + 2 * each);
      PostgresKeyRingAssertions.versions(kb, "orders", 1 + 2 * each);
      assertTrue(ka.auditLog().verify() >= 1 + 2 * each);
    }
  }

  @Test
  void concurrentWritersLoseNoUpdate() throws Exception {
    rotateConcurrently(pgk.backend("main"), pgk.backend("main"), 15);
    assertEquals("31", pgk.psql("SELECT count(*) FROM clavis_key_version"));
  }

  @Test
  void serializationFailureIsRetried() throws Exception {
    // serialisable transactions: a writer that waited for the head's lock gets SQLSTATE 40001
    pgk.psql("ALTER DATABASE " + pgk.db + " SET default_transaction_isolation = 'serializable'");
    PostgresKeyBackend a = pgk.backend("main");
    PostgresKeyBackend b = pgk.backend("main");
    assertEquals("serializable", pgk.psql("SHOW default_transaction_isolation"));
    rotateConcurrently(a, b, 15);
    assertTrue(a.retries() + b.retries() > 0, "no transaction was retried");
  }

  @Test
  void connectionKilledMidTransactionIsRetriedOnce() {
    try (PostgresKeyBackend b = pgk.backend("main")) {
      long before = b.read().generation();
      AtomicBoolean killed = new AtomicBoolean();
      int[] runs = new int[1];
      b.transact((latest, changes) -> {
        runs[0]++;
        if (killed.compareAndSet(false, true)) {
          // the transaction holds the head's lock; its connection dies under it
          pgk.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'clavis'"
              + " AND state LIKE 'idle in transaction%'");
        }
        changes.setMetadata(latest.metadata());
        return null;
      });
      assertEquals(2, runs[0], "run again after the lost connection");
      assertEquals(before + 1, b.read().generation(), "committed exactly once");
      assertEquals(1, b.retries());
    }
  }

  @Test
  void killedConnectionsAreReplacedBetweenOperations() throws Exception {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      pgk.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'clavis'");
      k.rotate("orders", "after the kill");
      PostgresKeyRingAssertions.versions(k, "orders", 2);
    }
  }
}
