package dev.clavis.conformance.argon2;

import static dev.clavis.conformance.argon2.Argon2Vectors.HEX;
import static dev.clavis.conformance.argon2.Argon2Vectors.clavis;
import static dev.clavis.conformance.argon2.Argon2Vectors.hex;
import static dev.clavis.conformance.argon2.Argon2Vectors.integer;
import static dev.clavis.conformance.argon2.Argon2Vectors.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.testkit.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The phc-winner-argon2 vectors (resource {@code vectors/argon2/argon2-phc.json}): every
 * {@code hashtest} of {@code src/test.c} for versions 0x13 (through {@code SecretKeyFactory}) and
 * 0x10 (through the engine, which keeps 0x10 for these vectors only), the {@code kats/} tags, and
 * the {@code param_errors}. The two 1 GiB cases run when the test JVM's heap can hold them (the
 * default heap is a quarter of RAM, so on machines with at least ~6 GiB) and are skipped with a
 * printed reason otherwise. The {@code verify_errors} concern PHC-string parsing, which Clavis does
 * not offer.
 */
class Argon2PhcVectorsTest {

  private static final Map<String, Object> ROOT = Json.object(Json.resource("/vectors/argon2/argon2-phc.json"));

  /** 1 GiB of Argon2 memory plus headroom for everything else in the test JVM. */
  private static final long LARGE_RAM_HEAP = 1280L * 1024 * 1024;

  static Stream<Arguments> hashtests() {
    return Stream.concat(
            Argon2Vectors.list(ROOT, "hashtest_v13").stream(),
            Argon2Vectors.list(ROOT, "hashtest_v10").stream())
        .map(c -> Arguments.of(id(c), c));
  }

  static Stream<Arguments> kats() {
    return Argon2Vectors.list(ROOT, "kats").stream().map(c -> Arguments.of(string(c, "file"), c));
  }

  static Stream<Arguments> paramErrors() {
    return Argon2Vectors.list(ROOT, "param_errors").stream()
        .map(c -> Arguments.of(string(c, "expected_error") + " (" + string(c, "note") + ")", c));
  }

  private static String id(Map<String, Object> c) {
    return string(c, "type") + " v" + string(c, "version") + " t=" + c.get("t") + " m=" + c.get("m_kib")
        + " p=" + c.get("p") + " pw=" + string(c, "password") + " salt=" + string(c, "salt");
  }

  @ParameterizedTest(name = "hashtest {0}")
  @MethodSource("hashtests")
  void hash_phcHashtest_matchesTag(String id, Map<String, Object> c) throws Exception {
    if (Boolean.TRUE.equals(c.get("large_ram"))) {
      long heap = Runtime.getRuntime().maxMemory();
      if (heap < LARGE_RAM_HEAP) {
        System.err.println("SKIP " + id + ": needs a heap of 1.25 GiB, this JVM has "
            + heap / (1024 * 1024) + " MiB");
      }
      assumeTrue(heap >= LARGE_RAM_HEAP, "the 1 GiB case needs a larger heap");
    }
    byte[] password = string(c, "password").getBytes(StandardCharsets.US_ASCII);
    byte[] salt = string(c, "salt").getBytes(StandardCharsets.US_ASCII);
    int t = integer(c, "t");
    int m = integer(c, "m_kib");
    int p = integer(c, "p");
    int tagLength = integer(c, "tag_len");
    int version = Argon2Vectors.version(c);
    byte[] tag = version == Argon2.VERSION_13
        ? clavis(Argon2Vectors.algorithm(string(c, "type")), password, salt, null, null, t, m, p, tagLength)
        : Argon2.hash(Argon2Vectors.type(string(c, "type")), version, password, salt, null, null,
            t, m, p, tagLength);
    assertEquals(string(c, "expected"), HEX.formatHex(tag), id);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kats")
  void hash_phcKat_matchesTag(String file, Map<String, Object> c) throws Exception {
    int version = Argon2Vectors.version(c);
    byte[] tag = version == Argon2.VERSION_13
        ? clavis(Argon2Vectors.algorithm(string(c, "type")), hex(c, "password"), hex(c, "salt"),
            hex(c, "secret"), hex(c, "ad"), integer(c, "t"), integer(c, "m_kib"), integer(c, "p"),
            integer(c, "tag_len"))
        : Argon2.hash(Argon2Vectors.type(string(c, "type")), version, hex(c, "password"),
            hex(c, "salt"), hex(c, "secret"), hex(c, "ad"), integer(c, "t"), integer(c, "m_kib"),
            integer(c, "p"), integer(c, "tag_len"));
    assertEquals(string(c, "tag"), HEX.formatHex(tag), file);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paramErrors")
  void generateSecret_phcParamError_throwsInvalidKeySpec(String id, Map<String, Object> c)
      throws Exception {
    String expected;
    switch (string(c, "expected_error")) {
      case "ARGON2_MEMORY_TOO_LITTLE":
        expected = "Argon2 memory is too small: ";
        break;
      case "ARGON2_SALT_TOO_SHORT":
        expected = "Argon2 salt is too short: ";
        break;
      default:
        throw new AssertionError(id + ": no mapping for this reference error");
    }
    String message = Argon2Vectors.rejection(Argon2Vectors.algorithm(string(c, "type")),
        string(c, "password").getBytes(StandardCharsets.US_ASCII),
        string(c, "salt").getBytes(StandardCharsets.US_ASCII), integer(c, "t"), integer(c, "m_kib"),
        integer(c, "p"), integer(c, "tag_len"));
    assertTrue(message.startsWith(expected), id + ": got \"" + message + "\"");
  }
}
