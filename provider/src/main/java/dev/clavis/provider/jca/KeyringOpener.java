package dev.clavis.provider.jca;

import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;

/**
 * How one key store type finds its keyring: the file store ({@link FileKeyringOpener}), a token
 * ({@link TokenKeyringOpener}), and later a database. {@link ManagedKeyStoreSpi} holds everything
 * else (aliases, entries, attributes, rotation by {@code setEntry}, deletion) once.
 */
interface KeyringOpener {

  /** A keyring a key store loaded, and what {@code store} means for it. */
  interface Opened extends AutoCloseable {
    /** @return the keyring's engine */
    KeyringEngine engine();

    /**
     * {@code KeyStore.store(stream, password)}.
     *
     * @throws IOException if the keyring cannot be written there, naming why
     */
    void store(OutputStream stream, char[] password) throws IOException;

    /**
     * {@code KeyStore.store(param)}.
     *
     * @throws IOException if the keyring cannot be written there, naming why
     * @throws UnsupportedOperationException if this keyring has no parameter form to store to
     */
    void store(KeyStore.LoadStoreParameter param) throws IOException;

    /** Closes the keyring (releases locks, sessions). */
    @Override
    void close();

    /**
     * A keyring whose every change is committed where it lives (a token, a database): {@code
     * store(null, null)} and {@code store(param)} have nothing to write, and a stream is refused.
     *
     * @param engine the keyring
     * @param noFileForm the message refusing {@code store(stream, password)}: where the keyring lives
     * @return the opened keyring
     */
    static Opened live(KeyringEngine engine, String noFileForm) {
      return new Opened() {
        @Override
        public KeyringEngine engine() {
          return engine;
        }

        @Override
        public void store(OutputStream stream, char[] password) throws IOException {
          if (stream != null) {
            throw new IOException(noFileForm);
          }
        }

        /** Every change is already committed: nothing to write. */
        @Override
        public void store(KeyStore.LoadStoreParameter param) {
        }

        @Override
        public void close() {
          engine.close();
        }
      };
    }
  }

  /**
   * {@code KeyStore.load(stream, password)}.
   *
   * @return the loaded keyring
   * @throws IOException if it cannot be loaded; a wrong password or PIN is one caused by an
   *     {@link java.security.UnrecoverableKeyException}
   */
  Opened load(InputStream stream, char[] password) throws IOException;

  /**
   * {@code KeyStore.load(param)} with a non-null parameter.
   *
   * @return the loaded keyring
   * @throws IOException as {@link #load(InputStream, char[])}
   * @throws IllegalArgumentException if the parameter is of a kind this key store does not take
   */
  Opened load(KeyStore.LoadStoreParameter param) throws IOException;

  /**
   * {@code KeyStore.probe(stream)}.
   *
   * @return whether the stream holds a key store of this type
   * @throws IOException if the stream cannot be read
   */
  default boolean probe(InputStream stream) throws IOException {
    return false;
  }
}
