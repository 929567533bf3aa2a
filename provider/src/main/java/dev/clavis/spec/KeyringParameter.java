package dev.clavis.spec;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

/**
 * Opens the {@code Clavis} file store live: {@code keyStore.load(new KeyringParameter(path, pw))}
 * creates the file if it does not exist, and every change made through the KeyStore is durable
 * when the call returns (no {@code store()} needed). {@link #existing(Path, char[])} opens an
 * existing store only, so a mistyped path is an error instead of a new, empty store.
 */
public final class KeyringParameter implements KeyStore.LoadStoreParameter {

  private final Path file;
  private final KeyStore.PasswordProtection protection;
  private final boolean createMissing;

  /**
   * Opens the store at {@code file}, creating it if there is none.
   *
   * @param file the store file
   * @param password copied; wipe yours, and call {@link #destroy()} when done with this parameter
   */
  public KeyringParameter(Path file, char[] password) {
    this(file, password, true);
  }

  private KeyringParameter(Path file, char[] password, boolean createMissing) {
    this.file = Objects.requireNonNull(file, "file");
    this.protection = new KeyStore.PasswordProtection(Objects.requireNonNull(password, "password").clone());
    this.createMissing = createMissing;
  }

  /**
   * Opens the existing store at {@code file} only: loading fails with an {@code IOException}
   * naming the path if there is no file there, and nothing is created.
   *
   * @param file the store file
   * @param password copied; wipe yours, and call {@link #destroy()} when done with this parameter
   * @return the parameter
   */
  public static KeyringParameter existing(Path file, char[] password) {
    return new KeyringParameter(file, password, false);
  }

  /** @return whether loading creates the store when the file does not exist */
  public boolean createsMissing() {
    return createMissing;
  }

  /** @return the store file */
  public Path getFile() {
    return file;
  }

  /** @return the password protection (a copy of the password, destroyable) */
  @Override
  public KeyStore.ProtectionParameter getProtectionParameter() {
    return protection;
  }

  /** Wipes the copied password. */
  public void destroy() {
    ProtectedPasswords.destroy(protection);
  }

  @Override
  public String toString() {
    return "KeyringParameter{" + file + (createMissing ? "" : ", existing only") + ", password=***}";
  }

  /**
   * Equal when the files and the passwords are; the passwords are compared in constant time, and
   * a destroyed parameter equals no other (nor throws).
   */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyringParameter)) {
      return false;
    }
    KeyringParameter other = (KeyringParameter) o;
    if (!other.file.equals(file) || other.createMissing != createMissing || protection.isDestroyed() || other.protection.isDestroyed()) {
      return o == this;
    }
    return ProtectedPasswords.sameInConstantTime(protection, other.protection);
  }

  @Override
  public int hashCode() {
    return file.hashCode();
  }
}
