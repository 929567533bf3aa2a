package dev.clavis.keyring;

/** No key (or no version) by that name exists in the keyring. */
public class UnknownKeyException extends KeyringException {
  private static final long serialVersionUID = 1L;

  /** @param ref the key or version that does not exist */
  public UnknownKeyException(KeyRef ref) {
    super("no key " + ref + " in this keyring; 'clavis list' shows the keys there are");
  }
}
