package dev.clavis.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MnemonicTest {

  private static final String LEGAL =
      "legal winner thank year wave sausage worth useful legal winner thank yellow";

  @Test
  void fromEntropy_trezorVector_givesPhraseSeedAndRootXprv() {
    Mnemonic m = Mnemonic.fromEntropy(HexFormat.of().parseHex("7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f"));
    assertEquals(LEGAL, m.phrase());
    byte[] seed = m.toSeed("TREZOR");
    assertEquals("2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607",
        HexFormat.of().formatHex(seed));
    assertEquals("xprv9s21ZrQH143K2gA81bYFHqU68xz1cX2APaSq5tt6MFSLeXnCKV1RVUJt9FWNTbrrryem4ZckN8k4Ls1H6nwdvDTvnV7zEXs2HgPezuVccsq",
        ExtendedPrivateKey.fromSeed(seed).toBase58());
  }

  @Test
  void parse_extraWhitespaceAndNfkd_accepted() {
    Mnemonic m = Mnemonic.parse("  legal  winner\tthank year wave sausage worth useful legal winner thank yellow \n");
    assertEquals(LEGAL, m.phrase());
    assertEquals(12, m.wordCount());
  }

  @Test
  void parse_badChecksum_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Mnemonic.parse(LEGAL.replace("yellow", "year")));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertFalse(Mnemonic.isValid(LEGAL.replace("yellow", "year")));
    assertTrue(Mnemonic.isValid(LEGAL));
  }

  @Test
  void parse_wrongWordCount_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Mnemonic.parse("legal winner thank"));
    assertTrue(e.getMessage().contains("12, 15, 18, 21 or 24"), e.getMessage());
  }

  @Test
  void generate_everyLength_roundTripsThroughPhrase() {
    SecureRandom r = new SecureRandom();
    for (int words = 12; words <= 24; words += 3) {
      Mnemonic m = Mnemonic.generate(words, r);
      assertEquals(words, m.wordCount());
      assertArrayEquals(m.entropy(), Mnemonic.parse(m.phrase()).entropy());
    }
    assertThrows(IllegalArgumentException.class, () -> Mnemonic.generate(13, r));
  }

  @Test
  void destroyAndToString_hideAndWipeTheWords() {
    Mnemonic m = Mnemonic.parse(LEGAL);
    assertEquals("Mnemonic[12 words]", m.toString());
    m.destroy();
    assertTrue(m.isDestroyed());
    assertThrows(IllegalStateException.class, m::phrase);
    assertThrows(IllegalStateException.class, () -> m.toSeed(""));
  }
}
