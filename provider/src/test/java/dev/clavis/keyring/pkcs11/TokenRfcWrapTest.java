package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.engine.kw.IntegrityCheckException;
import dev.clavis.engine.kw.KeyWrapPadded;
import dev.clavis.engine.kw.KeyWrapPaddedLanes;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.TokenKeyWrap;
import dev.clavis.pkcs11.WrapIntegrityException;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 3394/5649 under a SoftHSM2 KEK. SoftHSM 2.6.1's {@code CKM_AES_KEY_WRAP_PAD} deviates from
 * RFC 5649 for lengths that are not a multiple of 8, so those lengths run engine/kw over the
 * token's {@code CKM_AES_ECB}; every output must equal the JDK's software KWP.
 */
class TokenRfcWrapTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static Pkcs11Token token;
  private static TokenKeyWrap mechanisms;

  @BeforeAll
  static void open() throws Exception {
    token = SoftHsmTokens.open();
    mechanisms = TokenKeyWrap.probe(token);
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

  private static byte[] jdk(String transformation, byte[] kek, byte[] data) {
    try {
      Cipher c = Cipher.getInstance(transformation, "SunJCE");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      return c.doFinal(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private interface OnToken {
    void run(Session s, long kek) throws Exception;
  }

  private static void withKek(byte[] kekValue, OnToken body) throws Exception {
    token.call(s -> {
      long kek = kek(s, kekValue);
      try {
        body.run(s, kek);
      } catch (Pkcs11Exception | RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        s.destroyObject(kek);
      }
      return null;
    });
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Test
  void probe_softHsm261_leavesUnalignedKwpToTheEcbFallback() {
    assertEquals(0, mechanisms.kwpMechanismFor(20), mechanisms.findings());
    assertTrue(mechanisms.offersEcb(), mechanisms.toString());
  }

  @ParameterizedTest(name = "KEK {0} bytes")
  @ValueSource(ints = {16, 24, 32})
  void encryptKwp_lengths1To64_equalSoftwareKwpAndRoundTrip(int kekBytes) throws Exception {
    byte[] kekValue = randomBytes(kekBytes);
    withKek(kekValue, (s, kek) -> {
      for (int len = 1; len <= 64; len++) {
        byte[] data = randomBytes(len);
        byte[] onToken = TokenRfcWrap.encryptKwp(mechanisms, s, kek, data);
        assertArrayEquals(jdk("AES/KWP/NoPadding", kekValue, data), onToken, "KWP output, length " + len);
        assertArrayEquals(data, TokenRfcWrap.decryptKwp(mechanisms, s, kek, onToken), "round trip, length " + len);
      }
    });
  }

  /** The ECB path alone, single-key and multi-lane, whatever the module's mechanisms pass. */
  @ParameterizedTest(name = "KEK {0} bytes")
  @ValueSource(ints = {16, 24, 32})
  void engineKwOverTokenEcb_lengths1To64_equalsSoftwareKwpSingleAndMultiLane(int kekBytes) throws Exception {
    byte[] kekValue = randomBytes(kekBytes);
    withKek(kekValue, (s, kek) -> {
      List<byte[]> keys = new ArrayList<>();
      List<byte[]> expected = new ArrayList<>();
      for (int len = 1; len <= 64; len++) {
        byte[] data = randomBytes(len);
        keys.add(data);
        expected.add(jdk("AES/KWP/NoPadding", kekValue, data));
        byte[] single = new byte[KeyWrapPadded.wrappedLength(len)];
        KeyWrapPadded.wrap(new TokenAesEcb(s, kek, true), KeyWrapPadded.AIV_CONSTANT, data, 0, len, single, 0);
        assertArrayEquals(expected.get(len - 1), single, "single-key over token ECB, length " + len);
        byte[] back = new byte[single.length - 8];
        int n = KeyWrapPadded.unwrap(new TokenAesEcb(s, kek, false), KeyWrapPadded.AIV_CONSTANT, single, 0,
            single.length, back, 0);
        assertArrayEquals(data, Arrays.copyOf(back, n), "single-key unwrap over token ECB, length " + len);
      }
      List<byte[]> multi = KeyWrapPaddedLanes.wrapAll(new TokenAesEcb(s, kek, true), KeyWrapPadded.AIV_CONSTANT, keys);
      List<byte[]> back = KeyWrapPaddedLanes.unwrapAll(new TokenAesEcb(s, kek, false), KeyWrapPadded.AIV_CONSTANT, multi);
      for (int i = 0; i < keys.size(); i++) {
        assertArrayEquals(expected.get(i), multi.get(i), "multi-lane over token ECB, length " + (i + 1));
        assertArrayEquals(keys.get(i), back.get(i), "multi-lane unwrap over token ECB, length " + (i + 1));
      }
    });
  }

  @Test
  void encryptKwpAllAndDecryptKwpAll_lengths1To64_equalSoftwareKwp() throws Exception {
    byte[] kekValue = randomBytes(32);
    withKek(kekValue, (s, kek) -> {
      List<byte[]> keys = new ArrayList<>();
      for (int copy = 0; copy < 2; copy++) {
        for (int len = 1; len <= 64; len++) {
          keys.add(randomBytes(len));
        }
      }
      List<byte[]> wrapped = TokenRfcWrap.encryptKwpAll(mechanisms, s, kek, keys);
      for (int i = 0; i < keys.size(); i++) {
        assertArrayEquals(jdk("AES/KWP/NoPadding", kekValue, keys.get(i)), wrapped.get(i), "length " + keys.get(i).length);
      }
      List<byte[]> back = TokenRfcWrap.decryptKwpAll(mechanisms, s, kek, wrapped);
      for (int i = 0; i < keys.size(); i++) {
        assertArrayEquals(keys.get(i), back.get(i), "round trip, length " + keys.get(i).length);
      }
    });
  }

  @Test
  void decryptKwpAll_tamperedEntry_failsWithTheFixedMessageNamingTheIndex() throws Exception {
    byte[] kekValue = randomBytes(32);
    List<byte[]> wrapped = new ArrayList<>();
    for (int len : new int[] {32, 7, 20, 32}) {
      wrapped.add(jdk("AES/KWP/NoPadding", kekValue, randomBytes(len)));
    }
    wrapped.get(2)[wrapped.get(2).length - 1] ^= 1;
    withKek(kekValue, (s, kek) -> {
      IntegrityCheckException e = assertThrows(IntegrityCheckException.class,
          () -> TokenRfcWrap.decryptKwpAll(mechanisms, s, kek, wrapped));
      assertEquals("integrity check failed (wrapped key 2)", e.getMessage());
      IntegrityCheckException lanes = assertThrows(IntegrityCheckException.class,
          () -> KeyWrapPaddedLanes.unwrapAll(new TokenAesEcb(s, kek, false), KeyWrapPadded.AIV_CONSTANT, wrapped));
      assertEquals("integrity check failed (wrapped key 2)", lanes.getMessage());
    });
  }

  @Test
  void encryptKw_lengths16To64_equalSoftwareKwAndRoundTrip() throws Exception {
    byte[] kekValue = randomBytes(32);
    withKek(kekValue, (s, kek) -> {
      for (int len = 16; len <= 64; len += 8) {
        byte[] data = randomBytes(len);
        byte[] onToken = TokenRfcWrap.encryptKw(mechanisms, s, kek, data);
        assertArrayEquals(jdk("AES/KW/NoPadding", kekValue, data), onToken, "KW length " + len);
        assertArrayEquals(data, TokenRfcWrap.decryptKw(mechanisms, s, kek, onToken), "KW round trip " + len);
      }
    });
  }

  @ParameterizedTest(name = "length {0}")
  @ValueSource(ints = {7, 20, 32})
  void decryptKwp_tamperedBlob_throwsIntegrity(int len) throws Exception {
    byte[] kekValue = randomBytes(32);
    byte[] blob = jdk("AES/KWP/NoPadding", kekValue, new byte[len]);
    blob[blob.length - 1] ^= 1;
    withKek(kekValue, (s, kek) -> {
      WrapIntegrityException e = assertThrows(WrapIntegrityException.class,
          () -> TokenRfcWrap.decryptKwp(mechanisms, s, kek, blob));
      assertEquals("key wrap integrity check failed", e.getMessage());
    });
  }
}
