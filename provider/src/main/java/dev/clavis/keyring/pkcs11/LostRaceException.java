package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyringException;

/** A commit found the head moved since its read; it was rolled back and may run again. */
final class LostRaceException extends KeyringException {
  private static final long serialVersionUID = 1L;

  LostRaceException(String message) {
    super(message);
  }
}
