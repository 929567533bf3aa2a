package dev.clavis.provider.jca;

import dev.clavis.keyring.Keyring;

/**
 * KeyStore {@code Clavis}: the managed keys of the encrypted file store; the
 * {@link ManagedKeyStoreSpi} over a {@link FileKeyringOpener}, which says how {@code load} and
 * {@code store} find the file (a {@code KeyringParameter}, keytool's stream of its own file, a
 * {@link FileStoreConfig} of a configured provider, or a detached image in memory); a
 * {@link dev.clavis.spec.DatabaseKeyringParameter} opens a keyring kept in a database instead
 * ({@link DatabaseKeyringOpener}).
 *
 * A wrong password is an {@link java.io.IOException} caused by an
 * {@link java.security.UnrecoverableKeyException}, as
 * {@link java.security.KeyStore#load(java.io.InputStream, char[])} documents; the file is left
 * untouched.
 */
public final class ClavisKeyStoreSpi extends ManagedKeyStoreSpi {

  /** Creates an unloaded key store. */
  public ClavisKeyStoreSpi() {
    this(null);
  }

  /**
   * Creates an unloaded key store that {@code load(null, pw)} opens live on the configured store.
   *
   * @param config the store to open, or null for the default behaviour
   */
  public ClavisKeyStoreSpi(FileStoreConfig config) {
    super("Clavis", new DatabaseKeyringOpener(new FileKeyringOpener(config)));
  }

  /**
   * @return the keyring behind this key store (loaded), for tools that need the full API
   * @throws IllegalStateException if the key store is not loaded
   */
  public Keyring keyring() {
    return ring();
  }
}
