package dev.clavis.conformance.argon2;

import static dev.clavis.conformance.argon2.Argon2Vectors.HEX;
import static dev.clavis.conformance.argon2.Argon2Vectors.bouncyCastle;
import static dev.clavis.conformance.argon2.Argon2Vectors.clavis;
import static dev.clavis.conformance.argon2.Argon2Vectors.hex;
import static dev.clavis.conformance.argon2.Argon2Vectors.integer;
import static dev.clavis.conformance.argon2.Argon2Vectors.string;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.testkit.Json;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9106 §5 test vectors (resource {@code vectors/argon2/argon2-rfc9106.json}) through
 * {@code SecretKeyFactory} with secret and associated data. H0 and the words after each pass are
 * checked by the engine's unit test ({@code Argon2Test}), which can see the memory.
 */
class Argon2Rfc9106Test {

  static Stream<Arguments> cases() {
    Map<String, Object> root = Json.object(Json.resource("/vectors/argon2/argon2-rfc9106.json"));
    return Argon2Vectors.list(root, "cases").stream().map(c -> Arguments.of(string(c, "name"), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generateSecret_rfc9106Vector_matchesTag(String name, Map<String, Object> c) throws Exception {
    byte[] tag = clavis(Argon2Vectors.algorithm(string(c, "type")), hex(c, "password"), hex(c, "salt"),
        hex(c, "secret"), hex(c, "ad"), integer(c, "t"), integer(c, "m_kib"), integer(c, "p"),
        integer(c, "tag_len"));
    assertEquals(string(c, "tag"), HEX.formatHex(tag), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bouncyCastle_rfc9106Vector_agreesWithTheFile(String name, Map<String, Object> c) {
    // Guards the vector file itself: an independent implementation reads it the same way.
    byte[] tag = bouncyCastle(Argon2Vectors.type(string(c, "type")), Argon2Vectors.version(c),
        hex(c, "password"), hex(c, "salt"), hex(c, "secret"), hex(c, "ad"), integer(c, "t"),
        integer(c, "m_kib"), integer(c, "p"), integer(c, "tag_len"));
    assertEquals(string(c, "tag"), HEX.formatHex(tag), name);
  }
}
