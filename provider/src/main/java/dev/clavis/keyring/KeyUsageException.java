package dev.clavis.keyring;

/**
 * A use of a key version was refused by its lifecycle (state, expiry or usage limit). The message
 * names the key, the version and the state.
 */
public class KeyUsageException extends KeyringException {
  private static final long serialVersionUID = 1L;

  /** The version that refused. */
  private final KeyRef ref;
  /** Its state at the refusal. */
  private final KeyState state;

  /**
   * @param ref the version that refused
   * @param state its state
   * @param message naming the key, the version and the state
   */
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
