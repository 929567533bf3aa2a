package dev.clavis.engine.kw;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** Test helpers: SunJCE AES as a {@link BlockCipher128}, and hex. */
final class TestAes {

  private TestAes() {}

  static JdkAesBlock encryptor(byte[] key) {
    return block(key, Cipher.ENCRYPT_MODE);
  }

  static JdkAesBlock decryptor(byte[] key) {
    return block(key, Cipher.DECRYPT_MODE);
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static JdkAesBlock block(byte[] key, int mode) {
    try {
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
      ecb.init(mode, new SecretKeySpec(key, "AES"));
      return new JdkAesBlock(ecb);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
