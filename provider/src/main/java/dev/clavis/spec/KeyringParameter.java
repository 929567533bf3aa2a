package dev.clavis.spec;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

/**
 * Opens the {@code Clavis} file store live: {@code keyStore.load(new KeyringParameter(path, pw))}
 * creates the file if it does not exist, and every change made through the KeyStore is durable
 * when the call returns (no {@code store()} needed).
 */
public final class KeyringParameter implements KeyStore.LoadStoreParameter {

  private final Path file;
  private final KeyStore.PasswordProtection protection;

  /**
   * @param file the store file
   * @param password copied; wipe yours, and call {@link #destroy()} when done with this parameter
   */
  public KeyringParameter(Path file, char[] password) {
    this.file = Objects.requireNonNull(file, "file");
    this.protection = new KeyStore.PasswordProtection(Objects.requireNonNull(password, "password").clone());
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
    try {
      protection.destroy();
    } catch (javax.security.auth.DestroyFailedException e) {
      // PasswordProtection.destroy clears the array and does not fail
    }
  }

  @Override
  public String toString() {
    return "KeyringParameter{" + file + ", password=***}";
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
    if (!other.file.equals(file) || protection.isDestroyed() || other.protection.isDestroyed()) {
      return o == this;
    }
    char[] a = protection.getPassword();
    char[] b = other.protection.getPassword();
    int diff = a.length ^ b.length;
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      diff |= (i < a.length ? a[i] : 0) ^ (i < b.length ? b[i] : 0);
    }
    return diff == 0;
  }

  @Override
  public int hashCode() {
    return file.hashCode();
  }
}
