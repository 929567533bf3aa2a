package dev.clavis.conformance.hkdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HkdfKeySpec;
import dev.clavis.testkit.Json;
import java.nio.file.Path;
import java.security.Key;
import java.security.Provider;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 5869 Appendix A (resource {@code vectors/hkdf/rfc5869.json}, the SHA-256 cases) through
 * {@code SecretKeyFactory} {@code HKDF-SHA256}: with the IKM as a raw key and as a managed secret in
 * a file store (its material never exported); Bouncy Castle reads the same file; HKDF-SHA512, which
 * the RFC gives no vectors for, is compared with Bouncy Castle on random inputs.
 */
class HkdfRfc5869Test {

  static final HexFormat HEX = HexFormat.of();
  static final Provider CLAVIS = new ClavisProvider();

  @TempDir Path dir;

  static Stream<Arguments> cases() {
    Map<String, Object> root = Json.object(Json.resource("/vectors/hkdf/rfc5869.json"));
    return Json.array(root.get("cases")).stream().map(Json::object).map(c -> Arguments.of(c.get("name"), c));
  }

  private static byte[] hex(Map<String, Object> c, String k) {
    return HEX.parseHex((String) c.get(k));
  }

  private static int length(Map<String, Object> c) {
    return ((Number) c.get("length")).intValue();
  }

  private static byte[] clavis(String alg, Key ikm, byte[] salt, byte[] info, int len) throws Exception {
    return SecretKeyFactory.getInstance(alg, CLAVIS)
        .generateSecret(HkdfKeySpec.builder(ikm, len).salt(salt).info(info).keyAlgorithm("HmacSHA256").build())
        .getEncoded();
  }

  private static byte[] bouncy(boolean sha256, byte[] ikm, byte[] salt, byte[] info, int len) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(sha256 ? new SHA256Digest() : new SHA512Digest());
    g.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[len];
    g.generateBytes(out, 0, len);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rawIkm_givesTheVectorsOkm(String name, Map<String, Object> c) throws Exception {
    byte[] okm = clavis("HKDF-SHA256", new SecretKeySpec(hex(c, "ikm"), "RAW"), hex(c, "salt"), hex(c, "info"), length(c));
    assertEquals(c.get("okm"), HEX.formatHex(okm), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void managedIkmInAFileStore_givesTheVectorsOkm_withoutExport(String name, Map<String, Object> c) throws Exception {
    try (Keyring ring = TestStores.open(dir.resolve("hkdf.store"))) {
      ring.importKey("ikm", KeyAlgorithm.SECRET, hex(c, "ikm"), KeyPolicy.defaults());
      ManagedKey master = ring.handle(KeyRef.of("ikm"));
      byte[] okm = clavis("HKDF-SHA256", master, hex(c, "salt"), hex(c, "info"), length(c));
      assertEquals(c.get("okm"), HEX.formatHex(okm), name);
      assertNull(master.getEncoded(), name + ": the master stays unexported");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void bouncyCastle_agreesWithTheFile(String name, Map<String, Object> c) {
    byte[] okm = bouncy(true, hex(c, "ikm"), hex(c, "salt"), hex(c, "info"), length(c));
    assertEquals(c.get("okm"), HEX.formatHex(okm), name);
  }

  @Test
  void hkdfSha512_equalsBouncyCastle_onRandomInputs() throws Exception {
    Random r = new Random(512);
    for (int trial = 0; trial < 50; trial++) {
      byte[] ikm = new byte[1 + r.nextInt(100)];
      byte[] salt = new byte[r.nextInt(200)];
      byte[] info = new byte[r.nextInt(100)];
      r.nextBytes(ikm);
      r.nextBytes(salt);
      r.nextBytes(info);
      int len = 1 + r.nextInt(64 * 255);
      assertArrayEquals(bouncy(false, ikm, salt, info, len),
          clavis("HKDF-SHA512", new SecretKeySpec(ikm, "RAW"), salt, info, len), "trial " + trial);
    }
  }

  @Test
  void vectorFile_holdsTheThreeSha256Cases() {
    List<Object> cases = Json.array(Json.object(Json.resource("/vectors/hkdf/rfc5869.json")).get("cases"));
    assertEquals(3, cases.size());
  }
}
