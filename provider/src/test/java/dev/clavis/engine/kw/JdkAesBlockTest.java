package dev.clavis.engine.kw;

import static dev.clavis.engine.kw.TestAes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class JdkAesBlockTest {

  // FIPS-197 Appendix C.3: AES-256, key 00..1f, plaintext 00112233445566778899aabbccddeeff.
  private static final byte[] KEY = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  @Test
  void process_fips197AppendixC3_givesTheKnownCiphertext() {
    JdkAesBlock aes = TestAes.encryptor(KEY);
    aes.process(0x0011223344556677L, 0x8899aabbccddeeffL);
    assertEquals(0x8ea2b7ca516745bfL, aes.hi());
    assertEquals(0xeafc49904b496089L, aes.lo());
  }

  @Test
  void process_decryptor_invertsTheEncryptor() {
    JdkAesBlock enc = TestAes.encryptor(KEY);
    JdkAesBlock dec = TestAes.decryptor(KEY);
    enc.process(123456789L, -987654321L);
    dec.process(enc.hi(), enc.lo());
    assertEquals(123456789L, dec.hi());
    assertEquals(-987654321L, dec.lo());
  }

  @Test
  void clear_zeroesTheLastOutput() {
    JdkAesBlock aes = TestAes.encryptor(KEY);
    aes.process(1, 2);
    aes.clear();
    assertEquals(0, aes.hi());
    assertEquals(0, aes.lo());
  }

  @Test
  void process_uninitialisedCipher_throwsIllegalState() throws Exception {
    JdkAesBlock aes = new JdkAesBlock(Cipher.getInstance("AES/ECB/NoPadding", "SunJCE"));
    assertThrows(IllegalStateException.class, () -> aes.process(0, 0));
  }
}
