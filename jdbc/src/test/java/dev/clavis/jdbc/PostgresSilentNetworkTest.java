package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.Postgres;
import dev.clavis.testkit.TcpProxy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network that goes silent (no reset: a cut cable, a NAT that forgot the connection) must not
 * make a read wait for the driver's 30 s socket timeout on a connection kept from before: the
 * cache answers, within the staleness bound, in a few seconds.
 */
class PostgresSilentNetworkTest {

  @TempDir
  Path marks;

  @Test
  void aReloadAfterTheNetworkWentSilent_doesNotWaitOnTheKeptSnapshotConnection() throws Exception {
    PgKeyrings pgk = new PgKeyrings(marks);
    try (Keyring direct = pgk.keyring("main")) {
      direct.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    try (TcpProxy proxy = TcpProxy.to(pgk.pg.host(), pgk.pg.port())) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + pgk.db + "?user=" + Postgres.USER
          + "&password=" + Postgres.PASSWORD;
      PostgresKeyBackend behind = (PostgresKeyBackend) new PostgresBackendFactory().open(url,
          pgk.props("main"), TestStores.PASSWORD.toCharArray(), PgKeyrings.kdf(), false);
      try (Keyring ring = Keyrings.open(behind); Keyring direct = pgk.keyring("main")) {
        // the open read through a snapshot and kept its connection as the spare
        long before = behind.generation();
        direct.rotate("orders", "test");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (behind.generation() == before) { // the poller learnt of it; the engine has not reloaded
          assertTrue(System.nanoTime() < deadline, "the poller did not see the rotation");
          Thread.sleep(10);
        }
        proxy.silence(true);
        proxy.refuseNew(true);
        Thread.sleep(PostgresKeyBackend.SUSPECT.toMillis() + 300);
        long t = System.nanoTime();
        // the reload's snapshot: on the kept connection it would wait for socketTimeout (30 s)
        int versions = ring.find("orders").orElseThrow().versions().size();
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertTrue(ms < 10_000, "the read waited " + ms + " ms on a silent network");
        assertEquals(1, versions, "the cache answered (the rotation is not readable from here)");
      }
    }
  }
}
