package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.Postgres;
import dev.clavis.testkit.TcpProxy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection fails while COMMIT runs: a deferred trigger holds the COMMIT in {@code pg_sleep}
 * (as a slow fsync or a synchronous standby would), and at that moment the test either resets the
 * client's connection (the server goes on and commits; the client never hears) or terminates the
 * server's backend (the transaction is rolled back). Clavis must report each as what happened:
 * success exactly once, a retry that commits exactly once, or "unknown" when it cannot ask.
 */
class PostgresCommitFaultTest {

  @TempDir
  Path marks;

  private PgKeyrings pgk;
  private TcpProxy proxy;
  private PostgresKeyBackend backend;
  private Keyring ring;

  @BeforeEach
  void keyringBehindAProxy() throws Exception {
    pgk = new PgKeyrings(marks);
    pgk.keyring("main").close(); // the tables
    pgk.psql("CREATE TABLE test_commit_pause (pause boolean NOT NULL);"
        + " INSERT INTO test_commit_pause VALUES (false);"
        + " CREATE FUNCTION test_pause() RETURNS trigger LANGUAGE plpgsql AS $$"
        + " BEGIN IF (SELECT pause FROM test_commit_pause) THEN PERFORM pg_sleep(3); END IF; RETURN NULL; END $$;"
        + " CREATE CONSTRAINT TRIGGER test_pause_at_commit AFTER UPDATE ON clavis_keyring"
        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_pause();");
    proxy = TcpProxy.to(pgk.pg.host(), pgk.pg.port());
    String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + pgk.db + "?user=" + Postgres.USER
        + "&password=" + Postgres.PASSWORD;
    backend = (PostgresKeyBackend) new PostgresBackendFactory().open(url, pgk.props("main"),
        TestStores.PASSWORD.toCharArray(), PgKeyrings.kdf(), false);
    ring = Keyrings.open(backend);
    ring.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
  }

  @AfterEach
  void close() {
    if (ring != null) {
      ring.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private int storedVersions() {
    return Integer.parseInt(pgk.psql("SELECT count(*) FROM clavis_key_version WHERE name = 'orders'").strip());
  }

  private long storedGeneration() {
    return Long.parseLong(pgk.psql("SELECT generation FROM clavis_keyring WHERE name = 'main'").strip());
  }

  /** Starts a rotation and returns once its COMMIT sleeps in the trigger. */
  private CompletableFuture<Object> rotationHeldInCommit() throws Exception {
    pgk.psql("UPDATE test_commit_pause SET pause = true");
    CompletableFuture<Object> f = CompletableFuture.supplyAsync(() -> {
      try {
        return ring.rotate("orders", "commit fault");
      } catch (RuntimeException e) {
        return e;
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!pgk.psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'").strip().equals("1")) {
      assertTrue(System.nanoTime() < deadline, "the COMMIT never reached the trigger");
      Thread.sleep(20);
    }
    return f;
  }

  @Test
  void aCommitThatLandsWhileTheConnectionDiesIsReportedOnceAsDone() throws Exception {
    long before = storedGeneration();
    CompletableFuture<Object> f = rotationHeldInCommit();
    proxy.cutAll(); // the server goes on: it commits, and cannot tell the client
    Object r = f.get(60, TimeUnit.SECONDS);
    assertTrue(r instanceof dev.clavis.keyring.KeyVersionInfo, "reported as done: " + r);
    assertEquals(2, ((dev.clavis.keyring.KeyVersionInfo) r).version());
    assertEquals(2, storedVersions(), "committed once");
    assertEquals(before + 1, storedGeneration());
    assertEquals(0, backend.retries(), "not run again");
    pgk.psql("UPDATE test_commit_pause SET pause = false");
    assertEquals(3, ring.rotate("orders", "afterwards").version(), "the keyring goes on without reopening");
  }

  @Test
  void aCommitRolledBackWhenItsBackendIsKilledIsRunAgainAndCommittedOnce() throws Exception {
    CompletableFuture<Object> f = rotationHeldInCommit();
    pgk.psql("UPDATE test_commit_pause SET pause = false"); // the run again commits at once
    pgk.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'");
    Object r = f.get(60, TimeUnit.SECONDS);
    assertTrue(r instanceof dev.clavis.keyring.KeyVersionInfo, "done after a retry: " + r);
    assertEquals(2, ((dev.clavis.keyring.KeyVersionInfo) r).version());
    assertEquals(2, storedVersions(), "the rolled-back attempt left nothing; the retry committed once");
    assertEquals(1, backend.retries());
  }

  @Test
  void aCommitWhoseOutcomeCannotBeAskedIsReportedUnknownAndTheKeyringRecovers() throws Exception {
    long before = storedGeneration();
    CompletableFuture<Object> f = rotationHeldInCommit();
    proxy.refuseNew(true);
    proxy.cutAll();
    Object r = f.get(60, TimeUnit.SECONDS);
    assertTrue(r instanceof KeyringException, "not called done nor failed: " + r);
    String m = ((KeyringException) r).getMessage();
    assertTrue(m.contains("unknown") && m.contains("generation " + (before + 1)), m);
    assertFalse(m.contains(Postgres.PASSWORD), m);
    // it did commit: the server finished the sleep and the COMMIT
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (storedGeneration() != before + 1) {
      assertTrue(System.nanoTime() < deadline, "the COMMIT did not land");
      Thread.sleep(50);
    }
    pgk.psql("UPDATE test_commit_pause SET pause = false");
    proxy.refuseNew(false);
    long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (ring.find("orders").orElseThrow().versions().size() != 2) {
      assertTrue(System.nanoTime() < wait, "the committed version is not seen after the database is back");
      Thread.sleep(50);
    }
    assertEquals(3, ring.rotate("orders", "afterwards").version());
    assertEquals(3, storedVersions());
  }
}
