package dev.clavis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PostgresTest {

  @Test
  void aFreshDatabaseKeepsWhatWasCommittedAcrossARestart() {
    Postgres pg = Postgres.require();
    String db = pg.createDatabase();
    pg.psql(db, "CREATE TABLE t (v int); INSERT INTO t VALUES (7)");
    pg.restart();
    assertEquals("7", pg.psql(db, "SELECT v FROM t"));
    assertTrue(pg.jdbcUrl(db).startsWith("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + db + "?"));
  }

  @Test
  void databasesAreSeparate() {
    Postgres pg = Postgres.require();
    String a = pg.createDatabase();
    String b = pg.createDatabase();
    assertNotEquals(a, b);
    pg.psql(a, "CREATE TABLE only_in_a (v int)");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> pg.psql(b, "SELECT * FROM only_in_a"));
    assertTrue(e.getMessage().contains("only_in_a"), e.getMessage());
  }

  @Test
  void aKilledServerRecoversItsCommittedRows() {
    Postgres pg = Postgres.require();
    String db = pg.createDatabase();
    pg.psql(db, "CREATE TABLE t (v int); INSERT INTO t VALUES (1), (2)");
    pg.kill();
    pg.start();
    assertEquals("2", pg.psql(db, "SELECT count(*) FROM t"));
  }
}
