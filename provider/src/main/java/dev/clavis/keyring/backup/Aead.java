package dev.clavis.keyring.backup;

import dev.clavis.keyring.KeyringException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM (128-bit tags) and SHA-256 for the backup formats, from SunJCE; one place for both. */
final class Aead {

  private Aead() {}

  static byte[] seal(byte[] key, byte[] iv, byte[] aad, byte[] plain) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(aad);
      return c.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("AES-GCM is unavailable: " + e.getMessage(), e);
    }
  }

  /** @return the plaintext, or null if the tag does not verify */
  static byte[] open(byte[] key, byte[] iv, byte[] aad, byte[] sealed) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      c.updateAAD(aad);
      return c.doFinal(sealed);
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("AES-GCM is unavailable: " + e.getMessage(), e);
    }
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new KeyringException("SHA-256 is unavailable", e);
    }
  }
}
