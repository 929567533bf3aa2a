package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each process's usage reservation is a row of {@code clavis_usage}: written with the reservation,
 * deleted with the give-back, left (still counted) by a process killed with SIGKILL.
 */
class PostgresReservationRowsTest {

  private static final byte[] AAD = "aad".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path marks;
  PgKeyrings pgk;

  @BeforeEach
  void limitedKey() {
    pgk = new PgKeyrings(marks);
    try (Keyring k = pgk.keyring("main")) {
      k.create("limited", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(10_000).autoRotate(false).build());
    }
  }

  private String rows() {
    return pgk.psql("SELECT name || '#' || version || ' ' || held || ' ' || (pid = " + ProcessHandle.current().pid()
        + ") FROM clavis_usage ORDER BY holder").strip();
  }

  private int holders() {
    return Integer.parseInt(pgk.psql("SELECT count(DISTINCT holder) FROM clavis_usage").strip());
  }

  @Test
  void eachProcessReservationIsARow_untilItGivesItBack() {
    try (Keyring a = pgk.keyring("main")) {
      try (Keyring b = pgk.keyring("main")) {
        a.encrypt("limited", new byte[] {1}, AAD);
        b.encrypt("limited", new byte[] {2}, AAD);
        assertEquals(2, holders(), rows());
        assertEquals("limited#1 8 true\nlimited#1 8 true", rows(), "two holders, a first block of 8 each");
        long counted = a.find("limited").orElseThrow().versions().get(0).usageCount();
        assertTrue(counted >= 1, "uses seen: " + counted);
      }
      assertEquals(1, holders(), "b's give-back at close deleted its row: " + rows());
      for (int i = 0; i < 8; i++) {
        a.encrypt("limited", new byte[] {3}, AAD);
      }
      String one = rows();
      assertTrue(one.startsWith("limited#1 ") && Long.parseLong(one.split(" ")[1]) > 8,
          "a used up its block and holds a larger one: " + one);
    }
    assertEquals(0, holders(), "every reservation given back: " + rows());
  }

  /** A worker that reserves a block and waits to be killed. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      Properties p = new Properties();
      p.setProperty(PostgresBackendFactory.KEYRING, "main");
      p.setProperty(PostgresBackendFactory.COMMIT_MARK, args[1]);
      Keyring k = Keyrings.open(new PostgresBackendFactory().open(args[0], p, TestStores.PASSWORD.toCharArray(),
          PgKeyrings.kdf(), false));
      k.encrypt("limited", new byte[] {9}, AAD);
      System.out.println("reserved");
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  @Test
  void aKilledProcessLeavesItsRow_andItsUsesStayCounted() throws Exception {
    Process child = ChildJvm.start(Holder.class, Map.of(), pgk.url, marks.resolve("child.mark").toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      assertEquals("reserved", out.readLine());
    }
    child.destroyForcibly(); // SIGKILL: no give-back
    assertTrue(child.waitFor(10, TimeUnit.SECONDS));
    assertEquals("limited#1 8 false", rows(), "the killed process's row, with its pid");
    try (Keyring k = pgk.keyring("main")) {
      long counted = k.find("limited").orElseThrow().versions().get(0).usageCount();
      assertTrue(counted >= 8, "the killed process's whole block stays counted: " + counted);
    }
  }

  @Test
  void aFailureOnTheView_neverFailsAReservation() throws Exception {
    // a restore that left the table out (or a role without its grant): the reservation commits without its row
    pgk.psql("DROP TABLE clavis_usage");
    PostgresKeyBackend b = pgk.backend("main");
    try (Keyring k = Keyrings.open(b)) {
      byte[] env = k.encrypt("limited", new byte[] {5}, AAD);
      assertEquals(5, k.decrypt(env, AAD)[0]);
      assertTrue(b.reservationRowFailures() >= 1, "the view was skipped, the use went through");
      assertTrue(k.find("limited").orElseThrow().versions().get(0).usageCount() >= 1, "and it is counted");
    }
  }

  @Test
  void aRowLockedByAnOpenTransaction_doesNotHoldTheKeyringUp() throws Exception {
    PostgresKeyBackend b = pgk.backend("main");
    try (Keyring k = Keyrings.open(b);
        java.sql.Connection other = java.sql.DriverManager.getConnection(pgk.url)) {
      k.encrypt("limited", new byte[] {1}, AAD);
      other.setAutoCommit(false);
      try (java.sql.Statement st = other.createStatement()) {
        st.execute("LOCK TABLE clavis_usage IN ACCESS EXCLUSIVE MODE"); // an operator's forgotten transaction
      }
      long t = System.nanoTime();
      for (int i = 0; i < 8; i++) { // uses up the first block: the next one is reserved
        k.encrypt("limited", new byte[] {2}, AAD);
      }
      long ms = (System.nanoTime() - t) / 1_000_000;
      assertTrue(ms < 5_000, "the reservation waited " + ms + " ms behind the lock");
      assertTrue(b.reservationRowFailures() >= 1);
      other.rollback();
    }
  }
}
