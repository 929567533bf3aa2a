package dev.clavis.jdbc;

import dev.clavis.keyring.KeyRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * Each process's usage reservations as rows of {@code clavis_usage} (schema 2), one per process
 * (an open keyring: its holder id) and version, written in the transaction that reserves or gives
 * back, so an operator sees who holds how many uses of which version:
 *
 * <pre>
 * SELECT name, version, host, pid, held, updated FROM clavis_usage ORDER BY name, version;
 * </pre>
 *
 * A process that gave its block back has no row; a row whose process is gone (SIGKILL, power loss)
 * shows the uses that stay counted, as they must (never under-count). The rows are a view: the count
 * the engine enforces is the one in the authenticated head (the metadata document), where a
 * reservation commits under the head's lock, so the limit holds across hosts and an edited or
 * deleted row changes nothing, and a failure writing them never fails the reservation
 * ({@link #write}). (Rows that decided the count would be a counter anyone with write
 * access could delete or roll back to exceed a usage limit, unless each reservation also rewrote an
 * authenticated anchor, which is the head commit that happens anyway.)
 */
final class ReservationRows {

  private final UUID keyring;
  private final UUID holder = UUID.randomUUID();
  private final String host = hostName();
  private final long pid = ProcessHandle.current().pid();

  ReservationRows(UUID keyring) {
    this.keyring = keyring;
  }

  /** @return this open keyring's id in {@code clavis_usage.holder} */
  UUID holder() {
    return holder;
  }

  /**
   * Writes what {@code held} says of each version (0 deletes the row), in the caller's transaction,
   * behind a savepoint: the rows are a view, so a failure on them (no grant on the table, a table
   * left out of a restore, a row locked by someone's open transaction beyond {@value #LOCK_WAIT_MS}
   * ms) is rolled back to the savepoint and the reservation commits without them. Only a lost
   * connection is thrown (the transaction is gone anyway).
   *
   * @return whether the rows were written
   * @throws SQLException if the connection was lost
   */
  boolean write(Connection c, Map<KeyRef, Long> held) throws SQLException {
    if (held.isEmpty()) {
      return true;
    }
    java.sql.Savepoint sp = c.setSavepoint();
    try {
      String before;
      try (java.sql.Statement st = c.createStatement();
          java.sql.ResultSet r = st.executeQuery("SELECT current_setting('lock_timeout'),"
              + " set_config('lock_timeout', '" + LOCK_WAIT_MS + "ms', true)")) {
        r.next();
        before = r.getString(1);
      }
      writeRows(c, held);
      try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
        ps.setString(1, before); // the rest of the transaction waits as the database is configured
        ps.execute();
      }
      c.releaseSavepoint(sp);
      return true;
    } catch (SQLException e) {
      if (Database.connectionLost(e)) {
        throw e;
      }
      c.rollback(sp); // also undoes the SET LOCAL
      failures.incrementAndGet();
      return false;
    }
  }

  /** How long a row write waits for a lock someone else holds on it before the view is skipped. */
  static final long LOCK_WAIT_MS = 200;

  private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

  /** @return how many commits went through without writing their rows (for tests and metrics) */
  long failures() {
    return failures.get();
  }

  private void writeRows(Connection c, Map<KeyRef, Long> held) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("INSERT INTO clavis_usage (keyring_id, holder, name, version,"
        + " host, pid, held, updated) VALUES (?, ?, ?, ?, ?, ?, ?, now()) ON CONFLICT (keyring_id, holder, name,"
        + " version) DO UPDATE SET held = EXCLUDED.held, updated = EXCLUDED.updated");
        PreparedStatement del = c.prepareStatement("DELETE FROM clavis_usage WHERE keyring_id = ? AND holder = ?"
            + " AND name = ? AND version = ?")) {
      for (Map.Entry<KeyRef, Long> e : held.entrySet()) {
        KeyRef ref = e.getKey();
        PreparedStatement ps = e.getValue() > 0 ? up : del;
        ps.setObject(1, keyring);
        ps.setObject(2, holder);
        ps.setString(3, ref.name());
        ps.setInt(4, ref.version().getAsInt());
        if (e.getValue() > 0) {
          ps.setString(5, host);
          ps.setLong(6, pid);
          ps.setLong(7, e.getValue());
        }
        ps.addBatch();
      }
      up.executeBatch();
      del.executeBatch();
    }
  }

  /** The host name without a DNS lookup (which may hang on a misconfigured host). */
  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return Files.readString(Path.of("/etc/hostname"), StandardCharsets.US_ASCII).strip();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
