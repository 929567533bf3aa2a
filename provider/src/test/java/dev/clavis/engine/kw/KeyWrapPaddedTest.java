package dev.clavis.engine.kw;

import static dev.clavis.engine.kw.TestAes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyWrapPaddedTest {

  private static final byte[] KEK = hex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");

  /** RFC 5649 §6: the 20-octet and the 7-octet (single AES block) examples. */
  @ParameterizedTest(name = "RFC 5649 §6, {0}")
  @CsvSource({
    "20 octets, c37b7e6492584340bed12207808941155068f738, 138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a",
    "7 octets, 466f7250617369, afbeb0f07dfbf5419200f2ccb50bb24f"
  })
  void wrapAndUnwrap_rfc5649Vectors_matchBothWays(String title, String p, String c) throws Exception {
    byte[] plain = hex(p);
    byte[] out = new byte[KeyWrapPadded.wrappedLength(plain.length)];
    KeyWrapPadded.wrap(TestAes.encryptor(KEK), KeyWrapPadded.AIV_CONSTANT, plain, 0, plain.length, out, 0);
    assertEquals(c, TestAes.hex(out), title);

    byte[] back = new byte[out.length - 8];
    int n = KeyWrapPadded.unwrap(TestAes.decryptor(KEK), KeyWrapPadded.AIV_CONSTANT, out, 0, out.length, back, 0);
    assertEquals(plain.length, n, title);
    assertArrayEquals(plain, Arrays.copyOf(back, n), title);
  }

  @Test
  void wrapAndUnwrap_everyLengthFrom1To70_roundTrips() throws Exception {
    Random random = new Random(7);
    for (int length = 1; length <= 70; length++) {
      byte[] plain = new byte[length];
      random.nextBytes(plain);
      byte[] wrapped = new byte[KeyWrapPadded.wrappedLength(length)];
      assertEquals(8 + (length + 7) / 8 * 8, wrapped.length, "length " + length);
      KeyWrapPadded.wrap(TestAes.encryptor(KEK), KeyWrapPadded.AIV_CONSTANT, plain, 0, length, wrapped, 0);
      byte[] back = new byte[wrapped.length - 8];
      int n = KeyWrapPadded.unwrap(TestAes.decryptor(KEK), KeyWrapPadded.AIV_CONSTANT, wrapped, 0, wrapped.length, back, 0);
      assertEquals(length, n, "length " + length);
      assertArrayEquals(plain, Arrays.copyOf(back, n), "length " + length);
    }
  }

  /** Builds a ciphertext from a chosen A and padded plaintext, as a forger with the KEK could. */
  private static byte[] forge(long a, byte[] paddedPlain) {
    byte[] out = new byte[paddedPlain.length + 8];
    System.arraycopy(paddedPlain, 0, out, 8, paddedPlain.length);
    JdkAesBlock aes = TestAes.encryptor(KEK);
    if (paddedPlain.length == 8) {
      aes.process(a, Semiblocks.get(out, 8));
      Semiblocks.set(out, 0, aes.hi());
      Semiblocks.set(out, 8, aes.lo());
    } else {
      KeyWrap.w(aes, a, out, 0, paddedPlain.length / 8);
    }
    return out;
  }

  private static void assertRejected(byte[] ciphertext, String what) {
    byte[] out = new byte[ciphertext.length - 8];
    IntegrityCheckException e =
        assertThrows(
            IntegrityCheckException.class,
            () -> KeyWrapPadded.unwrap(TestAes.decryptor(KEK), KeyWrapPadded.AIV_CONSTANT, ciphertext, 0, ciphertext.length, out, 0),
            what);
    assertEquals("integrity check failed", e.getMessage(), what);
    assertArrayEquals(new byte[out.length], out, what + ": output written before the check passed");
  }

  @Test
  void unwrap_forgedControl_isAccepted() throws Exception {
    // The forging helper itself must produce acceptable ciphertexts, or the rejections below prove nothing.
    byte[] padded = hex("0102030405000000" + "0000000000000000");
    byte[] ct = forge(0xA65959A6_00000005L, Arrays.copyOf(padded, 8));
    byte[] out = new byte[8];
    assertEquals(5, KeyWrapPadded.unwrap(TestAes.decryptor(KEK), KeyWrapPadded.AIV_CONSTANT, ct, 0, 16, out, 0));
    byte[] ct2 = forge(0xA65959A6_0000000DL, hex("0102030405060708" + "0910111213000000"));
    assertEquals(13, KeyWrapPadded.unwrap(TestAes.decryptor(KEK), KeyWrapPadded.AIV_CONSTANT, ct2, 0, 24, new byte[16], 0));
  }

  @ParameterizedTest(name = "one block, A = {0}")
  @ValueSource(longs = {
    0xA65959A7_00000005L, // check 1: wrong constant
    0xA65959A6_00000000L, // check 2: MLI = 0 <= 8 * (n - 1)
    0xA65959A6_00000009L, // check 2: MLI > 8 * n
    0xA65959A6_80000005L  // check 2: MLI far too large
  })
  void unwrap_singleBlockWrongAiv_throwsIntegrityCheck(long a) {
    assertRejected(forge(a, hex("0102030405000000")), Long.toHexString(a));
  }

  @Test
  void unwrap_singleBlockNonZeroPadding_throwsIntegrityCheck() {
    // check 3: MLI 5, but octet 6 of the padding is not zero
    assertRejected(forge(0xA65959A6_00000005L, hex("0102030405000100")), "padding byte");
  }

  @ParameterizedTest(name = "last pad byte index {0}")
  @ValueSource(ints = {13, 14, 15})
  void unwrap_multiBlockNonZeroPadding_throwsIntegrityCheck(int index) {
    byte[] padded = hex("0102030405060708" + "0910111213000000");
    padded[index] = (byte) 0x80;
    assertRejected(forge(0xA65959A6_0000000DL, padded), "index " + index);
  }

  @ParameterizedTest(name = "MLI {0}")
  @ValueSource(longs = {0, 8, 17, 24, 0xFFFFFFFFL})
  void unwrap_multiBlockMliOutOfRange_throwsIntegrityCheck(long mli) {
    assertRejected(forge(0xA65959A6_00000000L | mli, new byte[16]), "MLI " + mli);
  }

  @Test
  void unwrap_kwCiphertextOfSameKey_throwsIntegrityCheck() {
    // A KW ciphertext carries A6A6A6A6A6A6A6A6, not the AIV.
    byte[] ct = new byte[24];
    KeyWrap.wrap(TestAes.encryptor(KEK), KeyWrap.DEFAULT_IV, new byte[16], 0, 16, ct, 0);
    assertRejected(ct, "KW ciphertext");
  }

  @Test
  void wrap_emptyPlaintext_throwsIllegalArgument() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KeyWrapPadded.wrap(TestAes.encryptor(KEK), KeyWrapPadded.AIV_CONSTANT, new byte[0], 0, 0, new byte[16], 0));
    assertEquals("KWP plaintext must be at least 1 byte, got 0", e.getMessage());
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 8, 15, 17})
  void unwrap_invalidCiphertextLength_throwsIllegalArgument(int length) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KeyWrapPadded.unwrap(TestAes.decryptor(KEK), KeyWrapPadded.AIV_CONSTANT, new byte[length], 0, length, new byte[32], 0));
    assertEquals(
        "KWP ciphertext must be a multiple of 8 bytes and at least 16 bytes, got " + length, e.getMessage());
  }

  @Test
  void unwrapInPlace_badPadding_zeroesTheBufferRange() {
    byte[] ct = forge(0xA65959A6_00000005L, hex("0102030405000100"));
    assertThrows(IntegrityCheckException.class,
        () -> KeyWrapPadded.unwrapInPlace(TestAes.decryptor(KEK), KeyWrapPadded.AIV_CONSTANT, ct, 0, 16));
    assertArrayEquals(new byte[16], ct, "recovered data left behind");
  }
}
