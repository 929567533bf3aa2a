package dev.clavis.engine.kw;

import static dev.clavis.engine.kw.TestAes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyWrapPaddedLanesTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] RFC_KEK = hex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");

  static JdkAesBlocks lanes(byte[] kek, boolean decrypt) {
    try {
      Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
      JdkAesBlocks b = decrypt ? JdkAesBlocks.decryptor(ecb) : JdkAesBlocks.encryptor(ecb);
      b.key(new SecretKeySpec(kek, "AES"));
      return b;
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] singleWrap(byte[] kek, byte[] key) {
    byte[] out = new byte[KeyWrapPadded.wrappedLength(key.length)];
    KeyWrapPadded.wrap(TestAes.encryptor(kek), KeyWrapPadded.AIV_CONSTANT, key, 0, key.length, out, 0);
    return out;
  }

  @Test
  void wrapAllAndUnwrapAll_rfc5649Vectors_matchBothWays() throws Exception {
    // RFC 5649 §6: 192-bit KEK, a 20-octet and a 7-octet (single AES block) key
    byte[] k20 = hex("c37b7e6492584340bed12207808941155068f738");
    byte[] k7 = hex("466f7250617369");
    List<byte[]> w = KeyWrapPaddedLanes.wrapAll(lanes(RFC_KEK, false), KeyWrapPadded.AIV_CONSTANT, List.of(k20, k7));
    assertEquals("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a", TestAes.hex(w.get(0)));
    assertEquals("afbeb0f07dfbf5419200f2ccb50bb24f", TestAes.hex(w.get(1)));
    List<byte[]> u = KeyWrapPaddedLanes.unwrapAll(lanes(RFC_KEK, true), KeyWrapPadded.AIV_CONSTANT, w);
    assertArrayEquals(k20, u.get(0));
    assertArrayEquals(k7, u.get(1));
  }

  /** Random keys of every length 1..64, three of each, shuffled so groups interleave in the list. */
  private static List<byte[]> randomKeys() {
    List<byte[]> keys = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      for (int len = 1; len <= 64; len++) {
        byte[] k = new byte[len];
        RANDOM.nextBytes(k);
        keys.add(k);
      }
    }
    java.util.Collections.shuffle(keys, RANDOM);
    return keys;
  }

  @ParameterizedTest(name = "KEK {0} bytes")
  @ValueSource(ints = {16, 24, 32})
  void wrapAll_randomKeysOfLengths1To64_equalSingleKeyFormAndSunJceKwp(int kekBytes) throws Exception {
    byte[] kek = new byte[kekBytes];
    RANDOM.nextBytes(kek);
    List<byte[]> keys = randomKeys();
    List<byte[]> multi = KeyWrapPaddedLanes.wrapAll(lanes(kek, false), KeyWrapPadded.AIV_CONSTANT, keys);
    Cipher sun = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
    for (int i = 0; i < keys.size(); i++) {
      byte[] key = keys.get(i);
      assertArrayEquals(singleWrap(kek, key), multi.get(i), "single-key form, length " + key.length);
      sun.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      assertArrayEquals(sun.doFinal(key), multi.get(i), "SunJCE AES/KWP/NoPadding, length " + key.length);
    }
  }

  @Test
  void wrapAllAndUnwrapAll_moreLanesThanOnePass_matchSunJceAcrossThePassBoundaries() throws Exception {
    byte[] kek = new byte[32];
    RANDOM.nextBytes(kek);
    List<byte[]> keys = new ArrayList<>();
    int pass = lanes(kek, false).maxBlocksPerCall();
    for (int i = 0; i < 2 * pass + 7; i++) { // mostly 32-byte keys: their group runs in three passes
      byte[] k = new byte[i % 5 == 0 ? 24 : 32];
      RANDOM.nextBytes(k);
      keys.add(k);
    }
    CountingBlocks wrapping = new CountingBlocks(lanes(kek, false));
    List<byte[]> multi = KeyWrapPaddedLanes.wrapAll(wrapping, KeyWrapPadded.AIV_CONSTANT, keys);
    assertEquals(pass, wrapping.largest, "no cipher call carries more than the cipher's pass size");
    Cipher sun = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
    for (int i = 0; i < keys.size(); i++) {
      sun.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      assertArrayEquals(sun.doFinal(keys.get(i)), multi.get(i), "SunJCE AES/KWP/NoPadding, key " + i);
    }
    CountingBlocks unwrapping = new CountingBlocks(lanes(kek, true));
    List<byte[]> back = KeyWrapPaddedLanes.unwrapAll(unwrapping, KeyWrapPadded.AIV_CONSTANT, multi);
    assertEquals(pass, unwrapping.largest, "no cipher call carries more than the cipher's pass size");
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(keys.get(i), back.get(i), "round trip, key " + i);
    }
    List<byte[]> tampered = new ArrayList<>(multi);
    byte[] bad = multi.get(pass + 3).clone();
    bad[9] ^= 1;
    tampered.set(pass + 3, bad);
    IntegrityCheckException e = assertThrows(IntegrityCheckException.class,
        () -> KeyWrapPaddedLanes.unwrapAll(lanes(kek, true), KeyWrapPadded.AIV_CONSTANT, tampered));
    assertEquals(pass + 3, e.index(), "the failing key of the second pass");
  }

  /** A cipher that remembers the most blocks one call carried. */
  private static final class CountingBlocks implements MultiBlockCipher128 {
    private final MultiBlockCipher128 inner;
    int largest;

    CountingBlocks(MultiBlockCipher128 inner) {
      this.inner = inner;
    }

    @Override
    public void processBlocks(byte[] in, byte[] out, int count) {
      largest = Math.max(largest, count);
      inner.processBlocks(in, out, count);
    }

    @Override
    public int maxBlocksPerCall() {
      return inner.maxBlocksPerCall();
    }

    @Override
    public void clear() {
      inner.clear();
    }
  }

  @ParameterizedTest(name = "KEK {0} bytes")
  @ValueSource(ints = {16, 24, 32})
  void unwrapAll_sunJceOutputsOfLengths1To64_equalSingleKeyUnwrap(int kekBytes) throws Exception {
    byte[] kek = new byte[kekBytes];
    RANDOM.nextBytes(kek);
    List<byte[]> keys = randomKeys();
    Cipher sun = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
    List<byte[]> wrapped = new ArrayList<>();
    for (byte[] k : keys) {
      sun.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      wrapped.add(sun.doFinal(k));
    }
    List<byte[]> back = KeyWrapPaddedLanes.unwrapAll(lanes(kek, true), KeyWrapPadded.AIV_CONSTANT, wrapped);
    for (int i = 0; i < keys.size(); i++) {
      byte[] w = wrapped.get(i);
      byte[] single = new byte[w.length - 8];
      int n = KeyWrapPadded.unwrap(TestAes.decryptor(kek), KeyWrapPadded.AIV_CONSTANT, w, 0, w.length, single, 0);
      assertArrayEquals(Arrays.copyOf(single, n), back.get(i), "single-key unwrap, length " + keys.get(i).length);
      assertArrayEquals(keys.get(i), back.get(i), "round trip, length " + keys.get(i).length);
    }
  }

  @Test
  void unwrapAll_tamperedEntry_failsWithFixedMessageNamingTheIndex() throws Exception {
    byte[] kek = new byte[16];
    List<byte[]> w = new ArrayList<>(KeyWrapPaddedLanes.wrapAll(lanes(kek, false), KeyWrapPadded.AIV_CONSTANT,
        List.of(new byte[32], new byte[32], new byte[5], new byte[32])));
    w.get(1)[3] ^= 1;
    w.get(3)[20] ^= 1;
    IntegrityCheckException e = assertThrows(IntegrityCheckException.class,
        () -> KeyWrapPaddedLanes.unwrapAll(lanes(kek, true), KeyWrapPadded.AIV_CONSTANT, w));
    assertEquals("integrity check failed (wrapped key 1)", e.getMessage());
    assertEquals(1, e.index());
    byte[] wrongKek = new byte[16];
    wrongKek[0] = 1;
    IntegrityCheckException single = assertThrows(IntegrityCheckException.class,
        () -> KeyWrapPaddedLanes.unwrapAll(lanes(wrongKek, true), KeyWrapPadded.AIV_CONSTANT, List.of(w.get(2))));
    assertEquals("integrity check failed (wrapped key 0)", single.getMessage());
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> KeyWrapPaddedLanes.unwrapAll(lanes(kek, true), KeyWrapPadded.AIV_CONSTANT, List.of(w.get(0), new byte[12])));
    assertTrue(length.getMessage().contains("wrapped key 1"), length.getMessage());
  }

  /** A ciphertext of A and the padded plaintext, made as a forger holding the KEK could. */
  private static byte[] forge(byte[] kek, long a, byte[] paddedPlain) {
    byte[] out = new byte[paddedPlain.length + 8];
    System.arraycopy(paddedPlain, 0, out, 8, paddedPlain.length);
    KeyWrap.w(TestAes.encryptor(kek), a, out, 0, paddedPlain.length / 8);
    return out;
  }

  /**
   * Each of RFC 5649 §3's three checks, broken alone on one key of a batch whose other keys are
   * good, fails with the one fixed message: the AIV constant, the MLI above 8n, the MLI at or below
   * 8(n - 1), and a non-zero padding byte.
   */
  @Test
  void unwrapAll_eachBrokenCheck_failsWithTheSameFixedMessage() throws Exception {
    byte[] kek = new byte[32];
    RANDOM.nextBytes(kek);
    byte[] plain = new byte[24];
    RANDOM.nextBytes(plain);
    byte[] padded = plain.clone();
    Arrays.fill(padded, 20, 24, (byte) 0);
    long aiv = (long) KeyWrapPadded.AIV_CONSTANT << 32;
    byte[] badPadding = padded.clone();
    badPadding[23] = 1;
    // MLI 16 with n = 3 breaks 8(n - 1) < MLI alone: the whole last semiblock is zero, so the
    // padding check passes.
    byte[] zeroLast = padded.clone();
    Arrays.fill(zeroLast, 16, 24, (byte) 0);
    List<byte[]> forgeries = List.of(
        forge(kek, 0xA65959A7L << 32 | 20, padded),
        forge(kek, aiv | 25, padded),
        forge(kek, aiv | 16, zeroLast),
        forge(kek, aiv | 20, badPadding));
    byte[] good = forge(kek, aiv | 20, padded);
    assertArrayEquals(Arrays.copyOf(padded, 20),
        KeyWrapPaddedLanes.unwrapAll(lanes(kek, true), KeyWrapPadded.AIV_CONSTANT, List.of(good)).get(0));
    for (int f = 0; f < forgeries.size(); f++) {
      List<byte[]> batch = List.of(good, good, forgeries.get(f));
      IntegrityCheckException e = assertThrows(IntegrityCheckException.class,
          () -> KeyWrapPaddedLanes.unwrapAll(lanes(kek, true), KeyWrapPadded.AIV_CONSTANT, batch), "forgery " + f);
      assertEquals("integrity check failed (wrapped key 2)", e.getMessage(), "forgery " + f);
    }
  }

  @Test
  void wrapAll_emptyKey_isRefusedNamingItsIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyWrapPaddedLanes.wrapAll(lanes(new byte[16], false), KeyWrapPadded.AIV_CONSTANT,
            List.of(new byte[3], new byte[0])));
    assertTrue(e.getMessage().contains("key 1"), e.getMessage());
  }
}
