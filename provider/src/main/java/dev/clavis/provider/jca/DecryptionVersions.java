package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.security.InvalidKeyException;
import java.util.List;
import java.util.StringJoiner;

/**
 * The versions a handle may decrypt with, read afresh for each decryption, and the words for a
 * decryption that no usable version verifies.
 *
 * <p>GCM output names no version, so a name-level handle tries the versions that may decrypt.
 * Versions refused by their state are never tried: using their material to learn whether they
 * would verify would itself be a use the state forbids. When no usable version verifies, the
 * error says which versions were refused and why, so a revoked version reached through the
 * name is not mistaken for tampering.
 */
final class DecryptionVersions {

  private DecryptionVersions() {}

  /**
   * The versions to try, newest first: the exact one for {@code name#N}, else every version that
   * may still decrypt.
   *
   * @throws InvalidKeyException naming key, version and state when none may decrypt; for a name
   *     the message lists every refused version and its state
   */
  static List<KeyringEngine.Use> candidates(KeyringEngine engine, KeyRef ref) throws InvalidKeyException {
    try {
      return engine.unprotectCandidates(ref);
    } catch (KeyUsageException e) {
      String refused = ref.version().isPresent() ? "" : refused(engine, ref.name());
      InvalidKeyException ike = new InvalidKeyException(e.getMessage()
          + (refused.isEmpty() ? "" : " (no version of key " + ref.name() + " may decrypt: " + refused + ")"), e);
      throw ike;
    } catch (KeyringException e) {
      throw ManagedKeys.invalid(e);
    }
  }

  /**
   * The message of a decryption no usable version verified: the fixed integrity message, plus,
   * for a name, the versions that were not tried because of their state.
   */
  static String noneVerified(KeyringEngine engine, KeyRef ref) {
    String refused = ref.version().isPresent() ? "" : refused(engine, ref.name());
    if (refused.isEmpty()) {
      return "Tag mismatch";
    }
    return "Tag mismatch: no usable version of key " + ref.name() + " verifies this ciphertext; versions"
        + " refused by their state were not tried: " + refused;
  }

  /** @return "k#1 REVOKED, k#3 DESTROYED" for the versions of {@code name} that may not decrypt */
  private static String refused(KeyringEngine engine, String name) {
    StringJoiner out = new StringJoiner(", ");
    try {
      KeyInfo k = engine.find(name).orElse(null);
      if (k == null) {
        return "";
      }
      for (KeyVersionInfo v : k.versions()) {
        if (!v.state().allowsUnprotect()) {
          out.add(KeyRef.of(name, v.version()) + " " + v.state());
        }
      }
    } catch (KeyringException e) {
      return ""; // the store went away: the caller's message stands on its own
    }
    return out.toString();
  }
}
