package dev.clavis.conformance.kw;

import static dev.clavis.conformance.kw.KwProviders.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.testkit.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 3394 §4 (6 vectors) and RFC 5649 §6 (2 vectors), both directions, every provider. */
class RfcVectorsTest {

  static Stream<Arguments> vectors() {
    List<Arguments> all = new ArrayList<>();
    for (String file : new String[] {"rfc3394.json", "rfc5649.json"}) {
      boolean padded = file.startsWith("rfc5649");
      List<Object> cases = Json.array(Json.object(Json.parse(KwProviders.resource(file))).get("cases"));
      for (Object o : cases) {
        Map<String, Object> c = Json.object(o);
        String id = file + " §" + c.get("section") + " " + c.get("title");
        for (KwProviders p : KwProviders.values()) {
          for (KwOps op : KwOps.values()) {
            all.add(Arguments.of(id, p, op, padded, c.get("kek"), c.get("key_data"), c.get("ciphertext")));
          }
        }
      }
    }
    assertEquals(8 * KwProviders.values().length * KwOps.values().length, all.size(), "RFC vector count");
    return all.stream();
  }

  @ParameterizedTest(name = "{0} [{1}, {2}]")
  @MethodSource("vectors")
  void rfcVector_wrapsToCiphertextAndUnwrapsBack(
      String id, KwProviders p, KwOps op, boolean padded, String kek, String keyData, String ciphertext)
      throws Exception {
    assertEquals(ciphertext, KwProviders.HEX.formatHex(op.wrap(p, padded, hex(kek), hex(keyData))), id);
    assertArrayEquals(hex(keyData), op.unwrap(p, padded, hex(kek), hex(ciphertext)), id);
  }
}
