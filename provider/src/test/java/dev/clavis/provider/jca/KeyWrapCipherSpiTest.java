package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clavis.provider.ClavisProvider;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyWrapCipherSpiTest {

  private static final Provider CLAVIS = new ClavisProvider();
  private static final HexFormat HEX = HexFormat.of();
  private static final SecretKey KEK256 =
      new SecretKeySpec(HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), "AES");
  private static final SecretKey KEY128 =
      new SecretKeySpec(HEX.parseHex("00112233445566778899aabbccddeeff"), "AES");
  /** RFC 3394 §4.3. */
  private static final String RFC3394_4_3 = "64e8c3f9ce0f5ba263e9777905818a2a93c8191e7d6e8ae7";

  private static Cipher kw() throws Exception {
    return Cipher.getInstance("AES/KW/NoPadding", CLAVIS);
  }

  private static Cipher kwp() throws Exception {
    return Cipher.getInstance("AES/KWP/NoPadding", CLAVIS);
  }

  private static SecretKey aes(int bytes) {
    byte[] k = new byte[bytes];
    Arrays.fill(k, (byte) bytes);
    return new SecretKeySpec(k, "AES");
  }

  // ------------------------------------------------------------------ wrap / unwrap

  @Test
  void wrap_rfc3394Section4_3_matchesAndUnwrapsToASecretKey() throws Exception {
    Cipher c = kw();
    c.init(Cipher.WRAP_MODE, KEK256);
    byte[] wrapped = c.wrap(KEY128);
    assertEquals(RFC3394_4_3, HEX.formatHex(wrapped));

    c.init(Cipher.UNWRAP_MODE, KEK256);
    Key back = c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    assertInstanceOf(SecretKey.class, back);
    assertEquals("AES", back.getAlgorithm());
    assertArrayEquals(KEY128.getEncoded(), back.getEncoded());
  }

  @Test
  void wrapUnwrap_privateAndPublicKeys_roundTripThroughKeyFactory() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    Cipher c = kwp(); // PKCS#8 encodings are rarely a multiple of 8
    c.init(Cipher.WRAP_MODE, KEK256);
    byte[] wrappedPrivate = c.wrap(pair.getPrivate());
    byte[] wrappedPublic = c.wrap(pair.getPublic());
    c.init(Cipher.UNWRAP_MODE, KEK256);
    Key priv = c.unwrap(wrappedPrivate, "EC", Cipher.PRIVATE_KEY);
    Key pub = c.unwrap(wrappedPublic, "EC", Cipher.PUBLIC_KEY);
    assertInstanceOf(PrivateKey.class, priv);
    assertInstanceOf(PublicKey.class, pub);
    assertArrayEquals(pair.getPrivate().getEncoded(), priv.getEncoded());
    assertArrayEquals(pair.getPublic().getEncoded(), pub.getEncoded());
  }

  @Test
  void unwrap_tamperedIcv_throwsInvalidKeyWithFixedMessage() throws Exception {
    byte[] wrapped = HEX.parseHex(RFC3394_4_3);
    wrapped[0] ^= 1;
    Cipher c = kw();
    c.init(Cipher.UNWRAP_MODE, KEK256);
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> c.unwrap(wrapped, "AES", Cipher.SECRET_KEY));
    assertEquals("integrity check failed", e.getMessage());
    assertInstanceOf(BadPaddingException.class, e.getCause());
  }

  @Test
  void unwrap_badLength_throwsInvalidKeyNamingTheLength() throws Exception {
    Cipher c = kw();
    c.init(Cipher.UNWRAP_MODE, KEK256);
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> c.unwrap(new byte[20], "AES", Cipher.SECRET_KEY));
    assertEquals("AES/KW/NoPadding unwraps a multiple of 8 bytes, at least 24, got 20 bytes", e.getMessage());
  }

  @Test
  void unwrap_notAPrivateKeyEncoding_throwsInvalidKey() throws Exception {
    Cipher c = kw();
    c.init(Cipher.WRAP_MODE, KEK256);
    byte[] wrapped = c.wrap(KEY128);
    c.init(Cipher.UNWRAP_MODE, KEK256);
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> c.unwrap(wrapped, "EC", Cipher.PRIVATE_KEY));
    assertEquals(
        "the unwrapped bytes are not a EC PKCS#8 private key; check wrappedKeyAlgorithm and wrappedKeyType",
        e.getMessage());
  }

  @Test
  void unwrap_nullAlgorithm_throwsNoSuchAlgorithm() throws Exception {
    Cipher c = kw();
    c.init(Cipher.UNWRAP_MODE, KEK256);
    NoSuchAlgorithmException e =
        assertThrows(NoSuchAlgorithmException.class, () -> c.unwrap(HEX.parseHex(RFC3394_4_3), null, Cipher.SECRET_KEY));
    assertEquals("AES/KW/NoPadding needs the wrapped key's algorithm name, got null", e.getMessage());
  }

  @Test
  void wrap_keyWithoutEncoding_throwsInvalidKey() throws Exception {
    Cipher c = kwp();
    c.init(Cipher.WRAP_MODE, KEK256);
    SecretKey handle = new SecretKey() {
      private static final long serialVersionUID = 1L;
      @Override public String getAlgorithm() { return "AES"; }
      @Override public String getFormat() { return null; }
      @Override public byte[] getEncoded() { return null; }
    };
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> c.wrap(handle));
    assertEquals(
        "AES/KWP/NoPadding wraps a key by its encoding; this key has none (getEncoded() is null or empty)",
        e.getMessage());
  }

  @Test
  void wrap_kwKeyNotMultipleOf8_throwsIllegalBlockSize() throws Exception {
    Cipher c = kw();
    c.init(Cipher.WRAP_MODE, KEK256);
    IllegalBlockSizeException e =
        assertThrows(IllegalBlockSizeException.class, () -> c.wrap(new SecretKeySpec(new byte[20], "HmacSHA1")));
    assertEquals(
        "AES/KW/NoPadding wraps a multiple of 8 bytes, at least 16 (RFC 3394 §2), got 20 bytes;"
            + " use AES/KWP/NoPadding for other lengths",
        e.getMessage());
  }

  // ------------------------------------------------------------------ encrypt / decrypt

  @Test
  void encrypt_bufferedUpdates_equalOneShotAndReturnNoEarlyOutput() throws Exception {
    byte[] plain = HEX.parseHex("00112233445566778899aabbccddeeff0001020304050607");
    Cipher c = kw();
    c.init(Cipher.ENCRYPT_MODE, KEK256);
    byte[] oneShot = c.doFinal(plain);
    assertNull(c.update(plain, 0, 5));
    assertEquals(0, c.update(plain, 5, 10, new byte[64], 0));
    byte[] pieces = c.doFinal(plain, 15, 9);
    assertArrayEquals(oneShot, pieces);
    // RFC 3394 §4.5
    assertEquals("a8f9bc1612c68b3ff6e6f4fbe30e71e4769c8b80a32cb8958cd5d17d6b254da1", HEX.formatHex(oneShot));
  }

  @Test
  void decrypt_intoOffsetOutput_writesExactLength() throws Exception {
    Cipher c = kwp();
    c.init(Cipher.ENCRYPT_MODE, KEK256);
    byte[] plain = "twenty bytes of key!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] wrapped = c.doFinal(plain);
    c.init(Cipher.DECRYPT_MODE, KEK256);
    byte[] out = new byte[3 + c.getOutputSize(wrapped.length)];
    int n = c.doFinal(wrapped, 0, wrapped.length, out, 3);
    assertEquals(20, n);
    assertArrayEquals(plain, Arrays.copyOfRange(out, 3, 23));
  }

  @Test
  void decrypt_tamperedCiphertext_throwsBadPaddingAndCipherStaysUsable() throws Exception {
    Cipher c = kw();
    c.init(Cipher.DECRYPT_MODE, KEK256);
    byte[] bad = HEX.parseHex(RFC3394_4_3);
    bad[23] ^= 0x40;
    BadPaddingException e = assertThrows(BadPaddingException.class, () -> c.doFinal(bad));
    assertEquals("integrity check failed", e.getMessage());
    assertArrayEquals(KEY128.getEncoded(), c.doFinal(HEX.parseHex(RFC3394_4_3)));
  }

  @Test
  void doFinal_shortOutput_throwsShortBufferAndKeepsInput() throws Exception {
    Cipher c = kw();
    c.init(Cipher.ENCRYPT_MODE, KEK256);
    c.update(KEY128.getEncoded());
    ShortBufferException e = assertThrows(ShortBufferException.class, () -> c.doFinal(new byte[23], 0));
    assertEquals("AES/KW/NoPadding needs 24 bytes of output from offset 0, got 23", e.getMessage());
    byte[] out = new byte[24];
    assertEquals(24, c.doFinal(out, 0));
    assertEquals(RFC3394_4_3, HEX.formatHex(out));
  }

  @Test
  void encrypt_kwBadLength_throwsIllegalBlockSize() throws Exception {
    Cipher c = kw();
    c.init(Cipher.ENCRYPT_MODE, KEK256);
    IllegalBlockSizeException e = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(new byte[8]));
    assertEquals(
        "AES/KW/NoPadding wraps a multiple of 8 bytes, at least 16 (RFC 3394 §2), got 8 bytes;"
            + " use AES/KWP/NoPadding for other lengths",
        e.getMessage());
  }

  @Test
  void encrypt_kwpEmpty_throwsIllegalBlockSize() throws Exception {
    Cipher c = kwp();
    c.init(Cipher.ENCRYPT_MODE, KEK256);
    IllegalBlockSizeException e = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal());
    assertEquals("AES/KWP/NoPadding needs at least 1 byte to wrap, got 0", e.getMessage());
  }

  @Test
  void decrypt_kwpBadLength_throwsIllegalBlockSize() throws Exception {
    Cipher c = kwp();
    c.init(Cipher.DECRYPT_MODE, KEK256);
    IllegalBlockSizeException e = assertThrows(IllegalBlockSizeException.class, () -> c.doFinal(new byte[12]));
    assertEquals("AES/KWP/NoPadding unwraps a multiple of 8 bytes, at least 16, got 12 bytes", e.getMessage());
  }

  @ParameterizedTest(name = "input {0}")
  @ValueSource(ints = {1, 7, 8, 9, 16, 20, 32, 33})
  void getOutputSize_isExactForWrappingAndKw(int length) throws Exception {
    Cipher w = kwp();
    w.init(Cipher.ENCRYPT_MODE, KEK256);
    byte[] wrapped = w.doFinal(new byte[length]);
    assertEquals(wrapped.length, w.getOutputSize(length), "KWP encrypt " + length);
    Cipher d = kwp();
    d.init(Cipher.DECRYPT_MODE, KEK256);
    int bound = d.getOutputSize(wrapped.length);
    assertEquals(wrapped.length - 8, bound, "KWP decrypt bound " + length);
    assertEquals(true, d.doFinal(wrapped).length <= bound);
    if (length % 8 == 0 && length >= 16) {
      Cipher k = kw();
      k.init(Cipher.WRAP_MODE, KEK256);
      byte[] kwWrapped = k.wrap(new SecretKeySpec(new byte[length], "AES"));
      assertEquals(kwWrapped.length, k.getOutputSize(length));
      k.init(Cipher.DECRYPT_MODE, KEK256);
      assertEquals(length, k.getOutputSize(kwWrapped.length));
    }
  }

  // ------------------------------------------------------------------ IV and parameters

  @Test
  void getIv_beforeInitNull_afterInitTheDefault() throws Exception {
    Cipher c = kw();
    assertNull(c.getIV());
    c.init(Cipher.WRAP_MODE, KEK256);
    assertEquals("a6a6a6a6a6a6a6a6", HEX.formatHex(c.getIV()));
    Cipher p = kwp();
    p.init(Cipher.WRAP_MODE, KEK256);
    assertEquals("a65959a6", HEX.formatHex(p.getIV()));
  }

  @Test
  void customKwIv_roundTripsThroughGetParameters() throws Exception {
    byte[] iv = HEX.parseHex("0123456789abcdef");
    Cipher c = kw();
    c.init(Cipher.WRAP_MODE, KEK256, new IvParameterSpec(iv));
    byte[] wrapped = c.wrap(KEY128);
    assertArrayEquals(iv, c.getIV());
    AlgorithmParameters params = c.getParameters();
    assertArrayEquals(iv, params.getParameterSpec(IvParameterSpec.class).getIV());

    Cipher sun = Cipher.getInstance("AES/KW/NoPadding", "SunJCE");
    sun.init(Cipher.WRAP_MODE, KEK256, new IvParameterSpec(iv));
    assertArrayEquals(sun.wrap(KEY128), wrapped, "custom IV output differs from SunJCE's");

    Cipher u = kw();
    u.init(Cipher.UNWRAP_MODE, KEK256, params);
    assertArrayEquals(KEY128.getEncoded(), u.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded());
    u.init(Cipher.UNWRAP_MODE, KEK256); // default IV: must not verify
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> u.unwrap(wrapped, "AES", Cipher.SECRET_KEY));
    assertEquals("integrity check failed", e.getMessage());
  }

  @Test
  void init_kwIvOfWrongLength_throwsInvalidAlgorithmParameter() throws Exception {
    InvalidAlgorithmParameterException e =
        assertThrows(
            InvalidAlgorithmParameterException.class,
            () -> kw().init(Cipher.WRAP_MODE, KEK256, new IvParameterSpec(new byte[16])));
    assertEquals("AES/KW/NoPadding takes an 8-byte initial value (RFC 3394 §2.2.3), got 16 bytes", e.getMessage());
  }

  @Test
  void init_kwpExplicitAiv_isAccepted() throws Exception {
    Cipher c = kwp();
    c.init(Cipher.WRAP_MODE, KEK256, new IvParameterSpec(HEX.parseHex("a65959a6")));
    Cipher d = kwp();
    d.init(Cipher.WRAP_MODE, KEK256);
    assertArrayEquals(d.wrap(KEY128), c.wrap(KEY128));
  }

  @Test
  void init_kwpOtherAiv_throwsInvalidAlgorithmParameter() throws Exception {
    InvalidAlgorithmParameterException e =
        assertThrows(
            InvalidAlgorithmParameterException.class,
            () -> kwp().init(Cipher.WRAP_MODE, KEK256, new IvParameterSpec(HEX.parseHex("01020304"))));
    assertEquals(
        "AES/KWP/NoPadding initial value must be the RFC 5649 AIV constant A65959A6 (RFC 5649 §3 defines no alternative)",
        e.getMessage());
  }

  @Test
  void init_kwpIvOfWrongLength_throwsInvalidAlgorithmParameter() throws Exception {
    InvalidAlgorithmParameterException e =
        assertThrows(
            InvalidAlgorithmParameterException.class,
            () -> kwp().init(Cipher.WRAP_MODE, KEK256, new IvParameterSpec(new byte[8])));
    assertEquals(
        "AES/KWP/NoPadding takes a 4-byte initial value, the RFC 5649 AIV constant A65959A6, got 8 bytes",
        e.getMessage());
  }

  @Test
  void init_otherParameterSpec_throwsInvalidAlgorithmParameter() throws Exception {
    InvalidAlgorithmParameterException e =
        assertThrows(
            InvalidAlgorithmParameterException.class,
            () -> kw().init(Cipher.WRAP_MODE, KEK256, new GCMParameterSpec(128, new byte[12])));
    assertEquals(
        "AES/KW/NoPadding takes only an IvParameterSpec, got javax.crypto.spec.GCMParameterSpec", e.getMessage());
  }

  @Test
  void init_parametersWithoutIv_throwsInvalidAlgorithmParameter() throws Exception {
    AlgorithmParameters gcm = AlgorithmParameters.getInstance("GCM");
    gcm.init(new GCMParameterSpec(128, new byte[12]));
    InvalidAlgorithmParameterException e =
        assertThrows(InvalidAlgorithmParameterException.class, () -> kw().init(Cipher.WRAP_MODE, KEK256, gcm));
    assertEquals(
        "AES/KW/NoPadding takes parameters holding an IvParameterSpec; these (GCM) hold none", e.getMessage());
  }

  // ------------------------------------------------------------------ KEK checks

  @ParameterizedTest(name = "{0}-byte KEK")
  @ValueSource(ints = {0, 8, 15, 17, 31, 33, 64})
  void init_kekOfWrongSize_throwsInvalidKey(int size) throws Exception {
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> kw().init(Cipher.WRAP_MODE, new RawKey("AES", new byte[size])));
    assertEquals("AES/KW/NoPadding needs a 128-, 192- or 256-bit AES KEK, got " + size + " bytes", e.getMessage());
  }

  @Test
  void init_nonAesKek_throwsInvalidKey() throws Exception {
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> kw().init(Cipher.WRAP_MODE, new SecretKeySpec(new byte[32], "HmacSHA256")));
    assertEquals("AES/KW/NoPadding needs an AES KEK, got a key of algorithm HmacSHA256", e.getMessage());
  }

  @Test
  void init_publicKeyAsKek_throwsInvalidKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    PublicKey pub = g.generateKeyPair().getPublic();
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> kw().init(Cipher.WRAP_MODE, pub));
    assertEquals("AES/KW/NoPadding needs an AES SecretKey as KEK, got a " + pub.getClass().getName(), e.getMessage());
  }

  @Test
  void init_kekWithoutEncoding_throwsInvalidKey() throws Exception {
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> kwp().init(Cipher.UNWRAP_MODE, new RawKey("AES", null)));
    assertEquals(
        "AES/KWP/NoPadding needs a KEK whose raw bytes are available; this key's getEncoded() is null",
        e.getMessage());
  }

  @Test
  void init_nullKek_throwsInvalidKey() throws Exception {
    Cipher c = kw();
    InvalidKeyException e =
        assertThrows(InvalidKeyException.class, () -> c.init(Cipher.WRAP_MODE, (Key) null));
    assertEquals("AES/KW/NoPadding needs a KEK, got null", e.getMessage());
  }

  @Test
  void oidNames_fixTheKekSize() throws Exception {
    Cipher c = Cipher.getInstance("2.16.840.1.101.3.4.1.45", CLAVIS);
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> c.init(Cipher.WRAP_MODE, aes(16)));
    assertEquals(
        "AES_256/KW/NoPadding needs a 256-bit KEK, got a 128-bit one (use AES/KW/NoPadding for any KEK size)",
        e.getMessage());
    Cipher p = Cipher.getInstance("2.16.840.1.101.3.4.1.8", CLAVIS);
    InvalidKeyException e2 = assertThrows(InvalidKeyException.class, () -> p.init(Cipher.WRAP_MODE, aes(24)));
    assertEquals(
        "AES_128/KWP/NoPadding needs a 128-bit KEK, got a 192-bit one (use AES/KWP/NoPadding for any KEK size)",
        e2.getMessage());
    p.init(Cipher.WRAP_MODE, aes(16));
    assertEquals(24, p.wrap(KEY128).length);
  }

  @Test
  void getInstance_withOtherMode_throwsNoSuchAlgorithm() {
    assertThrows(NoSuchAlgorithmException.class, () -> Cipher.getInstance("AES/KW/PKCS5Padding", CLAVIS));
  }

  // ------------------------------------------------------------------ mode misuse

  @Test
  void wrap_inUnwrapMode_throwsIllegalState() throws Exception {
    Cipher c = kw();
    c.init(Cipher.UNWRAP_MODE, KEK256);
    assertThrows(IllegalStateException.class, () -> c.wrap(KEY128));
  }

  @Test
  void update_inWrapMode_throwsIllegalState() throws Exception {
    Cipher c = kw();
    c.init(Cipher.WRAP_MODE, KEK256);
    assertThrows(IllegalStateException.class, () -> c.update(new byte[16]));
  }

  // ------------------------------------------------------------------ the shared AES

  @Test
  void twoCiphersOnOneThread_interleaved_eachKeepItsKek() throws Exception {
    Cipher a = kw();
    Cipher b = kw();
    a.init(Cipher.WRAP_MODE, KEK256);
    b.init(Cipher.WRAP_MODE, aes(16)); // re-keys the thread's shared AES
    Cipher sunB = Cipher.getInstance("AES/KW/NoPadding", "SunJCE");
    sunB.init(Cipher.WRAP_MODE, aes(16));
    for (int i = 0; i < 3; i++) {
      assertEquals(RFC3394_4_3, HEX.formatHex(a.wrap(KEY128)), "round " + i);
      assertArrayEquals(sunB.wrap(KEY128), b.wrap(KEY128), "round " + i);
    }
  }

  @Test
  void cipherMovedToAnotherThread_stillWrapsCorrectly() throws Exception {
    Cipher a = kw();
    a.init(Cipher.WRAP_MODE, KEK256);
    String onOtherThread = CompletableFuture.supplyAsync(() -> {
      try {
        Cipher local = kw();
        local.init(Cipher.WRAP_MODE, aes(24)); // binds that thread's AES, not ours
        local.wrap(KEY128);
        return HEX.formatHex(a.wrap(KEY128));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).get();
    assertEquals(RFC3394_4_3, onOtherThread);
    assertEquals(RFC3394_4_3, HEX.formatHex(a.wrap(KEY128)));
  }

  @Test
  void wrapAndUnwrapCiphers_onOneThread_useSeparateDirections() throws Exception {
    Cipher w = kw();
    Cipher u = kw();
    w.init(Cipher.WRAP_MODE, KEK256);
    u.init(Cipher.UNWRAP_MODE, KEK256);
    for (int i = 0; i < 3; i++) {
      byte[] wrapped = w.wrap(KEY128);
      assertArrayEquals(KEY128.getEncoded(), u.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded());
    }
  }

  @Test
  void getKeySize_reportsKekBits() throws Exception {
    Cipher c = kw();
    c.init(Cipher.WRAP_MODE, aes(24));
    assertEquals(192, new KeyWrapCipherSpi.Kw(new AesBlockCache()).engineGetKeySize(aes(24)));
  }

  /** A secret key with any encoding, including null or a bad length. */
  private static final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final String algorithm;
    private final byte[] encoded;

    RawKey(String algorithm, byte[] encoded) {
      this.algorithm = algorithm;
      this.encoded = encoded;
    }

    @Override public String getAlgorithm() { return algorithm; }
    @Override public String getFormat() { return encoded == null ? null : "RAW"; }
    @Override public byte[] getEncoded() { return encoded == null ? null : encoded.clone(); }
  }
}
