package dev.clavis.engine.hkdf;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The HKDF engine: RFC 5869 A.1 step by step, its HMAC against SunJCE's, and the bounds of §2.3. */
class HkdfTest {

  static final HexFormat HEX = HexFormat.of();

  @Test
  void rfc5869A1_prkAndOkm() {
    byte[] ikm = HEX.parseHex("0b".repeat(22));
    byte[] prk = Hkdf.extract(Hkdf.Hash.SHA256, HEX.parseHex("000102030405060708090a0b0c"), ikm);
    assertEquals("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", HEX.formatHex(prk));
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        HEX.formatHex(Hkdf.expand(Hkdf.Hash.SHA256, prk, HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)));
  }

  @Test
  void rfc5869A3_emptySaltMeansHashLenZeros() {
    byte[] ikm = HEX.parseHex("0b".repeat(22));
    assertArrayEquals(Hkdf.extract(Hkdf.Hash.SHA256, new byte[32], ikm), Hkdf.extract(Hkdf.Hash.SHA256, null, ikm));
    assertEquals("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
        HEX.formatHex(Hkdf.extract(Hkdf.Hash.SHA256, new byte[0], ikm)));
  }

  @Test
  void extract_isSunJceHmac_forKeysShorterAndLongerThanTheBlock() throws Exception {
    for (Hkdf.Hash h : Hkdf.Hash.values()) {
      for (int saltLen : new int[] {1, 64, 65, 128, 129, 300}) {
        byte[] salt = new byte[saltLen];
        new java.util.Random(saltLen).nextBytes(salt);
        Mac m = Mac.getInstance(h == Hkdf.Hash.SHA256 ? "HmacSHA256" : "HmacSHA512", "SunJCE");
        m.init(new SecretKeySpec(salt, "HMAC"));
        assertArrayEquals(m.doFinal("ikm".getBytes()), Hkdf.extract(h, salt, "ikm".getBytes()), h + " salt " + saltLen);
      }
    }
  }

  @Test
  void expand_lengthOutOfRange_orShortPrk_isRefused() {
    byte[] prk = new byte[64];
    assertThrows(IllegalArgumentException.class, () -> Hkdf.expand(Hkdf.Hash.SHA512, prk, null, 0));
    assertThrows(IllegalArgumentException.class, () -> Hkdf.expand(Hkdf.Hash.SHA512, prk, null, 255 * 64 + 1));
    assertEquals(255 * 64, Hkdf.expand(Hkdf.Hash.SHA512, prk, null, 255 * 64).length);
    assertThrows(IllegalArgumentException.class, () -> Hkdf.expand(Hkdf.Hash.SHA256, new byte[31], null, 10));
  }
}
