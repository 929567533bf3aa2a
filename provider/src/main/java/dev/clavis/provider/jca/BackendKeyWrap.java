package dev.clavis.provider.jca;

import dev.clavis.engine.kw.IntegrityCheckException;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.ProviderException;
import javax.crypto.AEADBadTagException;

/**
 * RFC 3394 / RFC 5649 under a managed KEK whose material cannot leave its backend (a token): the
 * wrap and unwrap run as the backend's own operations ({@link KeyMaterial#wrapKwp},
 * {@link KeyMaterial#wrapKw}, …; on a token {@code C_WrapKey}/{@code C_UnwrapKey} or the provider's
 * RFC computation over the token's AES-ECB, which guarantees RFC output for every length). This
 * class only maps the backend's failures to the ones {@link KeyWrapCipherSpi} throws.
 */
final class BackendKeyWrap {

  private BackendKeyWrap() {}

  /**
   * @param material the KEK version's material, already checked by the lifecycle
   * @param padded KWP (RFC 5649) rather than KW (RFC 3394)
   * @param data the bytes to wrap, of a length the algorithm takes; not kept
   * @return the wrapped bytes
   * @throws InvalidKeyException if the backend refuses the KEK (its attributes forbid the use) or
   *     offers no such operation
   * @throws ProviderException if the backend fails
   */
  static byte[] wrap(KeyMaterial material, boolean padded, byte[] data) throws InvalidKeyException {
    try {
      return padded ? material.wrapKwp(data) : material.wrapKw(data);
    } catch (InvalidKeyException e) {
      throw e;
    } catch (UnsupportedOperationException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new ProviderException("wrapping under " + material.ref() + " failed in its backend: " + e.getMessage(), e);
    }
  }

  /**
   * @param material the KEK version's material, already checked by the lifecycle
   * @param padded KWP (RFC 5649) rather than KW (RFC 3394)
   * @param wrapped the wrapped bytes, of a length the algorithm takes
   * @return the unwrapped bytes; the caller wipes them
   * @throws IntegrityCheckException if the integrity check fails
   * @throws InvalidKeyException if the backend refuses the KEK or offers no such operation
   * @throws ProviderException if the backend fails
   */
  static byte[] unwrap(KeyMaterial material, boolean padded, byte[] wrapped)
      throws InvalidKeyException, IntegrityCheckException {
    try {
      return padded ? material.unwrapKwp(wrapped) : material.unwrapKw(wrapped);
    } catch (AEADBadTagException e) {
      throw new IntegrityCheckException();
    } catch (InvalidKeyException e) {
      throw e;
    } catch (UnsupportedOperationException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new ProviderException("unwrapping under " + material.ref() + " failed in its backend: " + e.getMessage(), e);
    }
  }

  /**
   * Unwraps into a key left in the backend ({@link dev.clavis.spec.UnwrapToTokenSpec}).
   *
   * @return the handle, with no encoding
   * @throws InvalidKeyException "integrity check failed" (caused by a {@code BadPaddingException})
   *     when the check fails, or if the backend refuses or cannot keep keys
   * @throws ProviderException if the backend fails
   */
  static javax.crypto.SecretKey unwrapToBackend(KeyMaterial material, boolean padded, byte[] wrapped,
      String algorithm) throws InvalidKeyException {
    try {
      return material.unwrapToBackend(wrapped, padded, algorithm);
    } catch (AEADBadTagException e) {
      throw new InvalidKeyException(IntegrityCheckException.MESSAGE,
          new javax.crypto.BadPaddingException(IntegrityCheckException.MESSAGE));
    } catch (InvalidKeyException e) {
      throw e;
    } catch (UnsupportedOperationException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new ProviderException("unwrapping onto the backend of " + material.ref() + " failed: " + e.getMessage(), e);
    }
  }
}
