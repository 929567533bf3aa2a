package dev.clavis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parse_readsEveryKindOfValue() {
    Map<String, Object> m = Json.object(Json.parse(
        " {\"a\": [1, -2.5, 3e2], \"s\": \"x\\u0041\\n\\\"\", \"t\": true, \"f\": false, \"n\": null, \"o\": {}} "));
    assertEquals(List.of(1L, -2.5, 300.0), Json.array(m.get("a")));
    assertEquals("xA\n\"", m.get("s"));
    assertEquals(Boolean.TRUE, m.get("t"));
    assertEquals(Boolean.FALSE, m.get("f"));
    assertNull(m.get("n"));
    assertEquals(Map.of(), m.get("o"));
    assertEquals(List.of("a", "s", "t", "f", "n", "o"), List.copyOf(m.keySet()), "file order");
  }

  @Test
  void parse_malformed_isIllegalArgumentNamingTheOffset() {
    for (String bad : new String[] {"", "[1,", "{\"a\" 1}", "{\"a\":1,\"a\":2}", "[1] x", "\"\\q\"", "\"\\u00", "tru"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
      assertEquals(true, e.getMessage().contains("offset"), e.getMessage());
    }
  }

  @Test
  void resource_missing_saysWhich() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Json.resource("/no/such.json"));
    assertEquals("missing test resource /no/such.json", e.getMessage());
  }
}
