package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.pkcs11.testing.SoftHsmTokens;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SessionTest {

  private static Pkcs11Token token;

  @BeforeAll
  static void open() throws Exception {
    token = SoftHsmTokens.open();
  }

  @AfterAll
  static void close() {
    if (token != null) {
      token.close();
    }
  }

  private static Template sessionAes(int bytes, boolean extractable) {
    return Template.builder()
        .ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, CKK.AES).ulong(CKA.VALUE_LEN, bytes)
        .bool(CKA.TOKEN, false).bool(CKA.SENSITIVE, !extractable).bool(CKA.EXTRACTABLE, extractable)
        .bool(CKA.ENCRYPT, true).bool(CKA.DECRYPT, true).bool(CKA.WRAP, true).bool(CKA.UNWRAP, true)
        .build();
  }

  private static Template valueKey(long keyType, byte[] value) {
    return Template.builder()
        .ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, keyType).bytes(CKA.VALUE, value)
        .bool(CKA.TOKEN, false).bool(CKA.SENSITIVE, false).bool(CKA.EXTRACTABLE, true)
        .bool(CKA.ENCRYPT, true).bool(CKA.DECRYPT, true).bool(CKA.WRAP, true).bool(CKA.UNWRAP, true)
        .bool(CKA.SIGN, true).bool(CKA.VERIFY, true)
        .build();
  }

  @Test
  void generateKey_sensitiveAes_valueIsNotReadable() throws Exception {
    token.call(s -> {
      long key = s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), sessionAes(32, false));
      AttributeValues v = s.getAttributes(key, CKA.VALUE, CKA.VALUE_LEN, CKA.SENSITIVE, CKA.KEY_TYPE);
      assertFalse(v.has(CKA.VALUE), "sensitive CKA_VALUE must not be returned");
      assertEquals(32L, v.ulong(CKA.VALUE_LEN).orElseThrow());
      assertTrue(v.bool(CKA.SENSITIVE).orElseThrow());
      assertEquals(CKK.AES, v.ulong(CKA.KEY_TYPE).orElseThrow());
      s.destroyObject(key);
      return null;
    });
  }

  @Test
  void encrypt_gcmOnToken_matchesSunJce() throws Exception {
    byte[] k = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] iv = HexFormat.of().parseHex("cafebabefacedbaddecaf888");
    byte[] aad = "header".getBytes(StandardCharsets.UTF_8);
    byte[] pt = new byte[1024];
    for (int i = 0; i < pt.length; i++) {
      pt[i] = (byte) i;
    }
    byte[] ct = token.call(s -> {
      long key = s.createObject(valueKey(CKK.AES, k));
      try {
        byte[] c = s.encrypt(Mechanism.gcm(iv, aad, 128), key, pt);
        assertArrayEquals(pt, s.decrypt(Mechanism.gcm(iv, aad, 128), key, c));
        return c;
      } finally {
        s.destroyObject(key);
      }
    });
    Cipher sun = Cipher.getInstance("AES/GCM/NoPadding");
    sun.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, iv));
    sun.updateAAD(aad);
    assertArrayEquals(pt, sun.doFinal(ct));
  }

  @Test
  void decrypt_tamperedGcm_throwsPkcs11Exception() throws Exception {
    byte[] iv = new byte[12];
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> token.call(s -> {
      long key = s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), sessionAes(16, false));
      byte[] c = s.encrypt(Mechanism.gcm(iv, null, 128), key, new byte[40]);
      c[3] ^= 1;
      return s.decrypt(Mechanism.gcm(iv, null, 128), key, c);
    }));
    assertEquals("C_Decrypt", e.function());
    assertTrue(e.getMessage().startsWith("C_Decrypt failed: CKR_"), e.getMessage());
  }

  @Test
  void sign_hmacSha256_matchesSunJceAndVerifies() throws Exception {
    byte[] k = new byte[32];
    k[0] = 7;
    byte[] data = "message".getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(k, "HmacSHA256"));
    byte[] expected = mac.doFinal(data);
    token.call(s -> {
      long key = s.createObject(valueKey(CKK.GENERIC_SECRET, k));
      try {
        assertArrayEquals(expected, s.sign(Mechanism.of(CKM.SHA256_HMAC), key, data));
        assertTrue(s.verify(Mechanism.of(CKM.SHA256_HMAC), key, data, expected));
        byte[] bad = expected.clone();
        bad[0] ^= 1;
        assertFalse(s.verify(Mechanism.of(CKM.SHA256_HMAC), key, data, bad));
        s.signInit(Mechanism.of(CKM.SHA256_HMAC), key);
        s.signUpdate(new byte[] {'m', 'e', 's'});
        s.signUpdate("sage".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected, s.signFinal());
      } finally {
        s.destroyObject(key);
      }
      return null;
    });
  }

  @Test
  void wrapKey_aesKeyWrap_matchesRfc3394Vector() throws Exception {
    // RFC 3394 §4.1: 128-bit key data with a 128-bit KEK.
    HexFormat hex = HexFormat.of();
    byte[] kek = hex.parseHex("000102030405060708090A0B0C0D0E0F");
    byte[] data = hex.parseHex("00112233445566778899AABBCCDDEEFF");
    byte[] expected = hex.parseHex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
    token.call(s -> {
      long w = s.createObject(valueKey(CKK.AES, kek));
      long k = s.createObject(valueKey(CKK.AES, data));
      try {
        byte[] wrapped = s.wrapKey(Mechanism.of(CKM.AES_KEY_WRAP), w, k);
        assertArrayEquals(expected, wrapped);
        long back = s.unwrapKey(Mechanism.of(CKM.AES_KEY_WRAP), w, wrapped, Template.builder()
            .ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, CKK.AES).bool(CKA.TOKEN, false)
            .bool(CKA.SENSITIVE, false).bool(CKA.EXTRACTABLE, true).build());
        assertArrayEquals(data, s.getAttributes(back, CKA.VALUE).bytes(CKA.VALUE).orElseThrow());
        s.destroyObject(back);
      } finally {
        s.destroyObject(w);
        s.destroyObject(k);
      }
      return null;
    });
  }

  @Test
  void findObjects_byLabel_findsOnlyThatObject() throws Exception {
    String label = "find-" + UUID.randomUUID();
    token.call(s -> {
      long a = s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, false)
          .string(CKA.LABEL, label).bytes(CKA.VALUE, new byte[] {1, 2, 3}).build());
      long b = s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, false)
          .string(CKA.LABEL, label + "-other").bytes(CKA.VALUE, new byte[] {4}).build());
      try {
        long[] found = s.findObjects(Template.builder().string(CKA.LABEL, label).build());
        assertArrayEquals(new long[] {a}, found);
        assertEquals(label, s.getString(a, CKA.LABEL));
        s.setAttributes(a, Template.builder().string(CKA.LABEL, label + "-renamed").build());
        assertEquals(label + "-renamed", s.getString(a, CKA.LABEL));
        assertArrayEquals(new byte[] {1, 2, 3}, s.getAttributes(a, CKA.VALUE).bytes(CKA.VALUE).orElseThrow());
      } finally {
        s.destroyObject(a);
        s.destroyObject(b);
      }
      Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> s.getAttributes(a, CKA.LABEL));
      assertEquals(CKR.OBJECT_HANDLE_INVALID, e.returnValue());
      return null;
    });
  }

  @Test
  void setAttributes_encryptFalse_tokenRefusesEncryption() throws Exception {
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> token.call(s -> {
      long key = s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), sessionAes(32, false));
      s.setAttributes(key, Template.builder().bool(CKA.ENCRYPT, false).build());
      return s.encrypt(Mechanism.gcm(new byte[12], null, 128), key, new byte[16]);
    }));
    assertEquals(CKR.KEY_FUNCTION_NOT_PERMITTED, e.returnValue(), e.getMessage());
    assertTrue(e.getMessage().contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), e.getMessage());
  }

  @Test
  void generateRandom_twoCalls_differ() throws Exception {
    byte[] a = token.call(s -> s.generateRandom(32));
    byte[] b = token.call(s -> s.generateRandom(32));
    assertEquals(32, a.length);
    assertNotEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b));
  }

  @Test
  void encryptMultiPart_aesCbcPad_equalsSinglePart() throws Exception {
    byte[] iv = new byte[16];
    byte[] pt = new byte[100];
    token.call(s -> {
      long key = s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), sessionAes(16, false));
      byte[] single = s.encrypt(Mechanism.withParameter(CKM.AES_CBC_PAD, iv), key, pt);
      s.encryptInit(Mechanism.withParameter(CKM.AES_CBC_PAD, iv), key);
      byte[] p1 = s.encryptUpdate(java.util.Arrays.copyOf(pt, 40));
      byte[] p2 = s.encryptUpdate(java.util.Arrays.copyOfRange(pt, 40, 100));
      byte[] p3 = s.encryptFinal();
      byte[] multi = new byte[p1.length + p2.length + p3.length];
      System.arraycopy(p1, 0, multi, 0, p1.length);
      System.arraycopy(p2, 0, multi, p1.length, p2.length);
      System.arraycopy(p3, 0, multi, p1.length + p2.length, p3.length);
      assertArrayEquals(single, multi);
      s.decryptInit(Mechanism.withParameter(CKM.AES_CBC_PAD, iv), key);
      byte[] d1 = s.decryptUpdate(multi);
      byte[] d2 = s.decryptFinal();
      assertEquals(100, d1.length + d2.length);
      s.destroyObject(key);
      return null;
    });
  }
}
