package dev.clavis.cli;

import dev.clavis.keyring.AuditOptions;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Finds and opens the keyring a command works on: the file store of {@code --store FILE}, else
 * {@code $CLAVIS_STORE}, else {@code ./clavis.store}; or the PKCS#11 token of {@code --hsm CONFIG};
 * or, with both {@code --store FILE --hsm CONFIG}, the file store whose master key is wrapped by a
 * root key on that token (the PIN as for {@code --hsm}).
 */
final class StoreOpener {

  /** The environment variable naming the default store file. */
  static final String ENV_STORE = "CLAVIS_STORE";
  /** The store file used when neither {@code --store} nor {@code $CLAVIS_STORE} says otherwise. */
  static final String DEFAULT_STORE = "clavis.store";

  private static final System.Logger LOG = System.getLogger("dev.clavis.cli");

  private final GlobalOptions options;
  private final Map<String, String> env;
  private final DatabaseOpener database;

  StoreOpener(GlobalOptions options, Map<String, String> env) {
    this.options = options;
    this.env = env;
    this.database = new DatabaseOpener(options, env);
  }

  /** @return whether the command line names a keyring in a database ({@code --db} or {@code $CLAVIS_DB}) */
  boolean inDatabase() {
    return database.named();
  }

  /** @return the database keyring of {@code --db} */
  DatabaseOpener database() {
    return database;
  }

  /** @return what the command works on, for messages: the store file or the database keyring */
  String describe() {
    return inDatabase() ? database.describe() : "store " + storeFile().toAbsolutePath();
  }

  /** @return the store file this command line names */
  Path storeFile() {
    String s = options.store;
    if (s == null) {
      s = env.getOrDefault(ENV_STORE, DEFAULT_STORE);
    }
    return Path.of(s);
  }

  /** @return whether the command line names a token-rooted file store ({@code --store F --hsm CONFIG}) */
  boolean tokenRooted() {
    return options.store != null && options.hsm != null;
  }

  /** @return the keyring of an existing store or token */
  Keyring openExisting() {
    if (inDatabase()) {
      return database.openExisting(audit());
    }
    if (tokenRooted()) {
      Path file = storeFile();
      if (!Files.exists(file)) {
        throw new CliException("no store at " + file + ": create one rooted in the token with 'clavis init --store "
            + file + " --hsm " + options.hsm + "'");
      }
      return openTokenRooted(file);
    }
    if (options.hsm != null) {
      return openHsm();
    }
    Path file = storeFile();
    if (!Files.exists(file)) {
      throw new CliException("no store at " + file + ": create one with 'clavis init --store " + file
          + "' or point --store (or " + ENV_STORE + ") at yours");
    }
    if (Keyrings.isTokenRooted(file)) {
      // ask for no password: this store has none
      throw new CliException(file + " is rooted in a PKCS#11 token (its master key is wrapped by a token key):"
          + " open it with --store " + file + " --hsm CONFIG");
    }
    return open(file, false, KdfParameters.defaults());
  }

  /**
   * @param kdf the KDF of the new store, or null for the default (Argon2id t=3, m=64 MiB, p=4)
   * @param kdfGiven whether {@code --kdf} was on the command line (it makes no sense for a token-rooted store)
   * @return the keyring of a store this call creates; refuses to touch an existing file
   */
  Keyring create(KdfParameters kdf, boolean kdfGiven) {
    if (inDatabase()) {
      return database.create(kdf == null ? KdfParameters.defaults() : kdf, audit());
    }
    if (options.hsm != null && options.store == null) {
      throw new CliException("init works on file stores; a PKCS#11 token is initialised with its own tools (softhsm2-util,"
          + " pkcs11-tool); for a file store rooted in the token use 'clavis init --store FILE --hsm CONFIG'");
    }
    if (tokenRooted() && kdfGiven) {
      throw CliException.usage("--kdf does not apply to a store rooted in a token (--hsm): it has no password");
    }
    Path file = storeFile();
    if (Files.exists(file)) {
      throw new CliException("a file already exists at " + file + "; 'clavis init' never overwrites one");
    }
    if (tokenRooted()) {
      return openTokenRooted(file);
    }
    return open(file, true, kdf == null ? KdfParameters.defaults() : kdf);
  }

  /** Re-derives the store's master-key wrapping with {@code kdf}, in place. */
  void migrateKdf(KdfParameters kdf) {
    if (inDatabase()) {
      database.migrateKdf(kdf);
      return;
    }
    if (tokenRooted()) {
      throw new CliException("migrate-kdf works on password-protected stores; a store rooted in a token has no password KDF");
    }
    if (options.hsm != null) {
      throw new CliException("migrate-kdf works on file stores; a token has no password KDF");
    }
    Path file = storeFile();
    if (!Files.exists(file)) {
      throw new CliException("no store at " + file);
    }
    char[] password = password(file, false);
    try {
      Keyrings.migrateKdf(file, password, kdf);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * Changes the password of the file store: the current one as for every command, the new one
   * from {@code --new-password-file}, {@code CLAVIS_NEW_PASSWORD} or a prompt asked twice.
   *
   * @param newPasswordFile the file of {@code --new-password-file}, or null
   */
  void changePassword(String newPasswordFile) {
    if (inDatabase()) {
      database.changePassword(Passwords.forNew(newPasswordFile, env));
      return;
    }
    if (options.hsm != null) {
      throw new CliException("passwd works on password-protected file stores; a token's PIN is changed with the"
          + " token's own tools (e.g. pkcs11-tool --change-pin), and a store rooted in a token has no password");
    }
    Path file = storeFile();
    if (!Files.exists(file)) {
      throw new CliException("no store at " + file);
    }
    if (Keyrings.isTokenRooted(file)) {
      throw new CliException(file + " is rooted in a PKCS#11 token: it has no password to change");
    }
    char[] password = password(file, false);
    char[] fresh = null;
    try {
      fresh = Passwords.forNew(newPasswordFile, env).read("New password for " + file, true);
      if (sameSecret(password, fresh)) {
        throw new CliException("the new password is the current one; nothing was changed");
      }
      Keyrings.changePassword(file, password, fresh);
    } finally {
      Arrays.fill(password, '\0');
      if (fresh != null) {
        Arrays.fill(fresh, '\0');
      }
    }
  }

  /** Compares two passwords in time that depends on their lengths only. */
  static boolean sameSecret(char[] a, char[] b) {
    int diff = a.length ^ b.length;
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      diff |= (i < a.length ? a[i] : 0) ^ (i < b.length ? b[i] : 0);
    }
    return diff == 0;
  }

  private Keyring open(Path file, boolean creating, KdfParameters kdfForNew) {
    char[] password = password(file, creating);
    try {
      LOG.log(System.Logger.Level.DEBUG, () -> (creating ? "creating file store " : "opening file store ") + file.toAbsolutePath()
          + (creating ? " with " + kdfForNew : ""));
      KeyringOptions o = KeyringOptions.file(file).password(password);
      return Keyrings.open((kdfForNew == null ? o : o.kdfForNew(kdfForNew)).audit(audit()));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /** The environment variable naming the audit actor when {@code --actor} does not. */
  static final String ENV_ACTOR = "CLAVIS_ACTOR";

  /** @return the audit settings of {@code --actor} (or {@code $CLAVIS_ACTOR}) and {@code --audit-decrypts} */
  AuditOptions audit() {
    AuditOptions a = AuditOptions.defaults().auditDecrypts(options.auditDecrypts);
    String actor = options.actor != null ? options.actor : env.get(ENV_ACTOR);
    if (actor == null) {
      return a;
    }
    try {
      return a.actor(actor);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--actor: " + e.getMessage());
    }
  }

  private char[] password(Path file, boolean creating) {
    return new Passwords(options.passwordFile, env)
        .read((creating ? "New password for " : "Password for ") + file, creating);
  }

  /**
   * The token of {@code --hsm CONFIG}. The PIN comes from {@code --password-file}, else the
   * configuration's {@code pin} setting, else {@code $CLAVIS_PASSWORD}, else a prompt.
   */
  private Keyring openHsm() {
    Pkcs11Config cfg = hsmConfig();
    char[] pin = pin(cfg);
    try {
      LOG.log(System.Logger.Level.DEBUG, () -> "opening PKCS#11 token " + cfg.name() + " of " + options.hsm);
      return Keyrings.open(KeyringOptions.token(cfg).pin(pin).audit(audit()));
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /** The file store {@code file} whose master key is wrapped by a key on the token of {@code --hsm}. */
  private Keyring openTokenRooted(Path file) {
    Pkcs11Config cfg = hsmConfig();
    char[] pin = pin(cfg);
    try {
      LOG.log(System.Logger.Level.DEBUG, () -> "opening file store " + file.toAbsolutePath() + " rooted in PKCS#11 token "
          + cfg.name() + " of " + options.hsm);
      return Keyrings.open(KeyringOptions.tokenRootedFile(file, cfg).pin(pin).audit(audit()));
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  private Pkcs11Config hsmConfig() {
    Path config = Path.of(options.hsm);
    Pkcs11Config cfg;
    try {
      cfg = Pkcs11Config.parse(config);
    } catch (Pkcs11ConfigException e) {
      throw new CliException(e.getMessage());
    }
    return cfg;
  }

  private char[] pin(Pkcs11Config cfg) {
    char[] pin;
    if (options.passwordFile == null && cfg.hasPin()) {
      try {
        pin = cfg.resolvePin();
      } catch (Pkcs11ConfigException e) {
        throw new CliException(e.getMessage());
      }
    } else {
      pin = new Passwords(options.passwordFile, env, "PIN").read("PIN of token " + cfg.name(), false);
    }
    return pin;
  }
}
