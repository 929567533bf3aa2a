package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.pkcs11.testing.SoftHsmTokens;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenKeyWrapTest {

  private static Pkcs11Token token;
  private static TokenKeyWrap wrap;
  private static final SecureRandom RANDOM = new SecureRandom();

  @BeforeAll
  static void open() throws Exception {
    token = SoftHsmTokens.open();
    wrap = TokenKeyWrap.probe(token);
  }

  @AfterAll
  static void close() {
    if (token != null) {
      token.close();
    }
  }

  /** A session KEK whose value the test knows, so the JDK can compute the expected output. */
  private static long kek(Session s, byte[] value) throws Pkcs11Exception {
    return s.createObject(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, CKK.AES)
        .bytes(CKA.VALUE, value).bool(CKA.TOKEN, false).bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, false)
        .bool(CKA.ENCRYPT, true).bool(CKA.DECRYPT, true).bool(CKA.WRAP, true).bool(CKA.UNWRAP, true).build());
  }

  private static byte[] jdk(String transformation, byte[] kek, byte[] data) throws Exception {
    Cipher c = Cipher.getInstance(transformation);
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
    return c.doFinal(data);
  }

  @Test
  void probe_softHsm261_findsKwGoodAndPadDeviatingForUnalignedLengths() {
    assertTrue(wrap.nativeKw(), wrap.findings());
    assertEquals(CKM.AES_KEY_WRAP_PAD, wrap.kwpMechanismAligned(), wrap.findings());
    assertEquals(0, wrap.kwpMechanismUnaligned(), "SoftHSM 2.6.1 zero-pads unaligned keys: " + wrap.findings());
    assertEquals(CKM.AES_KEY_WRAP_PAD, wrap.kwpMechanismUnwrap(), wrap.findings());
    assertTrue(wrap.findings().contains("does not match for other lengths"), wrap.findings());
  }

  @ParameterizedTest(name = "{0} blocks")
  @ValueSource(ints = {1, 2, 7, 64})
  void ecb_manyBlocksInOneCall_equalJdkAesEcbBothWays(int blocks) throws Exception {
    byte[] kekValue = new byte[32];
    byte[] data = new byte[16 * blocks];
    RANDOM.nextBytes(kekValue);
    RANDOM.nextBytes(data);
    byte[] expected = jdk("AES/ECB/NoPadding", kekValue, data);
    token.call(s -> {
      long kek = kek(s, kekValue);
      try {
        byte[] onToken = TokenKeyWrap.ecb(s, true, kek, data);
        assertArrayEquals(expected, onToken, blocks + " blocks encrypted");
        assertArrayEquals(data, TokenKeyWrap.ecb(s, false, kek, onToken), blocks + " blocks decrypted");
      } finally {
        s.destroyObject(kek);
      }
      return null;
    });
    assertThrows(IllegalArgumentException.class, () -> token.call(s -> TokenKeyWrap.ecb(s, true, 0, new byte[15])));
  }

  @Test
  void wrapBytesAndUnwrapBytes_withThePassedMechanisms_equalSoftwareAndRoundTrip() throws Exception {
    byte[] kekValue = new byte[32];
    RANDOM.nextBytes(kekValue);
    byte[] data = new byte[32];
    RANDOM.nextBytes(data);
    token.call(s -> {
      long kek = kek(s, kekValue);
      try {
        byte[] kw = wrap.wrapBytes(s, CKM.AES_KEY_WRAP, kek, data);
        byte[] kwp = wrap.wrapBytes(s, wrap.kwpMechanismFor(32), kek, data);
        try {
          assertArrayEquals(jdk("AES/KW/NoPadding", kekValue, data), kw);
          assertArrayEquals(jdk("AES/KWP/NoPadding", kekValue, data), kwp);
          assertArrayEquals(data, wrap.unwrapBytes(s, CKM.AES_KEY_WRAP, kek, kw));
          assertArrayEquals(data, wrap.unwrapBytes(s, wrap.kwpMechanismUnwrap(), kek, kwp));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        assertEquals(0, wrap.kwpMechanismFor(20), "SoftHSM 2.6.1 has no RFC 5649 mechanism for 20 bytes");
        assertTrue(wrap.offersEcb(), wrap.toString());
      } finally {
        s.destroyObject(kek);
      }
      return null;
    });
  }

  @Test
  void wrapKwp_unalignedKeyHeldOnToken_refusesNamingTheDeviation() throws Exception {
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> token.call(s -> {
      long kek = kek(s, new byte[32]);
      long key = s.createObject(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
          .ulong(CKA.KEY_TYPE, CKK.GENERIC_SECRET).bytes(CKA.VALUE, new byte[20]).bool(CKA.TOKEN, false)
          .bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, true).build());
      try {
        return wrap.wrapKwp(s, kek, key, 20);
      } finally {
        s.destroyObject(key);
        s.destroyObject(kek);
      }
    }));
    assertTrue(e.getMessage().contains("deviates from RFC 5649"), e.getMessage());
    assertTrue(e.getMessage().contains("20-byte"), e.getMessage());
  }

  @Test
  void unwrapKwp_softwareWrappedKey_becomesUsableTokenKey() throws Exception {
    byte[] kekValue = new byte[32];
    byte[] keyValue = new byte[32];
    RANDOM.nextBytes(kekValue);
    RANDOM.nextBytes(keyValue);
    byte[] blob = jdk("AES/KWP/NoPadding", kekValue, keyValue);
    byte[] iv = new byte[12];
    byte[] ct = token.call(s -> {
      long kek = kek(s, kekValue);
      long key = wrap.unwrapKwp(s, kek, blob, Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
          .ulong(CKA.KEY_TYPE, CKK.AES).bool(CKA.TOKEN, false).bool(CKA.SENSITIVE, true)
          .bool(CKA.EXTRACTABLE, false).bool(CKA.ENCRYPT, true).build());
      try {
        return s.encrypt(Mechanism.gcm(iv, null, 128), key, new byte[] {1, 2, 3});
      } finally {
        s.destroyObject(key);
        s.destroyObject(kek);
      }
    });
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyValue, "AES"), new javax.crypto.spec.GCMParameterSpec(128, iv));
    assertArrayEquals(new byte[] {1, 2, 3}, c.doFinal(ct));
  }
}
