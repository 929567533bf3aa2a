package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void write_escapesPerRfc8259_andKeepsOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a\"b\\c\n\u0001");
    m.put("n", 3);
    m.put("ok", true);
    m.put("none", null);
    m.put("list", List.of(1, "x"));
    assertEquals("{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":3,\"ok\":true,\"none\":null,\"list\":[1,\"x\"]}", Json.write(m));
    assertEquals("[]", Json.write(Arrays.asList()));
  }
}
