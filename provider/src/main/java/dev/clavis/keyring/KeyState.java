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
 * <p>{@code COMPROMISED} data can still be decrypted through an explicit, audited override of the
 * keyring API; no JCA call does it.
 */
public enum KeyState {
  /** Staged by a two-phase rotation: already decrypts, does not encrypt yet. */
  PRE_ACTIVE(false, true),
  /** The primary version: encrypts and decrypts. */
  ACTIVE(true, true),
  /** The old primary during a two-phase rotation: still encrypts until the rotation completes. */
  ROTATING(true, true),
  /** A former primary: decrypts old data, encrypts nothing new. */
  DEPRECATED(false, true),
  /** A reversible stop: nothing until resumed to the state it was suspended from. */
  SUSPENDED(false, false),
  /** Withdrawn for good, with a reason. */
  REVOKED(false, false),
  /** Known or suspected to be exposed. */
  COMPROMISED(false, false),
  /** Scheduled for destruction; cancellable until the window ends. */
  PENDING_DESTRUCTION(false, false),
  /** Material erased; metadata kept as a tombstone. */
  DESTROYED(false, false);

  private final boolean protects;
  private final boolean unprotects;

  KeyState(boolean protects, boolean unprotects) {
    this.protects = protects;
    this.unprotects = unprotects;
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
