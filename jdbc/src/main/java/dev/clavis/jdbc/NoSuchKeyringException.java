package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;

/** The database holds no keyring of that name (or no Clavis tables), and creating one was not asked for. */
public final class NoSuchKeyringException extends KeyringException {
  private static final long serialVersionUID = 1L;

  /**
   * @param keyring the keyring's name inside the database
   * @param where the database, for the message
   */
  public NoSuchKeyringException(String keyring, String where) {
    super("there is no keyring '" + keyring + "' in the PostgreSQL database " + where
        + ": create it first (open it with createIfMissing, or clavis --db URL create ...)");
  }
}
