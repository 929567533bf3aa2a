package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Bip32PathTest {

  @Test
  void parse_allHardenedSpellings_giveTheSameIndices() {
    int[] expected = {44 | 0x80000000, 0x80000000, 0x80000000, 0, 7};
    assertArrayEquals(expected, Bip32Path.parse("m/44'/0'/0'/0/7"));
    assertArrayEquals(expected, Bip32Path.parse("m/44h/0h/0h/0/7"));
    assertArrayEquals(expected, Bip32Path.parse("m/44H/0H/0H/0/7"));
    assertArrayEquals(expected, Bip32Path.parse("m/2147483692/2147483648/2147483648/0/7"));
  }

  @Test
  void parse_m_isEmpty() {
    assertEquals(0, Bip32Path.parse("m").length);
  }

  @Test
  void parse_largestIndices_accepted() {
    assertArrayEquals(new int[] {0xFFFFFFFF, 0x7FFFFFFF | 0x80000000, 0x7FFFFFFF},
        Bip32Path.parse("m/4294967295/2147483647'/2147483647"));
  }

  @Test
  void step_formatsHardenedWithApostrophe() {
    assertEquals("44'", Bip32Path.step(44 | Bip32Path.HARDENED));
    assertEquals("7", Bip32Path.step(7));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "m//1|step 1 is empty",
    "m/1/|step 2 is empty",
    "m/1''|more than one hardened marker",
    "m/1h'|more than one hardened marker",
    "m/2147483648'|below 2^31",
    "m/4294967296|below 2^32",
    "m/99999999999|below 2^32",
    "m/-1|negative",
    "m/1x|not a non-negative decimal index",
    "m/ 1|not a non-negative decimal index",
    "m/'|has no index",
    "44'/0'|must start with \"m\"",
    "M/1|must start with \"m\"",
    "m1|must continue with \"/\"",
  })
  void parse_malformed_throwsNamingTheDefect(String path, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bip32Path.parse(path));
    assertTrue(e.getMessage().contains(expected), path + " -> " + e.getMessage());
  }

  @Test
  void parse_empty_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bip32Path.parse(""));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void parse_deeperThan255_throws() {
    String deep = "m" + "/0".repeat(256);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bip32Path.parse(deep));
    assertTrue(e.getMessage().contains("at most 255"), e.getMessage());
    assertEquals(255, Bip32Path.parse("m" + "/0".repeat(255)).length);
  }
}
