package dev.clavis.keyring;

/**
 * The lifecycle state of one key version. What each state allows is fixed here, beside the
 * states, so every check in Clavis reads the same table.
 *
 * <table>
 *   <caption>Operations allowed in each state</caption>
 *   <tr><th>state</th><th>encrypt / wrap / MAC</th><th>decrypt / unwrap / verify</th></tr>
 *   <tr><td>ACTIVE, ROTATING</td><td>yes (while not expired, under its usage limit)</td><td>yes</td></tr>
 *   <tr><td>PRE_ACTIVE, DEPRECATED</td><td>no</td><td>yes</td></tr>
 *   <tr><td>SUSPENDED, REVOKED, COMPROMISED, PENDING_DESTRUCTION, DESTROYED</td><td>no</td><td>no</td></tr>
 * </table>
 *
 * <p>Each state has a stable {@link #code()}, the byte that stores write for it; it never changes
 * when constants are added or reordered.
 *
 * <p>{@code COMPROMISED} data can still be decrypted through an explicit, audited override of the
 * keyring API; no JCA call does it.
 */
public enum KeyState {
  /** Staged by a two-phase rotation: already decrypts, does not encrypt yet. */
  PRE_ACTIVE(0, false, true),
  /** The primary version: encrypts and decrypts. */
  ACTIVE(1, true, true),
  /** The old primary during a two-phase rotation: still encrypts until the rotation completes. */
  ROTATING(2, true, true),
  /** A former primary: decrypts old data, encrypts nothing new. */
  DEPRECATED(3, false, true),
  /** A reversible stop: nothing until resumed to the state it was suspended from. */
  SUSPENDED(4, false, false),
  /** Withdrawn for good, with a reason. */
  REVOKED(5, false, false),
  /** Known or suspected to be exposed. */
  COMPROMISED(6, false, false),
  /** Scheduled for destruction; cancellable until the window ends. */
  PENDING_DESTRUCTION(7, false, false),
  /** Material erased; metadata kept as a tombstone. */
  DESTROYED(8, false, false);

  private final int code;
  private final boolean protects;
  private final boolean unprotects;

  KeyState(int code, boolean protects, boolean unprotects) {
    this.code = code;
    this.protects = protects;
    this.unprotects = unprotects;
  }

  /**
   * @return the stable code stores write for this state (0..254; equal to the declaration order
   *     of the first release, so stores written then read unchanged); never reused
   */
  public int code() {
    return code;
  }

  /**
   * The state a store's code names.
   *
   * @param code a code read from a store
   * @return the state whose {@link #code()} is {@code code}, or empty for a code this Clavis does not know
   */
  public static java.util.Optional<KeyState> fromCode(int code) {
    for (KeyState s : values()) {
      if (s.code == code) {
        return java.util.Optional.of(s);
      }
    }
    return java.util.Optional.empty();
  }

  /** @return whether a version in this state may encrypt, wrap or compute a MAC */
  public boolean allowsProtect() {
    return protects;
  }

  /** @return whether a version in this state may decrypt, unwrap or verify */
  public boolean allowsUnprotect() {
    return unprotects;
  }
}
