package dev.clavis.provider.jca;

import java.security.InvalidKeyException;
import java.security.Key;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.IllegalBlockSizeException;

/**
 * {@code Cipher.wrap} for the managed ciphers that wrap by encrypting a key's encoding (GCM,
 * CBC, CTR): one place that refuses a key without an encoding, turns a lifecycle refusal at
 * {@code doFinal} back into the {@link InvalidKeyException} {@code wrap} declares, and wipes the
 * encoding.
 */
final class EncodedKeyWrap {

  /** The cipher's one-shot encryption. */
  interface Encryption {
    byte[] doFinal(byte[] input, int offset, int len) throws IllegalBlockSizeException, BadPaddingException;
  }

  private EncodedKeyWrap() {}

  /**
   * @return {@code k}'s encoding, encrypted by {@code encryption}
   * @throws InvalidKeyException if {@code k} has no encoding, or the lifecycle refuses the key now
   * @throws IllegalBlockSizeException as the cipher's {@code doFinal}
   */
  static byte[] wrap(Key k, Encryption encryption) throws IllegalBlockSizeException, InvalidKeyException {
    byte[] enc = k.getEncoded();
    if (enc == null) {
      throw new InvalidKeyException("the key to wrap has no encoding (is it a non-exportable managed key?)");
    }
    try {
      return encryption.doFinal(enc, 0, enc.length);
    } catch (BadPaddingException e) {
      throw new IllegalStateException(e);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof InvalidKeyException) {
        throw (InvalidKeyException) e.getCause();
      }
      throw e;
    } finally {
      Arrays.fill(enc, (byte) 0);
    }
  }
}
