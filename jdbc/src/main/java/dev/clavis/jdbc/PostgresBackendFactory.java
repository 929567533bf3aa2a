package dev.clavis.jdbc;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.file.PasswordProtector;
import dev.clavis.keyring.spi.DatabaseBackendFactory;
import dev.clavis.keyring.spi.KeyBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * Opens {@link PostgresKeyBackend}s for {@code jdbc:postgresql:} URLs; found by
 * {@link java.util.ServiceLoader}. Clavis's own connection properties: {@value #KEYRING} (the
 * keyring's name in the database, default {@code default}), {@value #MAX_STALENESS} (ISO-8601,
 * default {@code PT30S}), {@value #COMMIT_MARK} (this host's commit mark file, default
 * {@code ~/.clavis/db-marks/<keyring id>.mark}) and {@value #LISTEN} ({@code true} or
 * {@code false}, default {@code true}).
 */
public final class PostgresBackendFactory implements DatabaseBackendFactory {

  /** The property naming the keyring inside the database. */
  public static final String KEYRING = "clavis.keyring";
  /** The property bounding how stale cached reads may be while the database is unreachable. */
  public static final String MAX_STALENESS = "clavis.maxStaleness";
  /** The property naming this host's commit mark file. */
  public static final String COMMIT_MARK = "clavis.commitMark";
  /**
   * The property that turns the {@code LISTEN} hint off ({@code false}): the generation poll alone
   * (at most a quarter of a second late), for connections through transaction-pooling PgBouncer,
   * where a {@code LISTEN} lands on whichever server connection the pool lends.
   */
  public static final String LISTEN = "clavis.listen";

  /** Creates the factory (ServiceLoader). */
  public PostgresBackendFactory() {
  }

  /**
   * {@inheritDoc}
   *
   * @throws NoSuchKeyringException if the keyring is absent and {@code createIfMissing} is false
   * @throws dev.clavis.keyring.WrongPasswordException if the password does not open it
   * @throws dev.clavis.keyring.StoreDamagedException if its rows were tampered with or the schema is newer
   * @throws KeyringException if the database is unreachable (naming host:port) or a property is malformed
   */
  @Override
  public KeyBackend open(String jdbcUrl, Properties connection, char[] password, KdfParameters kdfForNew,
      boolean createIfMissing) {
    if (!accepts(jdbcUrl)) {
      throw new KeyringException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
    }
    Properties p = connection == null ? new Properties() : connection;
    String keyring = p.getProperty(KEYRING, "default");
    if (keyring.isBlank()) {
      throw new KeyringException("the property " + KEYRING + " is empty: name the keyring inside the database");
    }
    Duration staleness;
    try {
      staleness = Duration.parse(p.getProperty(MAX_STALENESS, "PT30S"));
    } catch (DateTimeParseException e) {
      throw new KeyringException("the property " + MAX_STALENESS + " must be an ISO-8601 duration such as PT30S, got '"
          + p.getProperty(MAX_STALENESS) + "'");
    }
    if (staleness.isNegative()) {
      throw new KeyringException("the property " + MAX_STALENESS + " cannot be negative");
    }
    String listen = p.getProperty(LISTEN, "true");
    if (!listen.equals("true") && !listen.equals("false")) {
      throw new KeyringException("the property " + LISTEN + " must be true or false, got '" + listen + "'");
    }
    String mark = p.getProperty(COMMIT_MARK);
    return PostgresKeyBackend.open(jdbcUrl, p, keyring, new PasswordProtector(password, kdfForNew), createIfMissing,
        staleness, mark == null || mark.isBlank() ? null : Path.of(mark));
  }

  @Override
  public boolean accepts(String jdbcUrl) {
    return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
  }
}
