package dev.clavis.conformance.kw;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.SecretKeySpec;

/** Wrap and unwrap through either JCA face: the key API (WRAP/UNWRAP) or bytes (ENCRYPT/DECRYPT). */
enum KwOps {
  KEYS,
  BYTES;

  byte[] wrap(KwProviders p, boolean padded, byte[] kek, byte[] msg) throws GeneralSecurityException {
    if (this == KEYS) {
      return p.cipher(padded, Cipher.WRAP_MODE, kek).wrap(new SecretKeySpec(msg, "AES"));
    }
    return p.cipher(padded, Cipher.ENCRYPT_MODE, kek).doFinal(msg);
  }

  byte[] unwrap(KwProviders p, boolean padded, byte[] kek, byte[] ct) throws GeneralSecurityException {
    if (this == KEYS) {
      return p.cipher(padded, Cipher.UNWRAP_MODE, kek).unwrap(ct, "AES", Cipher.SECRET_KEY).getEncoded();
    }
    return p.cipher(padded, Cipher.DECRYPT_MODE, kek).doFinal(ct);
  }

  /**
   * Unwraps what must be refused, and returns null if it was, in the way this face must refuse:
   * {@code InvalidKeyException} from unwrap, {@code BadPaddingException} or
   * {@code IllegalBlockSizeException} from doFinal. Otherwise returns a description of what
   * happened instead.
   */
  String refusal(KwProviders p, boolean padded, byte[] kek, byte[] ct) {
    try {
      byte[] out = unwrap(p, padded, kek, ct);
      return "accepted, unwrapped " + out.length + " bytes";
    } catch (InvalidKeyException e) {
      return this == KEYS ? null : "threw " + e;
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      return this == BYTES ? null : "threw " + e;
    } catch (GeneralSecurityException | RuntimeException e) {
      return "threw " + e;
    }
  }
}
