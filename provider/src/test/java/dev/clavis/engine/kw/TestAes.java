package dev.clavis.engine.kw;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** Test helpers: SunJCE AES as a {@link BlockCipher128}, and hex. */
final class TestAes {

  private TestAes() {}

  static JdkAesBlock encryptor(byte[] key) {
    try {
      JdkAesBlock b = JdkAesBlock.encryptor(Cipher.getInstance("AES/CBC/NoPadding", "SunJCE"));
      b.key(new SecretKeySpec(key, "AES"));
      return b;
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static JdkAesBlock decryptor(byte[] key) {
    try {
      JdkAesBlock b = JdkAesBlock.decryptor(Cipher.getInstance("AES/ECB/NoPadding", "SunJCE"));
      b.key(new SecretKeySpec(key, "AES"));
      return b;
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
