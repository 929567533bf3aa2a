package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit log's parser reads lines of an untrusted file: malformed input is an IllegalArgumentException. */
class JsonTest {

  @Test
  void parseObject_nestedObjectsAndEscapes_roundTrip() {
    Map<String, Object> o = Json.parseObject("{\"a\":{\"b\":\"x\\u0041\\n\"},\"n\":-3}");
    assertEquals(Map.of("b", "xA\n"), o.get("a"));
    assertEquals(-3L, o.get("n"));
  }

  @Test
  void parseObject_cutUnicodeEscape_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Json.parseObject("{\"a\":\"\\u}"));
    assertThrows(IllegalArgumentException.class, () -> Json.parseObject("{\"a\":\"\\u00"));
  }

  @Test
  void parseObject_backslashAtEnd_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Json.parseObject("{\"a\":\"\\"));
  }

  @Test
  void parseObject_hostileNesting_throwsIllegalArgument_notStackOverflow() {
    String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
    assertThrows(IllegalArgumentException.class, () -> Json.parseObject(deep));
  }
}
