package dev.clavis.keyring;

/**
 * A use of a key version was refused by its lifecycle (state, expiry or usage limit). The message
 * names the key, the version and the state.
 */
public class KeyUsageException extends KeyringException {
  private static final long serialVersionUID = 1L;

  private final KeyRef ref;
  private final KeyState state;

  public KeyUsageException(KeyRef ref, KeyState state, String message) {
    super(message);
    this.ref = ref;
    this.state = state;
  }

  /** @return the version that refused */
  public KeyRef ref() {
    return ref;
  }

  /** @return its state at the time */
  public KeyState state() {
    return state;
  }
}
