package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;
import java.sql.SQLException;

/**
 * A driver error met inside a transaction's callback (an audit append, a row read), carried out
 * of the engine's code unchanged so the transaction can tell a lost connection or a conflict
 * (retried) from the rest. The cause is carried redacted (its SQLSTATE kept).
 */
final class SqlFault extends KeyringException {
  private static final long serialVersionUID = 1L;

  SqlFault(String message, SQLException cause) {
    super(message, Database.redacted(cause));
  }

  SQLException sql() {
    return (SQLException) getCause();
  }
}
