package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.security.InvalidKeyException;

/**
 * The policy switch of the unauthenticated legacy modes: {@code AES/CBC/PKCS5Padding} and
 * {@code AES/CTR/NoPadding} always decrypt (as the state table's decrypt column allows), and
 * encrypt only for a key whose {@link dev.clavis.keyring.KeyPolicy#legacyEncryption()} is on.
 * Off by default: a key migrated from PKCS12/JCEKS keeps reading its old data while new data goes
 * to GCM, which has an integrity check.
 */
final class LegacyEncryptionPolicy {

  private LegacyEncryptionPolicy() {}

  /**
   * @param transformation the mode asked for, for the message
   * @throws InvalidKeyException naming the key, the mode and the policy switch when the key's
   *     policy does not let the legacy modes encrypt
   */
  static void requireEncryptionAllowed(KeyringEngine engine, KeyRef ref, String transformation)
      throws InvalidKeyException {
    KeyInfo k;
    try {
      k = engine.find(ref.name()).orElseThrow(() -> new UnknownKeyException(ref));
    } catch (KeyringException e) {
      throw ManagedKeys.invalid(e);
    }
    if (!k.policy().legacyEncryption()) {
      throw new InvalidKeyException("key " + ref + " may only decrypt with " + transformation + " (a legacy mode"
          + " without integrity check): encrypt new data with AES/GCM/NoPadding, or create the key with"
          + " KeyPolicy.legacyEncryption(true)");
    }
  }
}
