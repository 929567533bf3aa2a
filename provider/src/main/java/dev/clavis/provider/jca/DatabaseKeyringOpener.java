package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.spec.DatabaseKeyringParameter;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;

/**
 * The keyring of key store {@code Clavis} loaded from a {@link DatabaseKeyringParameter}: a
 * keyring kept in a database (through {@code clavis-jdbc}), live like a {@code KeyringParameter}:
 * every change is committed when the call returns, and {@code store} has nothing to write. Every
 * other way of loading goes to the file store's opener.
 *
 * <p>A wrong password is an {@link IOException} caused by an {@link UnrecoverableKeyException},
 * as for the file store; nothing in the database is changed.
 */
final class DatabaseKeyringOpener implements KeyringOpener {

  private final KeyringOpener others;

  /** @param others how the key store loads from anything but a {@link DatabaseKeyringParameter} */
  DatabaseKeyringOpener(KeyringOpener others) {
    this.others = others;
  }

  @Override
  public Opened load(InputStream stream, char[] password) throws IOException {
    return others.load(stream, password);
  }

  @Override
  public boolean probe(InputStream stream) throws IOException {
    return others.probe(stream);
  }

  @Override
  public Opened load(KeyStore.LoadStoreParameter param) throws IOException {
    if (!(param instanceof DatabaseKeyringParameter)) {
      return others.load(param);
    }
    DatabaseKeyringParameter p = (DatabaseKeyringParameter) param;
    char[] pw = ((KeyStore.PasswordProtection) p.getProtectionParameter()).getPassword();
    if (pw == null) {
      throw new IOException("the DatabaseKeyringParameter's password was destroyed");
    }
    char[] copy = pw.clone(); // the parameter's own array stays the caller's to destroy
    try {
      KeyringOptions o = KeyringOptions.database(p.getJdbcUrl(), p.getConnection()).password(copy)
          .createIfMissing(p.createsMissing());
      return Opened.live((KeyringEngine) Keyrings.open(o), "this Clavis key store lives in a database and has no file form;"
          + " store(null, null) is a no-op because every change is already committed (copy it to a file with 'clavis"
          + " migrate')");
    } catch (WrongPasswordException e) {
      UnrecoverableKeyException u = new UnrecoverableKeyException(e.getMessage());
      u.initCause(e);
      throw new IOException(e.getMessage(), u);
    } catch (KeyringException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      Arrays.fill(copy, '\0');
    }
  }
}
