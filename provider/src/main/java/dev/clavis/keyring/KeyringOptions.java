package dev.clavis.keyring;

import dev.clavis.pkcs11.Pkcs11Config;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@link Keyrings#open(KeyringOptions)} opens, and how: an immutable value, each setter
 * returning a new one.
 *
 * <ul>
 *   <li>{@link #file(Path)} with {@link #password(char[])}: the encrypted file store;
 *   <li>{@link #token(Pkcs11Config)} with {@link #pin(char[])}: the keys on a PKCS#11 token;
 *   <li>{@link #tokenRootedFile(Path, Pkcs11Config)} with {@link #pin(char[])}: a file store
 *       whose master key is wrapped by a key on the token;
 *   <li>{@link #database(String, Properties)} with {@link #password(char[])}: a keyring kept in a
 *       database, shared by many processes and hosts (needs {@code clavis-jdbc} on the class path).
 * </ul>
 *
 * A file store (or a database keyring) is created when missing unless {@link #createIfMissing(boolean)} says not to
 * (tools that must not turn a mistyped path into a new empty store say {@code false}). The
 * password and PIN arrays are referenced, not copied: the caller wipes them after the open;
 * {@link #toString()} never shows them.
 */
public final class KeyringOptions {

  /** Which kind of keyring the options open. */
  public enum Kind {
    /** An encrypted file store protected by a password. */
    FILE,
    /** The keys on a PKCS#11 token. */
    TOKEN,
    /** A file store whose master key is wrapped by a key on a PKCS#11 token. */
    TOKEN_ROOTED_FILE,
    /** A keyring kept in a database (PostgreSQL through clavis-jdbc), protected by a password. */
    DATABASE
  }

  private final Kind kind;
  private final Path file;
  private final Pkcs11Config token;
  private final DatabaseTarget database;
  private final char[] secret;
  private final boolean createIfMissing;
  private final KdfParameters kdfForNew;
  private final Clock clock;
  private final AuditOptions audit;
  private final DataKeyCachePolicy dataKeyCache;

  private KeyringOptions(Kind kind, Path file, Pkcs11Config token, char[] secret, boolean createIfMissing,
      KdfParameters kdfForNew, Clock clock) {
    this(kind, file, token, null, secret, createIfMissing, kdfForNew, clock, AuditOptions.defaults(), null);
  }

  private KeyringOptions(Kind kind, Path file, Pkcs11Config token, DatabaseTarget database, char[] secret,
      boolean createIfMissing, KdfParameters kdfForNew, Clock clock, AuditOptions audit,
      DataKeyCachePolicy dataKeyCache) {
    this.audit = audit;
    this.kind = kind;
    this.file = file;
    this.token = token;
    this.database = database;
    this.secret = secret;
    this.createIfMissing = createIfMissing;
    this.kdfForNew = kdfForNew;
    this.clock = clock;
    this.dataKeyCache = dataKeyCache;
  }

  /**
   * @param file the store file
   * @return options for the password-protected file store at {@code file}
   * @throws NullPointerException if {@code file} is null
   */
  public static KeyringOptions file(Path file) {
    return new KeyringOptions(Kind.FILE, Objects.requireNonNull(file, "file"), null, null, true,
        KdfParameters.defaults(), Clock.systemUTC());
  }

  /**
   * @param config the token's configuration
   * @return options for the keyring on the token
   * @throws NullPointerException if {@code config} is null
   */
  public static KeyringOptions token(Pkcs11Config config) {
    return new KeyringOptions(Kind.TOKEN, null, Objects.requireNonNull(config, "config"), null, false, null,
        Clock.systemUTC());
  }

  /**
   * @param file the store file
   * @param config the token holding the store's root key
   * @return options for the token-rooted file store at {@code file}
   * @throws NullPointerException if an argument is null
   */
  public static KeyringOptions tokenRootedFile(Path file, Pkcs11Config config) {
    return new KeyringOptions(Kind.TOKEN_ROOTED_FILE, Objects.requireNonNull(file, "file"),
        Objects.requireNonNull(config, "config"), null, true, null, Clock.systemUTC());
  }

  /**
   * A keyring kept in a database: {@link Keyrings#open} finds a backend for the URL with
   * {@link java.util.ServiceLoader} ({@code clavis-jdbc} provides the PostgreSQL one).
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db.example:5432/keys}
   * @param connection the driver's properties ({@code user}, {@code password}, {@code sslmode}...)
   *     and Clavis's own ({@code clavis.keyring}: the keyring's name in the database, default
   *     {@code default}; {@code clavis.maxStaleness}); copied
   * @return options for that keyring, created when missing unless {@link #createIfMissing} says not to
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code jdbcUrl} does not start with {@code jdbc:}
   */
  public static KeyringOptions database(String jdbcUrl, Properties connection) {
    return new KeyringOptions(Kind.DATABASE, null, null, new DatabaseTarget(jdbcUrl, connection), null, true,
        KdfParameters.defaults(), Clock.systemUTC(), AuditOptions.defaults(), null);
  }

  /**
   * @param password the file store's or database keyring's password (referenced, not copied)
   * @return these options with the password
   * @throws IllegalStateException if these options open a token (give a {@link #pin(char[])})
   */
  public KeyringOptions password(char[] password) {
    if (kind != Kind.FILE && kind != Kind.DATABASE) {
      throw new IllegalStateException("a " + kind + " keyring is opened with a PIN, not a password");
    }
    return new KeyringOptions(kind, file, token, database, Objects.requireNonNull(password, "password"), createIfMissing,
        kdfForNew, clock, audit, dataKeyCache);
  }

  /**
   * @param pin the token's PIN (referenced, not copied)
   * @return these options with the PIN
   * @throws IllegalStateException if these options open a password-protected file store or database keyring
   */
  public KeyringOptions pin(char[] pin) {
    if (kind == Kind.FILE || kind == Kind.DATABASE) {
      throw new IllegalStateException("a " + (kind == Kind.FILE ? "file store" : "database keyring")
          + " is opened with a password, not a PIN");
    }
    return new KeyringOptions(kind, file, token, database, Objects.requireNonNull(pin, "pin"), createIfMissing, kdfForNew,
        clock, audit, dataKeyCache);
  }

  /**
   * @param create whether a missing file store is created (the default) or refused
   * @return these options with that choice
   * @throws IllegalStateException if these options open a token (nothing is created there)
   */
  public KeyringOptions createIfMissing(boolean create) {
    if (kind == Kind.TOKEN) {
      throw new IllegalStateException("a token keyring is never created by opening it");
    }
    return new KeyringOptions(kind, file, token, database, secret, create, kdfForNew, clock, audit, dataKeyCache);
  }

  /**
   * @param kdf the KDF a file store or database keyring created by this open gets (an existing one keeps its own)
   * @return these options with that KDF
   * @throws IllegalStateException if these options do not open a password-protected store
   */
  public KeyringOptions kdfForNew(KdfParameters kdf) {
    if (kind != Kind.FILE && kind != Kind.DATABASE) {
      throw new IllegalStateException("only a password-protected file store or database keyring has a KDF");
    }
    return new KeyringOptions(kind, file, token, database, secret, createIfMissing, Objects.requireNonNull(kdf, "kdf"), clock,
        audit, dataKeyCache);
  }

  /**
   * @param clock the time source of the keyring (tests, simulations)
   * @return these options with that clock
   */
  public KeyringOptions clock(Clock clock) {
    return new KeyringOptions(kind, file, token, database, secret, createIfMissing, kdfForNew,
        Objects.requireNonNull(clock, "clock"), audit, dataKeyCache);
  }

  /**
   * @param audit what the keyring's audit log records beyond lifecycle changes (actor, usage period, decryptions)
   * @return these options with those audit settings
   */
  public KeyringOptions audit(AuditOptions audit) {
    return new KeyringOptions(kind, file, token, database, secret, createIfMissing, kdfForNew, clock,
        Objects.requireNonNull(audit, "audit"), dataKeyCache);
  }

  /**
   * @param principal who every audit record of this keyring names as its actor when the thread runs as
   *     no one ({@link AuditActor}); the default is the operating-system user
   * @return these options with that actor
   * @throws IllegalArgumentException as {@link AuditActor#requireValid(String)}
   */
  public KeyringOptions actor(String principal) {
    return audit(audit.actor(principal));
  }

  /**
   * @param on whether every decryption gets its own audit record (a durable write per decryption)
   * @return these options with that choice
   */
  public KeyringOptions auditDecrypts(boolean on) {
    return audit(audit.auditDecrypts(on));
  }

  /** @return the audit settings */
  public AuditOptions auditOptions() {
    return audit;
  }

  /**
   * Turns the data-key cache on (it is off by default): unwrapped data keys are kept in memory
   * within {@code policy}'s bounds, every hit still checked against the KEK version's state, and
   * wiped on expiry, on a state change of the KEK in any process, and on close (docs/envelope.md).
   *
   * @param policy the cache's bounds
   * @return these options with the cache
   * @throws NullPointerException if {@code policy} is null
   */
  public KeyringOptions withDataKeyCache(DataKeyCachePolicy policy) {
    return new KeyringOptions(kind, file, token, database, secret, createIfMissing, kdfForNew, clock, audit,
        Objects.requireNonNull(policy, "policy"));
  }

  /** @return the data-key cache's bounds, empty when the cache is off (the default) */
  public Optional<DataKeyCachePolicy> dataKeyCache() {
    return Optional.ofNullable(dataKeyCache);
  }

  /** @return which kind of keyring these options open */
  public Kind kind() {
    return kind;
  }

  /** @return the store file, for the file kinds */
  public Optional<Path> filePath() {
    return Optional.ofNullable(file);
  }

  /** @return the token configuration, for the token kinds */
  public Optional<Pkcs11Config> tokenConfig() {
    return Optional.ofNullable(token);
  }

  /** @return the JDBC URL, for a database keyring (it may hold a database password: do not log it) */
  public Optional<String> jdbcUrl() {
    return Optional.ofNullable(database).map(DatabaseTarget::jdbcUrl);
  }

  /** @return a copy of the connection properties, for a database keyring (empty for the other kinds) */
  public Properties connectionProperties() {
    return database == null ? new Properties() : database.connection();
  }

  /** @return the password or PIN as given (not a copy), or null if none was given */
  char[] secret() {
    return secret;
  }

  /** @return whether a missing file store is created */
  public boolean createsMissing() {
    return createIfMissing;
  }

  /** @return the KDF of a new password-protected store or database keyring, or null for the other kinds */
  KdfParameters kdf() {
    return kdfForNew;
  }

  /** @return the keyring's clock */
  public Clock clock() {
    return clock;
  }

  /** @return the kind and where, never the password or PIN */
  @Override
  public String toString() {
    return "KeyringOptions{" + kind + (file != null ? " " + file : "") + (token != null ? " " + token.name() : "")
        + (database != null ? " " + database : "")
        + (createIfMissing ? ", create if missing" : "") + (dataKeyCache != null ? ", " + dataKeyCache : "") + "}";
  }
}
