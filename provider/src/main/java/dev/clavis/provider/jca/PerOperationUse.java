package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.security.InvalidKeyException;

/**
 * The lifecycle check and the usage count of one managed key, made per operation rather than
 * per {@code init} (CONTRACT: a usage limit or a state change is enforced at each
 * {@code Mac.doFinal}, {@code Cipher.wrap}, {@code Cipher.doFinal}).
 *
 * <p>{@code init} takes the first use ({@link #begin()}): it is counted then, so an exhausted or
 * refused key fails at {@code init} as JCA callers expect, and it pays for the first operation.
 * Each operation calls {@link #next()}: the first one re-checks the use {@code init} paid for
 * without counting it again, every later one counts a new use. Either way the state is read at
 * the moment of the operation, so a revocation in this process stops the next operation, and one
 * made by another process stops it once the engine's freshness window (20 ms) has passed. The
 * check is the engine's cached-state fast path (an identity compare and a counter take), not a
 * store read.
 *
 * <p>Not thread-safe: one instance belongs to one Cipher or Mac.
 */
final class PerOperationUse {

  /** What the operations of the SPI do with the key. */
  enum Purpose {
    /** Encrypt or wrap: the protect column of the state table, one use counted per operation. */
    PROTECT,
    /**
     * MAC: protect, except that a {@code name#N} handle in a state that may only verify
     * ({@code PRE_ACTIVE}, {@code DEPRECATED}) still computes, uncounted, to verify old tags.
     */
    MAC,
    /** Decrypt or unwrap with one version: the exact one, or a name's newest that may unwrap. */
    UNPROTECT
  }

  private final KeyringEngine engine;
  private final KeyRef ref;
  private final Purpose purpose;
  private boolean prepaid;

  /**
   * @param key the managed handle passed to {@code init}
   * @param purpose what the operations do
   * @throws InvalidKeyException if the handle's keyring is not one Clavis drives
   */
  PerOperationUse(ManagedKey key, Purpose purpose) throws InvalidKeyException {
    this.engine = ManagedKeys.engine(key);
    this.ref = key.ref();
    this.purpose = purpose;
  }

  /**
   * @param engine the keyring the handle came from
   * @param ref the handle's reference ({@code name} or {@code name#N})
   * @param purpose what the operations do
   */
  PerOperationUse(KeyringEngine engine, KeyRef ref, Purpose purpose) {
    this.engine = engine;
    this.ref = ref;
    this.purpose = purpose;
  }

  /** @return the handle's reference, {@code name} or {@code name#N} */
  KeyRef ref() {
    return ref;
  }

  /**
   * Takes the use {@code init} grants, counted now; it pays for the first operation.
   *
   * @return the version and its material
   * @throws InvalidKeyException naming key, version and state if the lifecycle refuses
   */
  KeyringEngine.Use begin() throws InvalidKeyException {
    KeyringEngine.Use u = take(ref, 1);
    prepaid = true;
    return u;
  }

  /**
   * Grants one operation: the first after {@link #begin()} re-checks the use it paid for
   * (same version, not counted again), every later one takes and counts a new use. Decryption
   * counts nothing and keeps the version {@code init} chose (a name's newest that may unwrap),
   * re-checked each time, so a rotation does not switch the KEK under a batch of unwraps.
   *
   * @param last the use the previous operation ran with
   * @return the version and material this operation must run with (another version than
   *     {@code last} when a name's primary moved)
   * @throws InvalidKeyException naming key, version and state if the lifecycle refuses now
   */
  KeyringEngine.Use next(KeyringEngine.Use last) throws InvalidKeyException {
    if (prepaid || purpose == Purpose.UNPROTECT) {
      prepaid = false;
      return recheck(last);
    }
    return take(ref, 1);
  }

  /**
   * Checks without counting that {@code use}'s exact version may still do what it was granted
   * for: the end of an operation whose use was counted at its start.
   *
   * @return the version and its material
   * @throws InvalidKeyException naming key, version and state if the lifecycle refuses now
   */
  KeyringEngine.Use recheck(KeyringEngine.Use use) throws InvalidKeyException {
    // zero uses: the same lifecycle checks as a counted use (state, expiry), nothing reserved
    return take(use.version(), 0);
  }

  /**
   * Counts (and with {@code --audit-decrypts} records) a decryption that succeeded with {@code
   * use}'s version, before its output is handed out ({@link KeyringEngine#recordDecryption}).
   *
   * @throws IllegalStateException if the audit record cannot be written: nothing may be released then
   */
  static void released(KeyringEngine engine, KeyringEngine.Use use) {
    try {
      engine.recordDecryption(use.version(), null);
    } catch (KeyringException e) {
      throw new IllegalStateException("the decryption under " + use.version() + " was not released: " + e.getMessage(), e);
    }
  }

  /** @see #released(KeyringEngine, KeyringEngine.Use) */
  void released(KeyringEngine.Use use) {
    released(engine, use);
  }

  /** Marks the prepaid use spent: the next operation counts its own. */
  void spend() {
    prepaid = false;
  }

  private KeyringEngine.Use take(KeyRef r, long uses) throws InvalidKeyException {
    try {
      switch (purpose) {
        case PROTECT:
          return engine.protect(r, uses);
        case MAC:
          try {
            return engine.protect(r, uses);
          } catch (KeyUsageException e) {
            if (r.version().isPresent() && verifiesOnly(e.state())) {
              return engine.unprotect(r, false);
            }
            throw e;
          }
        default:
          return engine.unprotectCandidates(r).get(0);
      }
    } catch (KeyringException e) {
      throw ManagedKeys.invalid(e);
    }
  }

  private static boolean verifiesOnly(KeyState s) {
    return s != null && !s.allowsProtect() && s.allowsUnprotect();
  }

  /**
   * A refusal met inside an operation whose JCA signature allows no {@code InvalidKeyException}
   * ({@code Mac.doFinal}, {@code Cipher.doFinal}): the same message, as the unchecked
   * {@code IllegalStateException} JCA allows there, caused by the {@code InvalidKeyException}.
   */
  static IllegalStateException refusedNow(InvalidKeyException e) {
    return new IllegalStateException(e.getMessage(), e);
  }
}
