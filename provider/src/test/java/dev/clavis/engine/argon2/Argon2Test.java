package dev.clavis.engine.argon2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Argon2Test {

  private static final HexFormat HEX = HexFormat.of();

  // RFC 9106 §5 inputs, shared by the three vectors.
  private static final byte[] P = filled(32, 0x01);
  private static final byte[] S = filled(16, 0x02);
  private static final byte[] K = filled(8, 0x03);
  private static final byte[] X = filled(12, 0x04);

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @AfterEach
  void clearLimit() {
    System.clearProperty(Argon2.MAX_MEMORY_PROPERTY);
  }

  /** RFC 9106 §5.1-5.3: tag, H0, and the words printed after each pass. */
  static Stream<Arguments> rfc9106() {
    return Stream.of(
        Arguments.of(Argon2Type.ARGON2D,
            "512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
            "b8819791a0359660bb7709c85fa48f04d5d82c05c5f215ccdb885491717cf757"
                + "082c28b951be381410b5fc2eb7274033b9fdc7ae672bcaac5d179097a4af3109",
            List.of(
                "db2fea6b2c6f5c8a 719413be00f82634 a1e3f6dd42aa25cc 3ea8efd4d55ac0d1 "
                    + "28d17914aea9734c 6a4622176522e398 951aa08aeecb2c05 6a6c49d2cb75d5b6",
                "d3801200410f8c0d 0bf9e8a6e442ba6d e2ca92fe9c541fcc 6269fe6db177a388 "
                    + "9eacfcfbdb3ce0fc 07dedaeb0aee71ac 074435fad91548f4 2dbfff23f31b5883",
                "5f047b575c5ff4d2 f06985dbf11c91a8 89efb2759f9a8964 7486a73f62f9b142 "
                    + "57cfb9d20479da49 4099654bc6607f69 f142a1126075a5c8 c341b3ca45c10da5")),
        Arguments.of(Argon2Type.ARGON2I,
            "c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
            "c46065815276a0b3e731731c902f1fd80cf776907fbb7b6a5ca72e7b56011fee"
                + "ca446c86dd75b9469a5e6879dec4b72d0863fb939b982e5f397cc7d164fddaa9",
            List.of(
                "f8f9e84545db08f6 9b073a5c87aa2d97 d1e868d75ca8d8e4 349634174e1aebcc "
                    + "975f596583745e30 e349bdd7edeb3092 b751a689b7a83659 c570f2ab2a86cf00",
                "b2e4ddfcf76dc85a 4ffd0626c89a2327 4af1440fff212980 1e77299c7408505b "
                    + "e4274fd675d1e1d6 903fffb7c4a14c98 7e5db55def471966 421b3c6e9555b79d",
                "af2a8bd8482c2f11 785442294fa55e6d 9256a768529a7f96 25a1c1f5bb953766 "
                    + "68cf72fccc7112b9 91e8c6f8bb0ad70d 4f59c8bd65cbb765 71e436f035f30ed0")),
        Arguments.of(Argon2Type.ARGON2ID,
            "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
            "2889de487eb42ae500c0007ed9252f1069eadec40d5765b485de6dc2437a67b8"
                + "546a2f0acc1a0882db8fcf74714b472e94df421a5da1112ffa11434370a1e997",
            List.of(
                "6b2e09f10671bd43 f69f5c27918a21be dea7810ea41290e1 6787f7171870f893 "
                    + "377fa81666dc7f2b 50e586398a9c39c8 6f732732a550924a 81f88b28683ea8e5",
                "3653ec9d01583df9 69ef53a72d1e1fd3 35635631744ab54f 599512e96a37ab6e "
                    + "4d4b435cea35caa6 c582210d99ad1359 d087971b36fd6d77 a55222a93754c692",
                "942363968ce597a4 a22448c0bdad5760 a5f80662b6fa8748 a0f9b9ce392f719f "
                    + "d723359b485f509b cb78824f42375111 35bc8cc6e83b1875 0b012846a40f346a")));
  }

  @ParameterizedTest(name = "RFC 9106 {0}")
  @MethodSource("rfc9106")
  void hash_rfc9106Vector_matchesTagPrehashAndPassWords(
      Argon2Type type, String tag, String h0, List<String> passWords) {
    assertEquals(h0, HEX.formatHex(
        Argon2.prehash(type, Argon2.VERSION_13, P, S, K, X, 3, 32, 4, 32)), type + " H0");

    String[] seen = new String[3];
    byte[] actual = Argon2.hash(type, Argon2.VERSION_13, P, S, K, X, 3, 32, 4, 32,
        (pass, memory, laneLength) -> {
          StringBuilder words = new StringBuilder();
          for (int w = 0; w < 4; w++) {
            words.append(String.format("%016x ", memory[w]));
          }
          for (int w = 124; w < 128; w++) {
            words.append(String.format("%016x ", memory[31 * Argon2Block.WORDS + w]));
          }
          seen[pass] = words.toString().trim();
        });
    assertEquals(tag, HEX.formatHex(actual), type + " tag");
    assertEquals(passWords, List.of(seen), type + " words after each pass");
  }

  @Test
  void hash_rfc9106Argon2id_publicApiMatchesTag() {
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
        HEX.formatHex(Argon2.hash(Argon2Type.ARGON2ID, P, S, K, X, 3, 32, 4, 32)));
  }

  @Test
  void hash_version10_matchesReferenceImplementationVector() {
    // phc-winner-argon2 src/test.c: hashtest(0x10, 2, 8, 2, "password", "somesalt", ...), argon2i.
    byte[] tag = Argon2.hash(Argon2Type.ARGON2I, Argon2.VERSION_10, ascii("password"),
        ascii("somesalt"), null, null, 2, 256, 2, 32);
    assertEquals("b6c11560a6a9d61eac706b79a2f97d68b4463aa3ad87e00c07e2b01e90c564fb", HEX.formatHex(tag));
  }

  @Test
  void hash_unknownVersion_throwsIllegalArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Argon2.hash(Argon2Type.ARGON2ID, 0x12, P, S, null, null, 1, 8, 1, 32));
    assertEquals("Argon2 version must be 0x13 (or 0x10 for old vectors), got 0x12", e.getMessage());
  }

  @ParameterizedTest(name = "tag length {0}")
  @ValueSource(ints = {4, 31, 32, 33, 63, 64, 65, 96, 97, 100, 128, 1000, 1024})
  void hash_tagLengthsAroundHPrimeBoundaries_matchBouncyCastle(int tagLength) {
    for (Argon2Type type : Argon2Type.values()) {
      byte[] expected = bouncyCastle(type, P, S, K, X, 2, 64, 2, tagLength);
      assertArrayEquals(expected, Argon2.hash(type, P, S, K, X, 2, 64, 2, tagLength),
          type + " tag length " + tagLength);
    }
  }

  @Test
  void hash_randomParameters_matchBouncyCastle() {
    SplittableRandom random = new SplittableRandom(2026);
    for (int n = 0; n < 40; n++) {
      Argon2Type type = Argon2Type.values()[random.nextInt(3)];
      int p = random.nextInt(1, 6);
      int m = random.nextInt(8 * p, 600);
      int t = random.nextInt(1, 4);
      int tagLength = random.nextInt(4, 80);
      byte[] password = bytes(random, random.nextInt(0, 40));
      byte[] salt = bytes(random, random.nextInt(8, 40));
      byte[] secret = random.nextBoolean() ? bytes(random, random.nextInt(1, 40)) : null;
      byte[] ad = random.nextBoolean() ? bytes(random, random.nextInt(1, 40)) : null;
      String id = type + " t=" + t + " m=" + m + " p=" + p + " T=" + tagLength;
      assertArrayEquals(bouncyCastle(type, password, salt, secret, ad, t, m, p, tagLength),
          Argon2.hash(type, password, salt, secret, ad, t, m, p, tagLength), id);
    }
  }

  @Test
  void hash_doesNotModifyInputs() {
    byte[] password = P.clone();
    byte[] salt = S.clone();
    byte[] secret = K.clone();
    byte[] ad = X.clone();
    Argon2.hash(Argon2Type.ARGON2ID, password, salt, secret, ad, 1, 32, 4, 32);
    assertArrayEquals(P, password);
    assertArrayEquals(S, salt);
    assertArrayEquals(K, secret);
    assertArrayEquals(X, ad);
  }

  @Test
  void hash_nullAndEmptySecretAndAd_giveTheSameTag() {
    assertArrayEquals(
        Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 1, 16, 1, 16),
        Argon2.hash(Argon2Type.ARGON2ID, P, S, new byte[0], new byte[0], 1, 16, 1, 16));
  }

  @Test
  void hash_manyConcurrentCalls_allCorrect() throws Exception {
    byte[] expected = Argon2.hash(Argon2Type.ARGON2ID, P, S, K, X, 2, 256, 4, 32);
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.ConcurrentLinkedQueue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (int i = 0; i < 8; i++) {
      Thread thread = new Thread(() -> {
        for (int j = 0; j < 5; j++) {
          if (!Arrays.equals(expected, Argon2.hash(Argon2Type.ARGON2ID, P, S, K, X, 2, 256, 4, 32))) {
            failures.add("mismatch");
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(List.of(), List.copyOf(failures));
  }

  @Test
  void validate_saltOf7Bytes_throwsIllegalArgument() {
    assertMessage("Argon2 salt is too short: 7 bytes, at least 8 are required (16 random bytes recommended)",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, new byte[7], null, null, 1, 8, 1, 32));
  }

  @Test
  void validate_parallelismZero_throwsIllegalArgument() {
    assertMessage("Argon2 parallelism (lanes) must be between 1 and 16777215, got 0",
        () -> Argon2.validate(8, 1, 8, 0, 32));
  }

  @Test
  void validate_parallelismAbove2To24Minus1_throwsIllegalArgument() {
    assertMessage("Argon2 parallelism (lanes) must be between 1 and 16777215, got 16777216",
        () -> Argon2.validate(8, 1, 8, 1 << 24, 32));
  }

  @Test
  void validate_memoryBelow8PerLane_throwsIllegalArgument() {
    assertMessage("Argon2 memory is too small: 31 KiB, at least 8 KiB per lane (32 KiB for 4 lanes) are required",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 1, 31, 4, 32));
  }

  @Test
  void validate_memoryAboveDefaultLimit_throwsIllegalArgument() {
    assertMessage("Argon2 memory of 4194305 KiB exceeds the limit of 4194304 KiB; raise it with the system "
            + "property dev.clavis.argon2.maxMemoryKiB if this is intended (at most 16777215)",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 1, 4194305, 1, 32));
  }

  @Test
  void validate_memoryAboveLimitFromSystemProperty_throwsIllegalArgument() {
    System.setProperty(Argon2.MAX_MEMORY_PROPERTY, "1024");
    assertEquals(1024, Argon2.maxMemoryKiB());
    assertMessage("Argon2 memory of 1025 KiB exceeds the limit of 1024 KiB; raise it with the system "
            + "property dev.clavis.argon2.maxMemoryKiB if this is intended (at most 16777215)",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 1, 1025, 1, 32));
  }

  @Test
  void maxMemoryKiB_malformedProperty_throwsIllegalArgument() {
    System.setProperty(Argon2.MAX_MEMORY_PROPERTY, "lots");
    assertMessage("system property dev.clavis.argon2.maxMemoryKiB must be a positive number of KiB, got 'lots'",
        Argon2::maxMemoryKiB);
  }

  @Test
  void maxMemoryKiB_propertyAboveArrayCapacity_isCapped() {
    System.setProperty(Argon2.MAX_MEMORY_PROPERTY, "99999999999");
    assertEquals(Argon2.HARD_MAX_MEMORY_KIB, Argon2.maxMemoryKiB());
  }

  @Test
  void validate_iterationsZero_throwsIllegalArgument() {
    assertMessage("Argon2 iterations (passes) must be at least 1, got 0",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 0, 8, 1, 32));
  }

  @Test
  void validate_tagOf3Bytes_throwsIllegalArgument() {
    assertMessage("Argon2 output is too short: 3 bytes, at least 4 are required",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 1, 8, 1, 3));
  }

  @Test
  void validate_tagAbove1MiB_throwsIllegalArgument() {
    assertMessage("Argon2 output is too long: 1048577 bytes, at most 1048576 (1 MiB) are supported",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 1, 8, 1, (1 << 20) + 1));
    assertMessage("Argon2 output is too long: 2147483647 bytes, at most 1048576 (1 MiB) are supported",
        () -> Argon2.hash(Argon2Type.ARGON2ID, P, S, null, null, 1, 8, 1, Integer.MAX_VALUE));
  }

  @Test
  void hash_nullPassword_throwsNullPointer() {
    assertThrows(NullPointerException.class,
        () -> Argon2.hash(Argon2Type.ARGON2ID, null, S, null, null, 1, 8, 1, 32));
  }

  private static void assertMessage(String message, org.junit.jupiter.api.function.Executable call) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static byte[] bouncyCastle(Argon2Type type, byte[] password, byte[] salt, byte[] secret, byte[] ad,
      int t, int m, int p, int tagLength) {
    int bcType = switch (type) {
      case ARGON2D -> Argon2Parameters.ARGON2_d;
      case ARGON2I -> Argon2Parameters.ARGON2_i;
      case ARGON2ID -> Argon2Parameters.ARGON2_id;
    };
    Argon2Parameters.Builder builder = new Argon2Parameters.Builder(bcType)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withIterations(t).withMemoryAsKB(m).withParallelism(p).withSalt(salt);
    if (secret != null) {
      builder.withSecret(secret);
    }
    if (ad != null) {
      builder.withAdditional(ad);
    }
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(builder.build());
    byte[] out = new byte[tagLength];
    generator.generateBytes(password, out);
    return out;
  }
}
