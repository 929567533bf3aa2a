package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyringException;
import java.nio.file.Path;

/** There is no key store file where an open-existing-only call looked; nothing was created. */
public final class NoSuchStoreException extends KeyringException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** @param file the path that holds no store */
  public NoSuchStoreException(Path file) {
    super("there is no key store at " + file + " (nothing was created: check the path, or create the store"
        + " with 'clavis init --store " + file + "')");
    this.file = file;
  }

  /** @return the path that holds no store */
  public Path file() {
    return file;
  }
}
