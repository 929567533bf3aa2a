package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database going away under a running keyring: writes fail closed naming host:port, reads are
 * served from the cache only within the staleness bound, and the keyring recovers on its own when
 * the database is back; a restart under load loses no acknowledged rotation and invents none.
 */
class PostgresFaultTest {

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PLAIN = "still readable".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void database() {
    pgk = new PgKeyrings(marks);
  }

  @Test
  void unreachableDatabaseFailsWritesServesCachedReadsWithinTheBoundThenRecovers() throws Exception {
    Properties p = pgk.props("main");
    p.setProperty(PostgresBackendFactory.MAX_STALENESS, "PT2S");
    try (Keyring k = Keyrings.open(pgk.backend("main", p, TestStores.PASSWORD, true))) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      byte[] env = k.encrypt("orders", PLAIN, AAD);
      assertArrayEquals(PLAIN, k.decrypt(env, AAD));
      pgk.pg.stop();
      try {
        KeyringException w = assertThrows(KeyringException.class, () -> k.rotate("orders", "while down"));
        assertTrue(w.getMessage().contains("127.0.0.1:" + pgk.pg.port()), w.getMessage());
        assertTrue(w.getMessage().contains("nothing was changed"), w.getMessage());
        assertArrayEquals(PLAIN, k.decrypt(env, AAD), "served from the cache within the staleness bound");
        Thread.sleep(2600);
        KeyringException r = assertThrows(KeyringException.class, () -> k.decrypt(env, AAD));
        assertTrue(r.getMessage().contains("unreachable since"), r.getMessage());
        assertTrue(r.getMessage().contains("clavis.maxStaleness=PT2S"), r.getMessage());
      } finally {
        pgk.pg.start();
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (true) {
        try {
          k.rotate("orders", "back");
          break;
        } catch (KeyringException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
      assertEquals(2, k.find("orders").orElseThrow().versions().size());
      assertArrayEquals(PLAIN, k.decrypt(env, AAD));
    }
  }

  @Test
  void restartUnderLoadLosesNoAcknowledgedRotation() throws Exception {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger unknown = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      Thread writer = new Thread(() -> {
        while (!stop.get()) {
          try {
            k.rotate("orders", "load");
            ok.incrementAndGet();
          } catch (KeyringException e) {
            if (e.getMessage().contains("is unknown")) {
              unknown.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
            try {
              Thread.sleep(20);
            } catch (InterruptedException x) {
              return;
            }
          }
        }
      });
      writer.start();
      Thread.sleep(500);
      pgk.pg.restart();
      Thread.sleep(1500);
      stop.set(true);
      writer.join(30_000);
      int versions = k.find("orders").orElseThrow().versions().size();
      assertTrue(ok.get() > 0, "no rotation succeeded");
      assertTrue(versions >= 1 + ok.get() && versions <= 1 + ok.get() + unknown.get(),
          versions + " versions after " + ok.get() + " acknowledged rotations (" + unknown.get() + " unknown, "
              + failed.get() + " failed)");
      assertEquals(Integer.toString(versions), pgk.psql("SELECT count(*) FROM clavis_key_version"));
      assertTrue(k.auditLog().verify() >= versions);
    }
  }

  @Test
  void anSqlErrorThatIsNoNetworkFault_isSurfacedByAReload_notAnsweredFromTheCache() throws Exception {
    try (Keyring k = pgk.keyring("main")) {
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      // the head moves (the poll sees it) and the reload's query fails with 42P01, a database that answers
      pgk.psql("ALTER TABLE clavis_key_version RENAME TO moved_away;"
          + " UPDATE clavis_keyring SET generation = generation + 1 WHERE name = 'main'");
      KeyringException e = firstFailureOfFind(k, "orders");
      assertTrue(e != null, "the reload's SQL error was hidden behind the cache");
      assertTrue(e.getMessage().contains("SQLSTATE 42P01"), e.getMessage());
    }
  }

  @Test
  void aPollAnsweredWithAnSqlErrorThatIsNoNetworkFault_isSurfacedAtOnce_notAnsweredFromTheCacheUntilTheBound()
      throws Exception {
    try (Keyring k = pgk.keyring("main")) { // clavis.maxStaleness: the default 30 s
      k.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      pgk.psql("ALTER TABLE clavis_keyring RENAME COLUMN generation TO generation_moved");
      KeyringException e = firstFailureOfFind(k, "orders");
      assertTrue(e != null, "the poll's SQL error was hidden behind the cache");
      assertTrue(e.getMessage().contains("SQLSTATE 42703"), e.getMessage());
      assertTrue(e.getMessage().contains("answers the freshness poll with an error"), e.getMessage());
    }
  }

  /** @return the first failure of {@code find} within 5 s (tried every 20 ms), or null if none */
  private static KeyringException firstFailureOfFind(Keyring k, String name) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        k.find(name);
        Thread.sleep(20);
      } catch (KeyringException x) {
        return x;
      }
    }
    return null;
  }
}
