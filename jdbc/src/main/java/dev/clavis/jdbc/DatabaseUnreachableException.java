package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;

/**
 * The database could not be reached (a network fault: SQLSTATE class 08, or the server shutting
 * down or starting): the one failure a read may answer from the cache within the staleness bound.
 * Any other database error is a {@link KeyringException} that surfaces.
 */
final class DatabaseUnreachableException extends KeyringException {
  private static final long serialVersionUID = 1L;

  DatabaseUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
