package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the keyring's database is and how to reach it: the JDBC URL, the driver's properties
 * (Clavis's own {@code clavis.*} removed, time-outs defaulted so a vanished network fails a call
 * instead of hanging it, server-side prepared statements off so a transaction pooler between
 * them works), and the classification of driver errors into faults of the connection
 * (reconnect), conflicts (retry) and the rest.
 */
final class Database {

  private final String url;
  private final Properties driver;
  private final String hostPort;
  private final boolean listen;
  private final String location;

  Database(String url, Properties connection) {
    this.url = Objects.requireNonNull(url, "jdbcUrl");
    this.driver = new Properties();
    if (connection != null) {
      for (String k : connection.stringPropertyNames()) {
        if (!k.startsWith("clavis.")) {
          driver.setProperty(k, connection.getProperty(k));
        }
      }
    }
    this.listen = connection == null || !"false".equals(connection.getProperty(PostgresBackendFactory.LISTEN));
    driver.putIfAbsent("connectTimeout", "5");
    driver.putIfAbsent("socketTimeout", "30");
    driver.putIfAbsent("tcpKeepAlive", "true");
    driver.putIfAbsent("ApplicationName", "clavis");
    // Unnamed statements only: behind a transaction-pooling PgBouncer the next transaction may run
    // on another server connection, where a named one is missing or already exists (42P05).
    driver.putIfAbsent("prepareThreshold", "0");
    // a server error's "Detail: Failing row contains (...)" could carry a row's bytes (wrapped keys)
    driver.putIfAbsent("logServerErrorDetail", "false");
    this.hostPort = JdbcUrl.hostPort(url);
    this.location = JdbcUrl.location(url);
  }

  /** @return whether the freshness thread LISTENs ({@code clavis.listen}, default true) or only polls */
  boolean listens() {
    return listen;
  }

  /** @return host:port (or the URL's host list), for messages; never credentials */
  String hostPort() {
    return hostPort;
  }

  /**
   * @return host:port/database, which names the keyring's place in descriptions (and so in a
   *     quorum's approval of a migration); never credentials or the URL's other properties
   */
  String location() {
    return location;
  }

  /**
   * @return a new connection in auto-commit mode
   * @throws KeyringException naming host:port if the database cannot be reached
   */
  Connection connect() {
    try {
      return DriverManager.getConnection(url, driver);
    } catch (SQLException e) {
      throw unreachable("cannot connect to", e);
    }
  }

  /**
   * @return the failure to report: a {@link DatabaseUnreachableException} for a network fault
   *     ({@link #networkFault}), which a read may answer from the cache, else a plain KeyringException
   */
  KeyringException unreachable(String what, SQLException e) {
    String m = what + " the PostgreSQL database at " + hostPort() + ": " + safeMessage(e) + " (SQLSTATE "
        + e.getSQLState() + ")";
    return networkFault(e) ? new DatabaseUnreachableException(m, redacted(e)) : new KeyringException(m, redacted(e));
  }

  /**
   * @return whether the error says the database cannot be reached now: SQLSTATE class 08 (no
   *     connection, or it broke) or the server shutting down or starting (57P01-57P03); a database
   *     that answers with any other error is not unreachable
   */
  static boolean networkFault(SQLException e) {
    String s = e.getSQLState();
    return s != null && (s.startsWith("08") || s.equals("57P01") || s.equals("57P02") || s.equals("57P03"));
  }

  /**
   * The driver's message with any JDBC URL in it cut to host, port and database, and any
   * {@code password=} masked: the driver manager's "No suitable driver found for URL" echoes the
   * whole URL, query string and password included.
   * For a failed batch the server's error, not the driver's text, which quotes the statement with its
   * parameters (wrapped keys, audit records).
   */
  static String safeMessage(SQLException e) {
    if (e instanceof java.sql.BatchUpdateException) {
      SQLException next = e.getNextException();
      return "a batch of statements failed: " + (next != null && !(next instanceof java.sql.BatchUpdateException)
          ? safeMessage(next) : "SQLSTATE " + e.getSQLState());
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : JdbcUrl.redactIn(m);
  }

  /**
   * @return a copy of {@code e} to carry as a cause: the same SQLSTATE, code and stack, its message
   *     and its causes' messages redacted ({@link #safeMessage}), since stack traces get printed
   */
  static SQLException redacted(SQLException e) {
    SQLException copy = new SQLException(safeMessage(e), e.getSQLState(), e.getErrorCode());
    copy.setStackTrace(e.getStackTrace());
    Throwable cause = e.getCause();
    if (cause != null) {
      copy.initCause(redactedCause(cause, 0));
    }
    return copy;
  }

  private static Throwable redactedCause(Throwable t, int depth) {
    Exception copy = new Exception(t.getClass().getName() + ": " + JdbcUrl.redactIn(String.valueOf(t.getMessage())));
    copy.setStackTrace(t.getStackTrace());
    if (t.getCause() != null && t.getCause() != t && depth < 8) {
      copy.initCause(redactedCause(t.getCause(), depth + 1));
    }
    return copy;
  }

  /** @return whether the error means the connection is gone (reconnect and, before COMMIT, retry) */
  static boolean connectionLost(SQLException e) {
    String s = e.getSQLState();
    return s == null || s.startsWith("08") || s.equals("57P01") || s.equals("57P02") || s.equals("57P03");
  }

  /** @return whether the error is a serialisation failure or a deadlock (retry the transaction) */
  static boolean conflict(SQLException e) {
    String s = e.getSQLState();
    return "40001".equals(s) || "40P01".equals(s);
  }

  static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // already broken
      }
    }
  }
}
