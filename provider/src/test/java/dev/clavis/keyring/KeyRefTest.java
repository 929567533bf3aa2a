package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRefTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "payments", "A1.b_c:d/e-f", "9", "x#1", "x#42"})
  void parse_validNames_matchTheDocumentedPattern(String text) {
    KeyRef r = KeyRef.parse(text);
    assertTrue(KeyRef.NAME.matcher(r.name()).matches());
    assertEquals(text, r.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", ".a", "a b", "a!", "ä", "x#0", "x#-1", "x#y", "#1"})
  void parse_invalid_throwsIllegalArgument(String text) {
    assertThrows(IllegalArgumentException.class, () -> KeyRef.parse(text));
  }

  @org.junit.jupiter.api.Test
  void parse_128CharsOk_129Refused() {
    assertEquals(128, KeyRef.parse("a".repeat(128)).name().length());
    assertThrows(IllegalArgumentException.class, () -> KeyRef.parse("a".repeat(129)));
  }
}
