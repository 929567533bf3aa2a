package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the keyring's database is and how to reach it: the JDBC URL, the driver's properties
 * (Clavis's own {@code clavis.*} removed, time-outs defaulted so a vanished network fails a call
 * instead of hanging it), and the classification of driver errors into faults of the connection
 * (reconnect), conflicts (retry) and the rest.
 */
final class Database {

  private static final Pattern HOST = Pattern.compile("^jdbc:postgresql://([^/?]*)");

  private final String url;
  private final Properties driver;
  private final String hostPort;

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
    driver.putIfAbsent("connectTimeout", "5");
    driver.putIfAbsent("socketTimeout", "30");
    driver.putIfAbsent("tcpKeepAlive", "true");
    driver.putIfAbsent("ApplicationName", "clavis");
    Matcher m = HOST.matcher(url);
    this.hostPort = m.find() && !m.group(1).isEmpty() ? m.group(1) : "localhost:5432";
  }

  /** @return host:port (or the URL's host list), for messages; never credentials */
  String hostPort() {
    String h = hostPort;
    int at = h.lastIndexOf('@');
    return at >= 0 ? h.substring(at + 1) : h;
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

  KeyringException unreachable(String what, SQLException e) {
    return new KeyringException(what + " the PostgreSQL database at " + hostPort() + ": " + safeMessage(e)
        + " (SQLSTATE " + e.getSQLState() + ")", e);
  }

  /**
   * The driver's message, which never holds the password (it names the user and database at most);
   * for a failed batch the server's error, not the driver's text, which quotes the statement with its
   * parameters (wrapped keys, audit records).
   */
  static String safeMessage(SQLException e) {
    if (e instanceof java.sql.BatchUpdateException) {
      SQLException next = e.getNextException();
      return "a batch of statements failed: " + (next != null && !(next instanceof java.sql.BatchUpdateException)
          ? safeMessage(next) : "SQLSTATE " + e.getSQLState());
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
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
