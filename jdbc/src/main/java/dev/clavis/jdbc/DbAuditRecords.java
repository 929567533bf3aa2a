package dev.clavis.jdbc;

import dev.clavis.keyring.spi.AuditRecords;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The audit log of a database keyring: one row of {@code clavis_audit} per record, inserted on the
 * connection of the transaction running on this thread, so a record commits with the change it
 * records or not at all. A trigger refuses UPDATE, DELETE and TRUNCATE; the chain and the MACs
 * (the engine's) catch what a superuser does around it.
 */
final class DbAuditRecords implements AuditRecords {

  /** What the running transaction staged here: the first record, to settle an unknown commit outcome. */
  static final class Staged {
    long firstSeq;
    String firstLine;
  }

  private final PostgresKeyBackend backend;
  private final UUID id;
  private final String where;

  DbAuditRecords(PostgresKeyBackend backend, UUID id, String where) {
    this.backend = backend;
    this.id = id;
    this.where = where;
  }

  @Override
  public void append(long firstSeq, List<String> lines) {
    PostgresKeyBackend.Tx tx = backend.currentTx();
    if (tx == null) {
      throw new IllegalStateException("audit records are appended inside a transaction of " + where);
    }
    if (lines.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = tx.connection().prepareStatement(
        "INSERT INTO clavis_audit (keyring_id, seq, line) VALUES (?, ?, ?)")) {
      long seq = firstSeq;
      for (String line : lines) {
        ps.setObject(1, id);
        ps.setLong(2, seq++);
        ps.setString(3, line);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new SqlFault("cannot append to the audit table of " + where + ": " + Database.safeMessage(e), e);
    }
    if (tx.audit().firstLine == null) {
      tx.audit().firstSeq = firstSeq;
      tx.audit().firstLine = lines.get(0);
    }
  }

  @Override
  public List<String> read(long fromSeq) {
    List<String> out = backend.query("read the audit table of", c -> read(c, fromSeq));
    if (backend.currentTx() == null) {
      backend.afterAuditRead.run();
    }
    return out;
  }

  /** {@inheritDoc} In one REPEATABLE READ READ ONLY transaction of the backend's. */
  @Override
  public <T> T consistently(java.util.function.Supplier<T> reads) {
    return backend.consistently(reads);
  }

  private List<String> read(Connection c, long fromSeq) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT line FROM clavis_audit WHERE keyring_id = ? AND seq >= ? ORDER BY seq")) {
      ps.setObject(1, id);
      ps.setLong(2, fromSeq);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
    }
    return out;
  }

  @Override
  public String describe() {
    return "the audit table clavis_audit of " + where;
  }
}
