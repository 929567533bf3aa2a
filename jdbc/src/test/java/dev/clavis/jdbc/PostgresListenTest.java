package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.TestStores;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clavis.listen=false} really sends no {@code LISTEN} (through transaction-pooling PgBouncer
 * one would land on a connection the pool lends to others): the server's statement log of the
 * database ({@code log_statement = all}) is read while a backend opens and its freshness thread
 * polls once; with the default, the same log shows the {@code LISTEN} (the control).
 */
class PostgresListenTest {

  @TempDir
  Path marks;

  @Test
  void withListenOffTheFreshnessThreadOnlyPolls() throws Exception {
    PgKeyrings pgk = new PgKeyrings(marks);
    pgk.keyring("main").close();
    pgk.psql("ALTER DATABASE " + pgk.db + " SET log_statement = 'all'");
    assertTrue(listensWhileOpen(pgk, null) > 0, "the default LISTENs (the control)");
    assertEquals(0, listensWhileOpen(pgk, "false"), "clavis.listen=false sent a LISTEN");
  }

  /** @return how many LISTENs the server logged while a backend opened and polled once */
  private static int listensWhileOpen(PgKeyrings pgk, String listen) throws InterruptedException {
    int from = pgk.pg.serverLog().length();
    Properties p = pgk.props("main");
    if (listen != null) {
      p.setProperty(PostgresBackendFactory.LISTEN, listen);
    }
    try (PostgresKeyBackend b = pgk.backend("main", p, TestStores.PASSWORD, false)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!pgk.pg.serverLog().substring(from).contains("SELECT generation FROM clavis_keyring WHERE id")) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the freshness thread did not poll within 10 s: "
              + pgk.pg.serverLog().substring(from));
        }
        Thread.sleep(20);
      }
    }
    String log = pgk.pg.serverLog().substring(from);
    int n = 0;
    String listenStatement = "LISTEN " + Freshness.CHANNEL;
    for (int i = log.indexOf(listenStatement); i >= 0; i = log.indexOf(listenStatement, i + 1)) {
      n++;
    }
    return n;
  }
}
