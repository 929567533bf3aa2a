package dev.clavis.engine.kw;

import static dev.clavis.engine.kw.TestAes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeyWrapTest {

  private static final byte[] KEK256 = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  /** RFC 3394 §4.1–4.6. */
  @ParameterizedTest(name = "RFC 3394 §{0}")
  @CsvSource({
    "4.1, 000102030405060708090a0b0c0d0e0f, 00112233445566778899aabbccddeeff, 1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5",
    "4.2, 000102030405060708090a0b0c0d0e0f1011121314151617, 00112233445566778899aabbccddeeff, 96778b25ae6ca435f92b5b97c050aed2468ab8a17ad84e5d",
    "4.3, 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f, 00112233445566778899aabbccddeeff, 64e8c3f9ce0f5ba263e9777905818a2a93c8191e7d6e8ae7",
    "4.4, 000102030405060708090a0b0c0d0e0f1011121314151617, 00112233445566778899aabbccddeeff0001020304050607, 031d33264e15d33268f24ec260743edce1c6c7ddee725a936ba814915c6762d2",
    "4.5, 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f, 00112233445566778899aabbccddeeff0001020304050607, a8f9bc1612c68b3ff6e6f4fbe30e71e4769c8b80a32cb8958cd5d17d6b254da1",
    "4.6, 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f, 00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f, 28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21"
  })
  void wrapAndUnwrap_rfc3394Vectors_matchBothWays(String section, String kek, String p, String c)
      throws Exception {
    byte[] key = hex(kek);
    byte[] plain = hex(p);
    byte[] out = new byte[plain.length + 8];
    KeyWrap.wrap(TestAes.encryptor(key), KeyWrap.DEFAULT_IV, plain, 0, plain.length, out, 0);
    assertEquals(c, TestAes.hex(out), "RFC 3394 §" + section);

    byte[] back = new byte[plain.length];
    int n = KeyWrap.unwrap(TestAes.decryptor(key), KeyWrap.DEFAULT_IV, out, 0, out.length, back, 0);
    assertEquals(plain.length, n, "RFC 3394 §" + section);
    assertArrayEquals(plain, back, "RFC 3394 §" + section);
  }

  @Test
  void wrap_inPlaceWithOffsets_sameAsSeparateBuffers() throws Exception {
    byte[] plain = new byte[40];
    new Random(1).nextBytes(plain);
    byte[] expected = new byte[48];
    KeyWrap.wrap(TestAes.encryptor(KEK256), KeyWrap.DEFAULT_IV, plain, 0, 40, expected, 0);

    byte[] shared = new byte[3 + 48 + 5];
    System.arraycopy(plain, 0, shared, 3, 40);
    KeyWrap.wrap(TestAes.encryptor(KEK256), KeyWrap.DEFAULT_IV, shared, 3, 40, shared, 3);
    assertArrayEquals(expected, Arrays.copyOfRange(shared, 3, 51));
  }

  @Test
  void unwrap_customIv_roundTripsAndRejectsTheDefault() throws Exception {
    long iv = 0x0123456789abcdefL;
    byte[] plain = hex("00112233445566778899aabbccddeeff");
    byte[] wrapped = new byte[24];
    KeyWrap.wrap(TestAes.encryptor(KEK256), iv, plain, 0, 16, wrapped, 0);
    byte[] back = new byte[16];
    KeyWrap.unwrap(TestAes.decryptor(KEK256), iv, wrapped, 0, 24, back, 0);
    assertArrayEquals(plain, back);
    assertThrows(
        IntegrityCheckException.class,
        () -> KeyWrap.unwrap(TestAes.decryptor(KEK256), KeyWrap.DEFAULT_IV, wrapped, 0, 24, back, 0));
  }

  @ParameterizedTest(name = "byte {0} flipped")
  @ValueSource(ints = {0, 7, 8, 15, 23})
  void unwrap_tamperedCiphertext_throwsIntegrityCheckAndWritesNothing(int index) throws Exception {
    byte[] plain = hex("00112233445566778899aabbccddeeff");
    byte[] wrapped = new byte[24];
    KeyWrap.wrap(TestAes.encryptor(KEK256), KeyWrap.DEFAULT_IV, plain, 0, 16, wrapped, 0);
    wrapped[index] ^= 1;
    byte[] out = new byte[16];
    Arrays.fill(out, (byte) 0x55);
    IntegrityCheckException e =
        assertThrows(
            IntegrityCheckException.class,
            () -> KeyWrap.unwrap(TestAes.decryptor(KEK256), KeyWrap.DEFAULT_IV, wrapped, 0, 24, out, 0));
    assertEquals("integrity check failed", e.getMessage());
    for (byte b : out) {
      assertEquals((byte) 0x55, b, "output written before the integrity check passed");
    }
  }

  @Test
  void unwrap_wrongKek_throwsIntegrityCheck() {
    byte[] wrapped = hex("64e8c3f9ce0f5ba263e9777905818a2a93c8191e7d6e8ae7");
    byte[] otherKek = KEK256.clone();
    otherKek[31] ^= 1;
    assertThrows(
        IntegrityCheckException.class,
        () -> KeyWrap.unwrap(TestAes.decryptor(otherKek), KeyWrap.DEFAULT_IV, wrapped, 0, 24, new byte[16], 0));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 8, 15, 17, 23})
  void wrap_invalidPlaintextLength_throwsIllegalArgument(int length) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KeyWrap.wrap(TestAes.encryptor(KEK256), KeyWrap.DEFAULT_IV, new byte[length], 0, length, new byte[length + 8], 0));
    assertEquals(
        "KW plaintext must be a multiple of 8 bytes and at least 16 bytes, got " + length, e.getMessage());
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 8, 16, 25, 31})
  void unwrap_invalidCiphertextLength_throwsIllegalArgument(int length) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KeyWrap.unwrap(TestAes.decryptor(KEK256), KeyWrap.DEFAULT_IV, new byte[length], 0, length, new byte[64], 0));
    assertEquals(
        "KW ciphertext must be a multiple of 8 bytes and at least 24 bytes, got " + length, e.getMessage());
  }

  @Test
  void lengthPredicates_followRfc3394Section2() {
    assertTrue(KeyWrap.isValidPlaintextLength(16));
    assertFalse(KeyWrap.isValidPlaintextLength(8));
    assertTrue(KeyWrap.isValidCiphertextLength(24));
    assertFalse(KeyWrap.isValidCiphertextLength(16));
  }

  @Test
  void wrap_longInput_roundTripsAndChangesEverySemiblock() throws Exception {
    byte[] plain = new byte[4096 / 8];
    byte[] wrapped = new byte[plain.length + 8];
    KeyWrap.wrap(TestAes.encryptor(KEK256), KeyWrap.DEFAULT_IV, plain, 0, plain.length, wrapped, 0);
    for (int i = 8; i < wrapped.length; i += 8) {
      assertNotEquals(0L, Semiblocks.get(wrapped, i), "semiblock at " + i + " left as plaintext");
    }
    byte[] back = new byte[plain.length];
    KeyWrap.unwrap(TestAes.decryptor(KEK256), KeyWrap.DEFAULT_IV, wrapped, 0, wrapped.length, back, 0);
    assertArrayEquals(plain, back);
  }

  @Test
  void unwrapInPlace_tampered_zeroesTheBufferRange() throws Exception {
    byte[] plain = hex("00112233445566778899aabbccddeeff");
    byte[] buf = new byte[2 + 24 + 2];
    Arrays.fill(buf, (byte) 0x77);
    KeyWrap.wrap(TestAes.encryptor(KEK256), KeyWrap.DEFAULT_IV, plain, 0, 16, buf, 2);
    buf[10] ^= 1;
    assertThrows(IntegrityCheckException.class,
        () -> KeyWrap.unwrapInPlace(TestAes.decryptor(KEK256), KeyWrap.DEFAULT_IV, buf, 2, 24));
    assertArrayEquals(new byte[24], Arrays.copyOfRange(buf, 2, 26), "recovered data left behind");
    assertEquals((byte) 0x77, buf[1]);
    assertEquals((byte) 0x77, buf[26]);
  }

  @Test
  void unwrapInPlace_valid_leavesKeyDataAfterTheIntegritySemiblock() throws Exception {
    byte[] buf = hex("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5"); // RFC 3394 §4.1
    int n = KeyWrap.unwrapInPlace(TestAes.decryptor(hex("000102030405060708090a0b0c0d0e0f")), KeyWrap.DEFAULT_IV, buf, 0, 24);
    assertEquals(16, n);
    assertEquals("00112233445566778899aabbccddeeff", TestAes.hex(Arrays.copyOfRange(buf, 8, 24)));
  }
}
