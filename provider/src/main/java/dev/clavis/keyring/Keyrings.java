package dev.clavis.keyring;

import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.file.NoSuchStoreException;
import dev.clavis.keyring.pkcs11.TokenKeyring;
import dev.clavis.keyring.pkcs11.TokenRootProtector;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.keyring.spi.DatabaseBackendFactory;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.PasswordProtectedBackend;
import dev.clavis.spec.DatabaseKeyringParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one way to open a keyring: {@link #open(KeyringOptions)} for a file store, a token or a
 * token-rooted file store, and {@link #open(KeyBackend)} for any other backend. The
 * {@code openFile} overloads are older spellings of {@code open}.
 *
 * <p>The factory is the one class of this API package that refers to the implementations
 * ({@code keyring.lifecycle}, {@code keyring.file}, {@code keyring.pkcs11}), which in turn implement
 * this package's types: the only package cycle of the provider, kept on purpose so that the entry
 * point sits beside the {@link Keyring} it returns ({@code PackageDependenciesTest} holds every
 * other class of the package to the API and the rest of the graph to no cycle).
 */
public final class Keyrings {

  /**
   * The system property naming an optional anchor file: a MAC'ed high-water mark of the store's
   * generation and audit head kept outside the store, so that a store restored together with its
   * audit log from an older copy is refused ({@link StoreDamagedException.Kind#ROLLED_BACK}). Place
   * it where whoever can restore the store cannot write; it is created at the first open.
   */
  public static final String ANCHOR_PROPERTY = "clavis.store.anchor";

  private Keyrings() {}

  /** How stale the engine's view of the store may be before it asks the backend again. */
  private static final Duration FRESHNESS = Duration.ofMillis(20);

  /**
   * Opens the keyring the options describe.
   *
   * <ul>
   *   <li>{@link KeyringOptions#file}: the encrypted file store, created with the options' KDF if
   *       missing and {@link KeyringOptions#createIfMissing} allows it;
   *   <li>{@link KeyringOptions#token}: the keyring on the token (loads the module, logs in once,
   *       indexes the keys and writes every version's state into its attributes);
   *   <li>{@link KeyringOptions#tokenRootedFile}: the file store whose master key a key on the
   *       token wraps (see {@link #openFile(Path, Pkcs11Config, char[])}); the token is used only
   *       while opening;
   *   <li>{@link KeyringOptions#database}: the keyring in the database, opened by the
   *       {@link DatabaseBackendFactory} on the class path that takes the URL ({@code clavis-jdbc}
   *       for PostgreSQL), its tables and keyring created with the options' KDF if missing and
   *       {@link KeyringOptions#createIfMissing} allows it.
   * </ul>
   *
   * The password or PIN array is not kept nor wiped; the caller wipes it.
   *
   * @param options where the keyring is and how to unlock it
   * @return the keyring; closing it releases the store's locks or the token's sessions
   * @throws IllegalArgumentException if no password or PIN was given
   * @throws NoSuchStoreException if the file store does not exist and may not be created
   * @throws WrongPasswordException if the password is wrong (the file is untouched)
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   * @throws WeakKdfException if a new store's KDF is below OWASP's minimums ({@link KdfLimits});
   *     nothing is written
   * @throws KeyringException naming any other problem (file access, library, token label, PIN; no
   *     database backend on the class path for the URL, naming clavis-jdbc; a database keyring that
   *     does not exist and may not be created; an unreachable database)
   */
  public static Keyring open(KeyringOptions options) {
    Keyring ring = openWithoutCache(options);
    if (options.dataKeyCache().isPresent()) {
      try {
        ((KeyringEngine) ring).enableDataKeyCache(options.dataKeyCache().get());
      } catch (RuntimeException e) {
        ring.close();
        throw e;
      }
    }
    return ring;
  }

  private static Keyring openWithoutCache(KeyringOptions options) {
    char[] secret = options.secret();
    if (secret == null) {
      throw new IllegalArgumentException("no " + (options.kind() == KeyringOptions.Kind.FILE
          || options.kind() == KeyringOptions.Kind.DATABASE ? "password" : "PIN")
          + " given to open " + options);
    }
    switch (options.kind()) {
      case FILE: {
        Path file = options.filePath().orElseThrow();
        FileKeyBackend b = options.createsMissing() ? FileKeyBackend.open(file, secret, options.kdf())
            : FileKeyBackend.openExisting(file, secret);
        return engineOver(b, options);
      }
      case TOKEN:
        return TokenKeyring.open(loggedIn(options.tokenConfig().orElseThrow(), secret), options.auditOptions());
      case TOKEN_ROOTED_FILE: {
        Path file = options.filePath().orElseThrow();
        if (!options.createsMissing() && !Files.exists(file)) {
          throw new NoSuchStoreException(file.toAbsolutePath().normalize());
        }
        FileKeyBackend b;
        try (TokenRootProtector root = TokenRootProtector.open(options.tokenConfig().orElseThrow(), secret.clone())) {
          b = FileKeyBackend.open(file, root);
        }
        return engineOver(b, options);
      }
      case DATABASE: {
        String url = options.jdbcUrl().orElseThrow();
        KeyBackend b = databaseBackendFor(url).open(url, options.connectionProperties(), secret, options.kdf(),
            options.createsMissing());
        return engineOver(b, options);
      }
      default:
        throw new IllegalStateException("unknown keyring kind " + options.kind());
    }
  }

  /** Logs in to the token; a refusal names the problem and keeps the PKCS#11 cause. */
  private static Pkcs11Token loggedIn(Pkcs11Config config, char[] pin) {
    char[] copy = pin.clone();
    try {
      return Pkcs11Token.open(config, copy);
    } catch (Pkcs11Exception | Pkcs11ConfigException e) {
      throw new KeyringException(e.getMessage(), e);
    } finally {
      Arrays.fill(copy, '\0');
    }
  }

  /** The engine over a file backend, after sweeping the temporaries a crashed writer left. */
  private static Keyring engineOver(FileKeyBackend b, KeyringOptions options) {
    try {
      b.removeStrayTemporaries();
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
    return engineOver((KeyBackend) b, options);
  }

  /** The engine over any backend; the backend is closed if the engine cannot start. */
  private static Keyring engineOver(KeyBackend b, KeyringOptions options) {
    try {
      return new KeyringEngine(b, options.clock(), FRESHNESS, options.auditOptions());
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  /**
   * The database backend that takes {@code jdbcUrl}: the first {@link DatabaseBackendFactory} that
   * {@link java.util.ServiceLoader} finds (through the thread's context class loader, then this
   * class's) and that accepts it.
   */
  private static DatabaseBackendFactory databaseBackendFor(String jdbcUrl) {
    java.util.List<String> found = new java.util.ArrayList<>();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ClassLoader own = Keyrings.class.getClassLoader();
    for (ClassLoader loader : new ClassLoader[] {context, own == context ? null : own}) {
      if (loader == null) {
        continue;
      }
      try {
        for (DatabaseBackendFactory f : java.util.ServiceLoader.load(DatabaseBackendFactory.class, loader)) {
          if (f.accepts(jdbcUrl)) {
            return f;
          }
          found.add(f.getClass().getName());
        }
      } catch (java.util.ServiceConfigurationError e) {
        throw new KeyringException("cannot load a database backend for " + DatabaseKeyringParameter.redact(jdbcUrl)
            + ": " + e.getMessage(), e);
      }
    }
    throw new KeyringException("no database backend for " + DatabaseKeyringParameter.redact(jdbcUrl)
        + ": put clavis-jdbc (dev.clavis:clavis-jdbc) on the class path"
        + (found.isEmpty() ? "" : " (the backends found, " + String.join(", ", new java.util.TreeSet<>(found))
            + ", do not take this URL; clavis-jdbc takes jdbc:postgresql: URLs)"));
  }

  /**
   * Opens the encrypted file store at {@code file}, creating it (with default KDF parameters) if
   * it does not exist. The password array is not kept; the caller wipes it.
   *
   * @param file the store file
   * @param password the password; not kept, the caller wipes it
   * @return the keyring
   * @throws KeyringException if the password is wrong, the file is damaged or of another kind
   * @deprecated use {@link #open(KeyringOptions)} with {@link KeyringOptions#file}
   */
  @Deprecated
  public static Keyring openFile(Path file, char[] password) {
    return open(KeyringOptions.file(file).password(password));
  }

  /**
   * Opens the encrypted file store at {@code file}, creating it with {@code kdfForNew} if it does
   * not exist (an existing store keeps its own parameters; see {@link #migrateKdf}).
   *
   * @param file the store file
   * @param password the password; not kept, the caller wipes it
   * @param kdfForNew the KDF of a store created now
   * @return the keyring
   * @throws WrongPasswordException if the password is wrong (the file is untouched)
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   * @throws WeakKdfException if the store is to be created with {@code kdfForNew} below OWASP's
   *     minimums ({@link KdfLimits}) and not {@link KdfParameters#allowingWeak()}; nothing is written
   * @throws KeyringException if it cannot be read or written
   * @deprecated use {@link #open(KeyringOptions)} with {@link KeyringOptions#file} and
   *     {@link KeyringOptions#kdfForNew}
   */
  @Deprecated
  public static Keyring openFile(Path file, char[] password, KdfParameters kdfForNew) {
    return open(KeyringOptions.file(file).password(password).kdfForNew(kdfOrDefault(kdfForNew)));
  }

  /**
   * As {@link #openFile(Path, char[], KdfParameters)}, with a clock (tests, simulations).
   *
   * @param file the store file
   * @param password the password; not kept, the caller wipes it
   * @param kdfForNew the KDF of a store created now
   * @param clock the time source of the lifecycle
   * @return the keyring
   * @throws KeyringException as {@link #openFile(Path, char[], KdfParameters)}
   * @deprecated use {@link #open(KeyringOptions)} with {@link KeyringOptions#clock}
   */
  @Deprecated
  public static Keyring openFile(Path file, char[] password, KdfParameters kdfForNew, Clock clock) {
    return open(KeyringOptions.file(file).password(password).kdfForNew(kdfOrDefault(kdfForNew)).clock(clock));
  }

  private static KdfParameters kdfOrDefault(KdfParameters kdf) {
    return kdf == null ? KdfParameters.defaults() : kdf;
  }

  /**
   * Opens the token-rooted file store at {@code file}, creating it if it does not exist: the root
   * of trust stays on the PKCS#11 token. The store's master key (from which the record and
   * metadata keys are derived) is wrapped with AES-256-GCM by a non-extractable AES-256 key on the
   * token ({@code clavis-root:<id>}, generated when the store is created), and unwrapped on the
   * token when the store is opened; the token is used only while opening. Root (token) → KEK
   * (master key) → DEKs (the store's keys).
   *
   * @param file the store file
   * @param token the PKCS#11 library, slot or label that holds the root key
   * @param pin the token's PIN; wiped before this returns
   * @return the keyring
   * @throws KeyringException naming the problem: token or PIN, a store protected by a password,
   *     a token that does not hold the store's root key (wrong token, or the key was destroyed)
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   * @deprecated use {@link #open(KeyringOptions)} with {@link KeyringOptions#tokenRootedFile}
   */
  @Deprecated
  public static Keyring openFile(Path file, Pkcs11Config token, char[] pin) {
    try {
      return open(KeyringOptions.tokenRootedFile(file, token).pin(pin));
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /**
   * Whether a store file is rooted on a token.
   *
   * @param file the store file
   * @return whether {@code file} looks like a token-rooted store (its header names a PKCS#11 root
   *     key, not a password KDF), so a caller can ask for the token instead of a password; reads
   *     only the first bytes and verifies nothing
   */
  public static boolean isTokenRooted(Path file) {
    return FileKeyBackend.isTokenRooted(file);
  }

  /**
   * Upgrades the KDF of a file store in place (and atomically): the master key is re-wrapped under
   * a key derived with {@code kdf}; records are not re-encrypted. The migration is audited
   * ({@code migrate-kdf}, with the old and new settings) in the same write.
   *
   * @param file the store file
   * @param password the password; not kept, the caller wipes it
   * @param kdf the new KDF and its parameters
   * @throws WrongPasswordException if the password is wrong (the file is untouched)
   * @throws WeakKdfException if {@code kdf} is below OWASP's minimums ({@link KdfLimits}) and not
   *     {@link KdfParameters#allowingWeak()} (the file is untouched)
   * @throws IllegalArgumentException if {@code kdf} is beyond the cost cap ({@link KdfLimits})
   * @throws KeyringException if the store cannot be read or written
   */
  public static void migrateKdf(Path file, char[] password, KdfParameters kdf) {
    if (!kdf.limitsOk()) {
      throw new IllegalArgumentException(KdfLimits.excess(kdf).orElse(kdf.toString()));
    }
    FileKeyBackend b = FileKeyBackend.open(file, password, kdf);
    KdfParameters from = b.kdf();
    auditedRekey(b, "migrate-kdf", Map.of("from", from.toString(), "to", kdf.toString()),
        tx -> b.rekey(password, null, kdf, tx));
  }

  /**
   * Changes the password of a file store in place, keeping its KDF parameters; audited
   * ({@code passwd}) in the same write. Neither password is kept; the caller wipes both.
   *
   * @param file the store file
   * @param oldPassword the current password
   * @param newPassword the new password
   * @throws WrongPasswordException if the old password is wrong (the file is untouched)
   * @throws KeyringException if the store cannot be read or written
   */
  public static void changePassword(Path file, char[] oldPassword, char[] newPassword) {
    FileKeyBackend b = FileKeyBackend.open(file, oldPassword, null);
    KdfParameters kdf = b.kdf();
    auditedRekey(b, "passwd", Map.of("kdf", kdf.toString()), tx -> b.rekey(oldPassword, newPassword, kdf, tx));
  }

  /**
   * Upgrades the KDF of a database keyring in place, as {@link #migrateKdf(Path, char[], KdfParameters)}
   * does for a file store: its master key is wrapped again under a key derived with {@code kdf},
   * in the transaction that writes the audit record ({@code migrate-kdf}). Processes that have the
   * keyring open keep working; the next open derives with {@code kdf}.
   *
   * @param jdbcUrl the database ({@code jdbc:postgresql://host:port/db})
   * @param connection the driver's and Clavis's connection properties (the keyring's name), or null
   * @param password the keyring's password; not kept, the caller wipes it
   * @param kdf the new KDF and its parameters
   * @throws WrongPasswordException if the password is wrong (nothing is changed)
   * @throws WeakKdfException if {@code kdf} is below OWASP's minimums and not
   *     {@link KdfParameters#allowingWeak()} (nothing is changed)
   * @throws IllegalArgumentException if {@code kdf} is beyond the cost cap ({@link KdfLimits})
   * @throws KeyringException if the keyring does not exist, has no password (its master key is
   *     wrapped by a token key), no database backend takes the URL, or the database is unreachable
   */
  public static void migrateDatabaseKdf(String jdbcUrl, java.util.Properties connection, char[] password,
      KdfParameters kdf) {
    if (!kdf.limitsOk()) {
      throw new IllegalArgumentException(KdfLimits.excess(kdf).orElse(kdf.toString()));
    }
    KeyBackend b = databaseBackendFor(jdbcUrl).open(jdbcUrl, connection, password, null, false);
    PasswordProtectedBackend p = passwordProtected(b);
    KdfParameters from = kdfOf(b, p);
    auditedRekey(b, "migrate-kdf", Map.of("from", from.toString(), "to", kdf.toString()),
        tx -> p.rekey(password, null, kdf, tx));
  }

  /**
   * Changes the password of a database keyring in place, keeping its KDF parameters, as
   * {@link #changePassword(Path, char[], char[])} does for a file store; audited ({@code passwd})
   * in the same transaction. Processes that have the keyring open keep working; the next open
   * needs the new password. Neither password is kept; the caller wipes both.
   *
   * @param jdbcUrl the database ({@code jdbc:postgresql://host:port/db})
   * @param connection the driver's and Clavis's connection properties (the keyring's name), or null
   * @param oldPassword the current password
   * @param newPassword the new password
   * @throws WrongPasswordException if the old password is wrong (nothing is changed)
   * @throws KeyringException if the keyring does not exist, has no password (its master key is
   *     wrapped by a token key), no database backend takes the URL, or the database is unreachable
   */
  public static void changeDatabasePassword(String jdbcUrl, java.util.Properties connection, char[] oldPassword,
      char[] newPassword) {
    KeyBackend b = databaseBackendFor(jdbcUrl).open(jdbcUrl, connection, oldPassword, null, false);
    PasswordProtectedBackend p = passwordProtected(b);
    KdfParameters kdf = kdfOf(b, p);
    // null: the KDF as the head has it in the transaction, so a migration made elsewhere meanwhile stays
    auditedRekey(b, "passwd", Map.of("kdf", kdf.toString()), tx -> p.rekey(oldPassword, newPassword, null, tx));
  }

  private static PasswordProtectedBackend passwordProtected(KeyBackend b) {
    if (b instanceof PasswordProtectedBackend p) {
      return p;
    }
    b.close();
    throw new KeyringException(b.describe() + " cannot change how its master key is protected");
  }

  private static KdfParameters kdfOf(KeyBackend b, PasswordProtectedBackend p) {
    try {
      return p.kdf();
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
  }

  private static void auditedRekey(KeyBackend b, String action, Map<String, String> details,
      Consumer<KeyBackend.Transaction<Void>> rekey) {
    KeyringEngine engine;
    try {
      engine = new KeyringEngine(b, Clock.systemUTC(), Duration.ofMillis(20));
    } catch (RuntimeException e) {
      b.close();
      throw e;
    }
    try (engine) {
      engine.recordProtectionChange(action, details, rekey);
    }
  }

  /**
   * Opens a keyring over any backend (the PKCS#11 token uses this).
   *
   * @param backend closed when the keyring is closed
   * @return the keyring
   * @throws StoreDamagedException if the store and its audit log or anchor do not belong together
   * @throws KeyringException if the backend cannot be read
   */
  public static Keyring open(KeyBackend backend) {
    return KeyringEngine.open(backend);
  }
}
