package dev.clavis.provider.jca;

import dev.clavis.engine.hkdf.Hkdf;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.security.InvalidKeyException;
import java.security.Key;
import java.util.Arrays;

/**
 * HKDF (RFC 5869) with a managed key as input keying material, for the {@code SecretKeyFactory}
 * and (JDK 25) {@code KDF} services. The master's material goes from the file store into Clavis's
 * own HKDF in this process and is wiped; it is never exported ({@code getEncoded()} of the handle
 * stays null). A token keeps its material inside, so its keys are refused here.
 *
 * <p>Lifecycle: a derivation is one use of the master, checked as a MAC is
 * ({@link PerOperationUse.Purpose#MAC}): a name derives with its primary (counted, refused when
 * it may not encrypt); a {@code name#N} handle also derives while the version may only decrypt
 * ({@code PRE_ACTIVE}, {@code DEPRECATED}), so subkeys that protect old data can be derived again
 * after a rotation; {@code SUSPENDED}, {@code REVOKED}, {@code COMPROMISED} and destroyed
 * versions derive nothing.
 */
final class HkdfDerivation {

  private HkdfDerivation() {}

  /**
   * @param hash the HKDF hash
   * @param ikm a managed handle or a raw secret key
   * @param salt the salt (may be empty)
   * @param info the info (may be empty)
   * @param length output bytes
   * @return the output keying material; the caller wipes it
   * @throws InvalidKeyException if the key is neither a managed handle nor a raw key, the
   *     lifecycle refuses it (naming key, version and state), or its backend keeps its material
   * @throws IllegalArgumentException if the length is out of range
   */
  static byte[] derive(Hkdf.Hash hash, Key ikm, byte[] salt, byte[] info, int length) throws InvalidKeyException {
    if (length < 1 || length > hash.maxOutput()) {
      throw new IllegalArgumentException("HKDF output is 1 to " + hash.maxOutput() + " bytes (255 × HashLen,"
          + " RFC 5869 §2.3), asked for " + length);
    }
    return withMaterial(ikm, raw -> Hkdf.derive(hash, salt, raw, info, length));
  }

  /**
   * HKDF-Extract alone: the PRK of {@code ikm} (RFC 5869 §2.2), lifecycle checked as {@link #derive}.
   *
   * @return the PRK, HashLen bytes; the caller wipes it
   * @throws InvalidKeyException as {@link #derive}
   */
  static byte[] extract(Hkdf.Hash hash, Key ikm, byte[] salt) throws InvalidKeyException {
    return withMaterial(ikm, raw -> Hkdf.extract(hash, salt, raw));
  }

  /** Runs {@code f} over a copy of the key's material, wiped afterwards. */
  private static byte[] withMaterial(Key ikm, java.util.function.Function<byte[], byte[]> f)
      throws InvalidKeyException {
    byte[] raw = ikm instanceof ManagedKey ? managedMaterial((ManagedKey) ikm) : rawOf(ikm);
    try {
      return f.apply(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static byte[] rawOf(Key ikm) throws InvalidKeyException {
    byte[] raw = ikm == null ? null : ikm.getEncoded();
    if (raw == null) {
      throw new InvalidKeyException("HKDF needs a managed key from the Clavis key store or a key with an encoding; got "
          + (ikm == null ? "null" : ikm.getClass().getName() + " without one"));
    }
    return raw;
  }

  /** One use of the master, granted by its lifecycle now; its material for this derivation only. */
  private static byte[] managedMaterial(ManagedKey mk) throws InvalidKeyException {
    ManagedKeys.managed(mk, "HKDF");
    PerOperationUse uses = new PerOperationUse(mk, PerOperationUse.Purpose.MAC);
    KeyringEngine.Use use = uses.begin();
    try {
      return use.material().rawForInProcessCrypto();
    } catch (UnsupportedOperationException e) {
      throw new InvalidKeyException("the key store of " + use.version() + " keeps its material inside (a token):"
          + " HKDF from it is not offered; derive from a key of a file store", e);
    }
  }
}
