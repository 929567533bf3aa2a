package dev.clavis.keyring;

import dev.clavis.spec.DatabaseKeyringParameter;
import java.util.Objects;
import java.util.Properties;

/** Where a database keyring is: its JDBC URL and connection properties, copied and never shown with a password. */
final class DatabaseTarget {

  private final String jdbcUrl;
  private final Properties connection;

  /**
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code jdbcUrl} does not start with {@code jdbc:}
   */
  DatabaseTarget(String jdbcUrl, Properties connection) {
    this.jdbcUrl = DatabaseKeyringParameter.requireJdbcUrl(jdbcUrl);
    this.connection = copy(Objects.requireNonNull(connection, "connection"));
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  Properties connection() {
    return copy(connection);
  }

  private static Properties copy(Properties from) {
    Properties to = new Properties();
    for (String name : from.stringPropertyNames()) {
      to.setProperty(name, from.getProperty(name));
    }
    return to;
  }

  /** @return the URL and properties with their passwords masked */
  @Override
  public String toString() {
    return DatabaseKeyringParameter.redact(jdbcUrl) + " " + DatabaseKeyringParameter.redact(connection);
  }
}
