package dev.clavis.cli;

import dev.clavis.keyring.AuditOptions;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.jdbc.NoSuchKeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.spec.DatabaseKeyringParameter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The keyring a command line names in a database: {@code --db JDBC_URL} (else {@code $CLAVIS_DB})
 * and {@code --keyring NAME} (else {@code $CLAVIS_KEYRING}, else {@code default}). The
 * connection's user and password come as libpq users expect: in the URL, else {@code $PGUSER} and
 * {@code $PGPASSWORD}, else the driver's own {@code ~/.pgpass} lookup. A database password in
 * {@code --db} itself is refused before parsing ({@link ArgvSecrets}): every user of the machine
 * can read a process's arguments; {@code $CLAVIS_DB} may hold one.
 */
final class DatabaseOpener {

  /** The environment variable naming the database when {@code --db} does not. */
  static final String ENV_DB = "CLAVIS_DB";
  /** The environment variable naming the keyring inside the database when {@code --keyring} does not. */
  static final String ENV_KEYRING = "CLAVIS_KEYRING";
  /** The property of the connection that names the keyring inside the database (clavis-jdbc's). */
  static final String KEYRING_PROPERTY = "clavis.keyring";

  private static final System.Logger LOG = System.getLogger("dev.clavis.cli");

  private final GlobalOptions options;
  private final Map<String, String> env;
  private final String url;

  DatabaseOpener(GlobalOptions options, Map<String, String> env) {
    this(options, env, null);
  }

  /** @param url the database of {@code migrate --to-db/--from-db}, instead of {@code --db} */
  DatabaseOpener(GlobalOptions options, Map<String, String> env, String url) {
    this.options = options;
    this.env = env;
    this.url = url;
  }

  /**
   * @return whether the command line names a database keyring
   * @throws CliException a usage error if it names a database and a file store or token as well
   */
  boolean named() {
    if (options.db == null && options.keyring != null) {
      if (jdbcUrlOrNull() == null) {
        throw CliException.usage("--keyring names a keyring inside a database: give the database with --db JDBC_URL");
      }
    }
    if (options.db != null && (options.store != null || options.hsm != null)) {
      throw CliException.usage("--db names a keyring in a database: give --db or --store/--hsm, not both");
    }
    if (options.db != null || options.store != null || options.hsm != null) {
      return options.db != null;
    }
    String fromEnv = env.get(ENV_DB);
    if (fromEnv != null && env.get(StoreOpener.ENV_STORE) != null) {
      throw CliException.usage(ENV_DB + " and " + StoreOpener.ENV_STORE + " are both set: say which keyring with --db or"
          + " --store");
    }
    return fromEnv != null && !fromEnv.isEmpty();
  }

  private String jdbcUrlOrNull() {
    if (url != null) {
      return url;
    }
    if (options.db != null) {
      return options.db;
    }
    String e = env.get(ENV_DB);
    return e == null || e.isEmpty() ? null : e;
  }

  /** @return the JDBC URL (it may hold a password when it came from $CLAVIS_DB: show {@link #describe()}) */
  String jdbcUrl() {
    String url = jdbcUrlOrNull();
    if (url == null) {
      throw CliException.usage("no database: give --db JDBC_URL or set " + ENV_DB);
    }
    try {
      return DatabaseKeyringParameter.requireJdbcUrl(url);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--db: " + e.getMessage());
    }
  }

  /** @return the keyring's name inside the database */
  String keyringName() {
    String k = options.keyring != null ? options.keyring : env.get(ENV_KEYRING);
    return k == null || k.isEmpty() ? "default" : k;
  }

  /** @return "keyring NAME in URL", the URL without passwords */
  String describe() {
    return "keyring '" + keyringName() + "' in " + DatabaseKeyringParameter.redact(jdbcUrl());
  }

  /** @return the connection properties: user and password unless the URL has them, and the keyring's name */
  Properties connection() {
    String url = jdbcUrl();
    Properties p = new Properties();
    if (options.dbProperties != null) {
      for (String kv : options.dbProperties) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw CliException.usage("--db-property takes NAME=VALUE, got '" + kv + "'");
        }
        p.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    p.setProperty(KEYRING_PROPERTY, keyringName());
    putUnlessInUrl(p, url, "user", env.get("PGUSER"));
    putUnlessInUrl(p, url, "password", env.get("PGPASSWORD"));
    return p;
  }

  private static void putUnlessInUrl(Properties p, String url, String name, String value) {
    if (value != null && !value.isEmpty() && !hasParameter(url, name)) {
      p.setProperty(name, value);
    }
  }

  /** @return whether the URL's query has the parameter {@code name} (case-insensitive, as the driver reads it) */
  static boolean hasParameter(String url, String name) {
    int q = url.indexOf('?');
    if (q < 0) {
      return false;
    }
    for (String param : url.substring(q + 1).split("&")) {
      int eq = param.indexOf('=');
      String n = eq < 0 ? param : param.substring(0, eq);
      if (n.toLowerCase(Locale.ROOT).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param nameValue a {@code --db-property} argument
   * @return whether it sets a password (or another property whose value {@link DatabaseKeyringParameter#redact} masks)
   */
  static boolean setsASecret(String nameValue) {
    int eq = nameValue.indexOf('=');
    if (eq <= 0) {
      return false;
    }
    Properties one = new Properties();
    one.setProperty(nameValue.substring(0, eq), "-");
    return DatabaseKeyringParameter.redact(one).contains("***");
  }

  /**
   * @param url a {@code --db} argument
   * @return whether it carries a password ({@code password=} in its query or {@code user:pw@} before the host)
   */
  static boolean carriesPassword(String url) {
    return !DatabaseKeyringParameter.redact(url).equals(url);
  }

  /**
   * @param audit the audit settings
   * @return the existing keyring
   * @throws CliException if the database holds no keyring of that name, saying how to create one
   */
  Keyring openExisting(AuditOptions audit) {
    char[] password = password(false);
    try {
      return openExisting(password, audit);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * @param password the keyring's password; not kept, the caller wipes it
   * @param audit the audit settings
   * @return the existing keyring
   * @throws CliException if the database holds no keyring of that name, saying how to create one
   */
  Keyring openExisting(char[] password, AuditOptions audit) {
    try {
      return open(password, false, KdfParameters.defaults(), audit);
    } catch (NoSuchKeyringException e) {
      throw noKeyring();
    }
  }

  /**
   * Creates the keyring (and the tables if absent); refuses one that exists already, as
   * {@code clavis init} refuses an existing file, without writing to it.
   *
   * @param kdfForNew the KDF of the new keyring
   * @param audit the audit settings
   * @return the new keyring
   * @throws CliException if a keyring of that name exists in the database
   */
  Keyring create(KdfParameters kdfForNew, AuditOptions audit) {
    char[] password = password(true);
    try {
      return create(password, kdfForNew, audit);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * As {@link #create(KdfParameters, AuditOptions)} with the password given.
   *
   * @param password the new keyring's password; not kept, the caller wipes it
   */
  Keyring create(char[] password, KdfParameters kdfForNew, AuditOptions audit) {
    try {
      open(password, false, kdfForNew, audit).close();
      throw new CliException("a " + describe() + " exists already; it is never reused for a new keyring (choose"
          + " another name with --keyring)");
    } catch (dev.clavis.keyring.WrongPasswordException e) {
      throw new CliException("a " + describe() + " exists already (the password given does not open it); it is"
          + " never reused for a new keyring (choose another name with --keyring)");
    } catch (NoSuchKeyringException e) {
      return open(password, true, kdfForNew, audit);
    }
  }


  /**
   * @param password the keyring's password; not kept, the caller wipes it
   * @return the keyring, created (with the tables) if absent
   */
  Keyring openOrCreate(char[] password, KdfParameters kdfForNew, AuditOptions audit) {
    return open(password, true, kdfForNew, audit);
  }

  /**
   * {@code passwd} on the database keyring: the current password as for every command, the new one
   * from {@code newPasswords}.
   *
   * @throws CliException if the keyring does not exist or the new password is the current one
   */
  void changePassword(Passwords newPasswords) {
    char[] password = password(false);
    char[] fresh = null;
    try {
      fresh = newPasswords.read("New password for " + describe(), true);
      if (StoreOpener.sameSecret(password, fresh)) {
        throw new CliException("the new password is the current one; nothing was changed");
      }
      Keyrings.changeDatabasePassword(jdbcUrl(), connection(), password, fresh);
    } catch (NoSuchKeyringException e) {
      throw noKeyring();
    } finally {
      Arrays.fill(password, '\0');
      if (fresh != null) {
        Arrays.fill(fresh, '\0');
      }
    }
  }

  /**
   * {@code migrate-kdf} on the database keyring.
   *
   * @throws CliException if the keyring does not exist
   */
  void migrateKdf(KdfParameters kdf) {
    char[] password = password(false);
    try {
      Keyrings.migrateDatabaseKdf(jdbcUrl(), connection(), password, kdf);
    } catch (NoSuchKeyringException e) {
      throw noKeyring();
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private CliException noKeyring() {
    return new CliException("no " + describe() + ": create it with 'clavis init --db URL"
        + (keyringName().equals("default") ? "" : " --keyring " + keyringName()) + "'");
  }

  private char[] password(boolean creating) {
    return new Passwords(options.passwordFile, env).read((creating ? "New password for " : "Password for ") + describe(),
        creating);
  }

  private Keyring open(char[] password, boolean create, KdfParameters kdfForNew, AuditOptions audit) {
    String what = describe();
    LOG.log(System.Logger.Level.DEBUG, () -> (create ? "creating " : "opening ") + what);
    return Keyrings.open(KeyringOptions.database(jdbcUrl(), connection()).password(password)
        .createIfMissing(create).kdfForNew(kdfForNew).audit(audit));
  }
}
