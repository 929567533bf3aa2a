package dev.clavis.jdbc;

import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables Clavis creates and migrates itself: {@code clavis_schema} holds the version, and
 * {@link #MIGRATIONS} the statements from each version to the next (version 2 is added as a new
 * entry, never by editing version 1's). Creation and migration run in one transaction under an
 * advisory lock, so hosts starting together create the tables once.
 */
final class Schema {

  /** The schema version this code writes. */
  static final int CURRENT = 2;

  /** The advisory lock key that serialises creation and migration ("clavis" in ASCII). */
  private static final long LOCK = 0x636c61766973L;

  /** MIGRATIONS.get(i) takes the schema from version i to version i + 1. */
  static final List<List<String>> MIGRATIONS = List.of(List.of(
      "CREATE TABLE clavis_keyring ("
          + " id uuid PRIMARY KEY,"
          + " name text NOT NULL UNIQUE,"
          + " generation bigint NOT NULL,"
          + " protector bytea NOT NULL,"
          + " metadata bytea NOT NULL,"
          + " manifest bytea NOT NULL,"
          + " head_mac bytea NOT NULL)",
      "CREATE TABLE clavis_key_version ("
          + " keyring_id uuid NOT NULL REFERENCES clavis_keyring(id),"
          + " name text NOT NULL,"
          + " version int NOT NULL,"
          + " state text NOT NULL,"
          + " algorithm text NOT NULL,"
          + " exportable boolean NOT NULL,"
          + " generation bigint NOT NULL,"
          + " wrapped bytea NULL,"
          + " row_mac bytea NOT NULL,"
          + " PRIMARY KEY (keyring_id, name, version))",
      "CREATE TABLE clavis_audit ("
          + " keyring_id uuid NOT NULL REFERENCES clavis_keyring(id),"
          + " seq bigint NOT NULL,"
          + " line text NOT NULL,"
          + " PRIMARY KEY (keyring_id, seq))",
      "CREATE FUNCTION clavis_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
          + " BEGIN RAISE EXCEPTION 'clavis_audit is append-only: % refused', TG_OP"
          + " USING ERRCODE = 'insufficient_privilege'; END $$",
      "CREATE TRIGGER clavis_audit_no_change BEFORE UPDATE OR DELETE ON clavis_audit"
          + " FOR EACH ROW EXECUTE FUNCTION clavis_audit_append_only()",
      "CREATE TRIGGER clavis_audit_no_truncate BEFORE TRUNCATE ON clavis_audit"
          + " FOR EACH STATEMENT EXECUTE FUNCTION clavis_audit_append_only()"),
      // version 2: the head's metadata and manifest as content-defined chunks (HeadChunks); a
      // layout-1 head row stays readable and is rewritten as layout 2 by its next commit
      List.of("CREATE TABLE clavis_head_chunk ("
          + " keyring_id uuid NOT NULL REFERENCES clavis_keyring(id),"
          + " id bytea NOT NULL,"
          + " body bytea NOT NULL,"
          + " PRIMARY KEY (keyring_id, id))",
      // and each process's usage reservations, a view for operators (ReservationRows)
      "CREATE TABLE clavis_usage ("
          + " keyring_id uuid NOT NULL REFERENCES clavis_keyring(id),"
          + " holder uuid NOT NULL,"
          + " name text NOT NULL,"
          + " version int NOT NULL,"
          + " host text NOT NULL,"
          + " pid bigint NOT NULL,"
          + " held bigint NOT NULL,"
          + " updated timestamptz NOT NULL,"
          + " PRIMARY KEY (keyring_id, holder, name, version))"));

  private Schema() {}

  /**
   * Creates the tables if absent and migrates older ones; refuses a newer schema.
   *
   * @param c a connection in auto-commit mode (left so)
   * @param where the database, for messages
   * @param create whether to create the tables when there are none
   * @return whether the tables exist now
   * @throws StoreDamagedException of kind {@code UNSUPPORTED_VERSION} if the schema is newer than this code
   * @throws SQLException if the database fails
   */
  static boolean ensure(Connection c, String where, boolean create) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
      int version = version(s);
      if (version > CURRENT) {
        throw new StoreDamagedException(Kind.UNSUPPORTED_VERSION, "the Clavis tables in " + where + " are schema"
            + " version " + version + " but this Clavis knows versions up to " + CURRENT + ": upgrade Clavis on this"
            + " host (the database was not changed)");
      }
      if (version == 0 && !create) {
        c.rollback();
        return false;
      }
      if (version == 0) {
        s.execute("CREATE TABLE IF NOT EXISTS clavis_schema (version int NOT NULL)");
      }
      for (int v = version; v < CURRENT; v++) {
        for (String sql : MIGRATIONS.get(v)) {
          s.execute(sql);
        }
      }
      if (version == 0) {
        s.execute("INSERT INTO clavis_schema (version) VALUES (" + CURRENT + ")");
      } else if (version < CURRENT) {
        s.execute("UPDATE clavis_schema SET version = " + CURRENT);
      }
      c.commit();
      return true;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** @return the schema version, 0 if there are no Clavis tables */
  static int version(Statement s) throws SQLException {
    try (ResultSet r = s.executeQuery("SELECT to_regclass('clavis_schema') IS NOT NULL")) {
      r.next();
      if (!r.getBoolean(1)) {
        return 0;
      }
    }
    try (ResultSet r = s.executeQuery("SELECT max(version) FROM clavis_schema")) {
      r.next();
      return r.getInt(1);
    }
  }
}
