package dev.clavis.spec;

import java.security.KeyStore;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Opens the {@code Clavis} key store live on a keyring kept in a database (PostgreSQL, through
 * {@code clavis-jdbc} on the class path): {@code keyStore.load(new DatabaseKeyringParameter(url,
 * props, pw))} creates the tables and the keyring if absent, every change made through the
 * KeyStore is committed when the call returns (no {@code store()} needed), and many processes on
 * many hosts share the keyring. {@link #existing} opens an existing keyring only.
 *
 * <p>{@code connection} holds the driver's properties ({@code user}, {@code password},
 * {@code sslmode}...) and Clavis's own: {@code clavis.keyring} (the keyring's name inside the
 * database, default {@code default}) and {@code clavis.maxStaleness} (ISO-8601 duration, default
 * {@code PT30S}: how long reads keep working from the cache while the database is unreachable).
 * The password given here is the keyring's, not the database's. Neither {@link #toString()} nor
 * any error shows a password of the URL or the properties ({@link #redact(String)}).
 */
public final class DatabaseKeyringParameter implements KeyStore.LoadStoreParameter {

  private final String jdbcUrl;
  private final Properties connection;
  private final KeyStore.PasswordProtection protection;
  private final boolean createMissing;

  /**
   * Opens the keyring the URL and properties name, creating its tables and the keyring if absent.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db.example:5432/keys}
   * @param connection the driver's and Clavis's properties (copied; may be empty)
   * @param password the keyring's password; copied: wipe yours, and call {@link #destroy()} when done
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code jdbcUrl} does not start with {@code jdbc:}
   */
  public DatabaseKeyringParameter(String jdbcUrl, Properties connection, char[] password) {
    this(jdbcUrl, connection, password, true);
  }

  private DatabaseKeyringParameter(String jdbcUrl, Properties connection, char[] password, boolean createMissing) {
    this.jdbcUrl = requireJdbcUrl(jdbcUrl);
    this.connection = copy(Objects.requireNonNull(connection, "connection"));
    this.protection = new KeyStore.PasswordProtection(Objects.requireNonNull(password, "password").clone());
    this.createMissing = createMissing;
  }

  /**
   * Opens an existing keyring only: loading fails with an {@code IOException} naming the keyring
   * if the database holds none of that name, and nothing is created.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db.example:5432/keys}
   * @param connection the driver's and Clavis's properties (copied)
   * @param password the keyring's password; copied: wipe yours, and call {@link #destroy()} when done
   * @return the parameter
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code jdbcUrl} does not start with {@code jdbc:}
   */
  public static DatabaseKeyringParameter existing(String jdbcUrl, Properties connection, char[] password) {
    return new DatabaseKeyringParameter(jdbcUrl, connection, password, false);
  }

  /**
   * @param jdbcUrl a JDBC URL
   * @return {@code jdbcUrl} checked
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it does not start with {@code jdbc:} (the message shows it redacted)
   */
  public static String requireJdbcUrl(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.regionMatches(true, 0, "jdbc:", 0, 5)) {
      throw new IllegalArgumentException("not a JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE): " + redact(jdbcUrl));
    }
    return jdbcUrl;
  }

  /** @return whether loading creates the tables and the keyring when absent */
  public boolean createsMissing() {
    return createMissing;
  }

  /** @return the JDBC URL as given (it may hold a database password: do not log it; see {@link #redact}) */
  public String getJdbcUrl() {
    return jdbcUrl;
  }

  /** @return a copy of the connection properties */
  public Properties getConnection() {
    return copy(connection);
  }

  /** @return the password protection (a copy of the keyring's password, destroyable) */
  @Override
  public KeyStore.ProtectionParameter getProtectionParameter() {
    return protection;
  }

  /** Wipes the copied password. */
  public void destroy() {
    ProtectedPasswords.destroy(protection);
  }

  /** @return the URL redacted, the property names (values of secret ones masked); never a password */
  @Override
  public String toString() {
    return "DatabaseKeyringParameter{" + redact(jdbcUrl) + ", " + redact(connection)
        + (createMissing ? "" : ", existing only") + ", password=***}";
  }

  /**
   * A JDBC URL fit for messages and logs: a password in its user part ({@code //user:pw@host}) or
   * in a parameter whose name contains {@code password} ({@code ?password=...},
   * {@code sslpassword=...}) is replaced by {@code ***}; the rest is kept.
   *
   * @param jdbcUrl a JDBC URL, or null
   * @return the URL without passwords ({@code "null"} for null)
   */
  public static String redact(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "null";
    }
    String url = jdbcUrl;
    int query = url.indexOf('?');
    String head = query < 0 ? url : url.substring(0, query);
    int slashes = head.indexOf("//");
    int at = head.lastIndexOf('@');
    if (slashes >= 0 && at > slashes) {
      int colon = head.indexOf(':', slashes + 2);
      if (colon >= 0 && colon < at) {
        head = head.substring(0, colon + 1) + "***" + head.substring(at);
      }
    }
    if (query < 0) {
      return head;
    }
    StringBuilder out = new StringBuilder(head).append('?');
    String[] params = url.substring(query + 1).split("&", -1);
    for (int i = 0; i < params.length; i++) {
      String p = params[i];
      int eq = p.indexOf('=');
      String name = eq < 0 ? p : p.substring(0, eq);
      out.append(i == 0 ? "" : "&").append(isSecretName(name) && eq >= 0 ? name + "=***" : p);
    }
    return out.toString();
  }

  /**
   * @param connection connection properties, or null
   * @return them for messages: names and values, sorted, the value of a secret one ({@link #redact(String)}) masked
   */
  public static String redact(Properties connection) {
    if (connection == null) {
      return "{}";
    }
    TreeMap<String, String> shown = new TreeMap<>();
    for (String name : connection.stringPropertyNames()) {
      shown.put(name, isSecretName(name) ? "***" : connection.getProperty(name));
    }
    return shown.toString();
  }

  private static boolean isSecretName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("password") || n.contains("passwd") || n.contains("secret");
  }

  private static Properties copy(Properties from) {
    Properties to = new Properties();
    for (String name : from.stringPropertyNames()) {
      to.setProperty(name, from.getProperty(name));
    }
    return to;
  }

  /**
   * Equal when the URLs, the properties and the passwords are; the passwords are compared in
   * constant time, and a destroyed parameter equals no other (nor throws).
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DatabaseKeyringParameter)) {
      return false;
    }
    DatabaseKeyringParameter other = (DatabaseKeyringParameter) o;
    if (!other.jdbcUrl.equals(jdbcUrl) || !other.connection.equals(connection) || other.createMissing != createMissing
        || protection.isDestroyed() || other.protection.isDestroyed()) {
      return o == this;
    }
    return ProtectedPasswords.sameInConstantTime(protection, other.protection);
  }

  @Override
  public int hashCode() {
    return jdbcUrl.hashCode();
  }
}
