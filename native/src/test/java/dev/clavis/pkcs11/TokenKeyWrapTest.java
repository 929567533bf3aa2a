package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    token = SoftHsm.open();
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

  @ParameterizedTest(name = "KEK {0} bytes")
  @ValueSource(ints = {16, 24, 32})
  void encryptKwp_lengths1To64_equalSoftwareKwpAndRoundTrip(int kekBytes) throws Exception {
    byte[] kekValue = new byte[kekBytes];
    RANDOM.nextBytes(kekValue);
    token.call(s -> {
      long kek = kek(s, kekValue);
      try {
        for (int len = 1; len <= 64; len++) {
          byte[] data = new byte[len];
          RANDOM.nextBytes(data);
          byte[] expected;
          try {
            expected = jdk("AES/KWP/NoPadding", kekValue, data);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          byte[] onToken = wrap.encryptKwp(s, kek, data);
          assertArrayEquals(expected, onToken, "KWP output differs from RFC 5649 for length " + len);
          try {
            assertArrayEquals(data, wrap.decryptKwp(s, kek, onToken), "round trip, length " + len);
          } catch (WrapIntegrityException e) {
            throw new AssertionError("length " + len, e);
          }
        }
      } finally {
        s.destroyObject(kek);
      }
      return null;
    });
  }

  @Test
  void encryptKw_lengths16To64_equalSoftwareKw() throws Exception {
    byte[] kekValue = new byte[32];
    RANDOM.nextBytes(kekValue);
    token.call(s -> {
      long kek = kek(s, kekValue);
      try {
        for (int len = 16; len <= 64; len += 8) {
          byte[] data = new byte[len];
          RANDOM.nextBytes(data);
          byte[] expected;
          try {
            expected = jdk("AES/KW/NoPadding", kekValue, data);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          byte[] onToken = wrap.encryptKw(s, kek, data);
          assertArrayEquals(expected, onToken, "KW length " + len);
          assertArrayEquals(data, wrap.decryptKw(s, kek, onToken), "KW round trip " + len);
        }
      } catch (WrapIntegrityException e) {
        throw new AssertionError(e);
      } finally {
        s.destroyObject(kek);
      }
      return null;
    });
  }

  @ParameterizedTest(name = "length {0}")
  @ValueSource(ints = {7, 20, 32})
  void decryptKwp_tamperedBlob_throwsIntegrity(int len) throws Exception {
    byte[] kekValue = new byte[32];
    RANDOM.nextBytes(kekValue);
    byte[] blob = jdk("AES/KWP/NoPadding", kekValue, new byte[len]);
    blob[blob.length - 1] ^= 1;
    try (Session s = token.module().openSession(token.info().slotId(), true)) {
      long kek = kek(s, kekValue);
      try {
        WrapIntegrityException e = assertThrows(WrapIntegrityException.class, () -> wrap.decryptKwp(s, kek, blob));
        assertEquals("key wrap integrity check failed", e.getMessage());
      } finally {
        s.destroyObject(kek);
      }
    }
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
