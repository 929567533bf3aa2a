package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Bip39Test {

  @Test
  void toIndices_allZeroEntropy_isAbandonAbout() {
    int[] idx = Bip39.toIndices(new byte[16]);
    assertEquals(12, idx.length);
    assertEquals("abandon", Bip39.word(idx[0]));
    assertEquals("about", Bip39.word(idx[11]));
  }

  @Test
  void toEntropy_inverseOfToIndices_forEveryLength() {
    Random r = new Random(4);
    for (int len = 16; len <= 32; len += 4) {
      byte[] e = new byte[len];
      r.nextBytes(e);
      assertArrayEquals(e, Bip39.toEntropy(Bip39.toIndices(e)), len + " bytes");
    }
  }

  @Test
  void toEntropy_wrongChecksum_throws() {
    int[] idx = Bip39.toIndices(new byte[16]);
    idx[11] ^= 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bip39.toEntropy(idx));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void toIndices_badLength_throws() {
    assertThrows(IllegalArgumentException.class, () -> Bip39.toIndices(new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> Bip39.toIndices(new byte[18]));
    assertThrows(IllegalArgumentException.class, () -> Bip39.toIndices(new byte[36]));
  }

  @Test
  void parse_unknownWord_namesPositionNotWord() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bip39.parse("abandon abandon zzzsecret abandon"));
    assertTrue(e.getMessage().contains("word 3"), e.getMessage());
    assertTrue(!e.getMessage().contains("zzzsecret"), "the message must not echo the word");
  }

  @Test
  void seed_trezorVectorOne_matches() {
    // trezor/python-mnemonic vectors.json, english[0]
    byte[] seed = Bip39.seed(
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about".toCharArray(),
        "TREZOR");
    assertArrayEquals(HexFormat.of().parseHex(
        "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"),
        seed);
  }
}
