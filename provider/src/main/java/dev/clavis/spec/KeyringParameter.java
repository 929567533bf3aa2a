package dev.clavis.spec;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyringParameter && ((KeyringParameter) o).file.equals(file)
        && Arrays.equals(((KeyringParameter) o).protection.getPassword(), protection.getPassword());
  }

  @Override
  public int hashCode() {
    return file.hashCode();
  }
}
