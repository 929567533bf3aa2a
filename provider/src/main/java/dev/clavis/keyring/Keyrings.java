package dev.clavis.keyring;

import java.nio.file.Path;

/** Opens keyrings on their backends. */
public final class Keyrings {

  private Keyrings() {}

  /**
   * Opens the encrypted file store at {@code file}, creating it (with default KDF parameters) if
   * it does not exist. The password array is not kept; the caller wipes it.
   *
   * @throws KeyringException if the password is wrong, the file is damaged or of another kind
   */
  public static Keyring openFile(Path file, char[] password) {
    throw new UnsupportedOperationException("the file store is not built yet");
  }
}
