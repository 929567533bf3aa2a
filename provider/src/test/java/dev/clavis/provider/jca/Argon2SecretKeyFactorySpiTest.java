package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.Argon2KeySpec;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Argon2SecretKeyFactorySpiTest {

  private static final ClavisProvider CLAVIS = new ClavisProvider();
  private static final byte[] SALT = "somesaltsomesalt".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RFC_P = fill(32, 1);
  private static final byte[] RFC_S = fill(16, 2);
  private static final byte[] RFC_K = fill(8, 3);
  private static final byte[] RFC_X = fill(12, 4);

  private static byte[] fill(int n, int v) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  @AfterEach
  void clearLimit() {
    System.clearProperty(Argon2.MAX_MEMORY_PROPERTY);
  }

  private static SecretKeyFactory factory(String algorithm) throws Exception {
    return SecretKeyFactory.getInstance(algorithm, CLAVIS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Argon2id", "Argon2i", "Argon2d", "ARGON2ID"})
  void getInstance_contractNames_resolveToClavis(String name) throws Exception {
    SecretKeyFactory f = factory(name);
    assertEquals("Clavis", f.getProvider().getName());
  }

  @Test
  void generateSecret_rfc9106Argon2idWithSecretAndAd_encodedIsTheTag() throws Exception {
    Argon2KeySpec spec = Argon2KeySpec.builder(RFC_P, RFC_S)
        .iterations(3).memoryKiB(32).parallelism(4).keyLengthBits(256)
        .secret(RFC_K).associatedData(RFC_X).build();
    SecretKey key = factory("Argon2id").generateSecret(spec);
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
        HexFormat.of().formatHex(key.getEncoded()));
    assertEquals("Argon2id", key.getAlgorithm());
    assertEquals("RAW", key.getFormat());
  }

  @Test
  void generateSecret_rfc9106Argon2dAndArgon2i_encodedIsTheTag() throws Exception {
    Argon2KeySpec d = Argon2KeySpec.builder(RFC_P, RFC_S).iterations(3).memoryKiB(32)
        .parallelism(4).keyLengthBits(256).secret(RFC_K).associatedData(RFC_X).build();
    assertEquals("512b391b6f1162975371d30919734294f868e3be3984f3c1a13a4db9fabe4acb",
        HexFormat.of().formatHex(factory("Argon2d").generateSecret(d).getEncoded()));
    Argon2KeySpec i = Argon2KeySpec.builder(RFC_P, RFC_S).iterations(3).memoryKiB(32)
        .parallelism(4).keyLengthBits(256).secret(RFC_K).associatedData(RFC_X).build();
    assertEquals("c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8",
        HexFormat.of().formatHex(factory("Argon2i").generateSecret(i).getEncoded()));
  }

  @Test
  void generateSecret_charAndUtf8BytePasswords_giveTheSameKey() throws Exception {
    SecretKeyFactory f = factory("Argon2id");
    byte[] fromChars = f.generateSecret(
        new Argon2KeySpec("pässword".toCharArray(), SALT, 1, 64, 2, 128)).getEncoded();
    byte[] fromBytes = f.generateSecret(new Argon2KeySpec(
        "pässword".getBytes(StandardCharsets.UTF_8), SALT, 1, 64, 2, 128)).getEncoded();
    assertArrayEquals(fromBytes, fromChars);
    assertEquals(16, fromChars.length);
  }

  @Test
  void generateSecret_pbeKeySpec_uses64MiBAnd4Lanes() throws Exception {
    char[] password = "password".toCharArray();
    PBEKeySpec pbe = new PBEKeySpec(password, SALT, 1, 192);
    byte[] viaPbe = factory("Argon2id").generateSecret(pbe).getEncoded();
    byte[] direct = Argon2.hash(Argon2Type.ARGON2ID, "password".getBytes(StandardCharsets.UTF_8),
        SALT, null, null, 1, 65536, 4, 24);
    assertArrayEquals(direct, viaPbe);
    assertArrayEquals("password".toCharArray(), pbe.getPassword(), "caller's spec left intact");
  }

  @Test
  void generateSecret_pbeKeySpecWithoutSalt_throwsInvalidKeySpec() {
    assertMessage("the PBEKeySpec has no salt; Argon2 needs one of at least 8 bytes (16 recommended)",
        new PBEKeySpec("pw".toCharArray()));
  }

  @Test
  void generateSecret_pbeKeySpecWithoutKeyLength_throwsInvalidKeySpec() {
    assertMessage("the PBEKeySpec has no key length; give the output length in bits (e.g. 256)",
        new PBEKeySpec("pw".toCharArray(), SALT, 1));
  }

  @Test
  void generateSecret_clearedPbeKeySpec_throwsInvalidKeySpec() {
    PBEKeySpec pbe = new PBEKeySpec("pw".toCharArray(), SALT, 1, 256);
    pbe.clearPassword();
    assertMessage("the password of this PBEKeySpec has been cleared", pbe);
  }

  @Test
  void generateSecret_clearedArgon2KeySpec_throwsInvalidKeySpec() {
    Argon2KeySpec spec = new Argon2KeySpec(new byte[] {1}, SALT, 1, 8, 1, 32);
    spec.clearPassword();
    assertMessage("the password of this Argon2KeySpec has been cleared; create a new spec", spec);
  }

  @Test
  void generateSecret_memoryBelow8KiBPerLane_throwsInvalidKeySpec() {
    assertMessage("Argon2 memory is too small: 15 KiB, at least 8 KiB per lane (16 KiB for 2 lanes) are required",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 15, 2, 256));
  }

  @Test
  void generateSecret_parallelismZero_throwsInvalidKeySpec() {
    assertMessage("Argon2 parallelism (lanes) must be between 1 and 16777215, got 0",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 64, 0, 256));
  }

  @Test
  void generateSecret_parallelism2To24_throwsInvalidKeySpec() {
    assertMessage("Argon2 parallelism (lanes) must be between 1 and 16777215, got 16777216",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 64, 1 << 24, 256));
  }

  @Test
  void generateSecret_saltOf7Bytes_throwsInvalidKeySpec() {
    assertMessage("Argon2 salt is too short: 7 bytes, at least 8 are required (16 random bytes recommended)",
        new Argon2KeySpec(new byte[] {1}, new byte[7], 1, 64, 1, 256));
  }

  @Test
  void generateSecret_outputOf24Bits_throwsInvalidKeySpec() {
    assertMessage("Argon2 output is too short: 3 bytes, at least 4 are required",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 64, 1, 24));
  }

  @Test
  void generateSecret_hostileKeyLength_throwsInvalidKeySpecWithoutAllocating() {
    assertMessage("Argon2 output is too long: 268435455 bytes, at most 1048576 (1 MiB) are supported",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 64, 1, Integer.MAX_VALUE - 7));
    assertMessage("Argon2 output is too short: -1 bytes, at least 4 are required",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 64, 1, -8));
  }

  @Test
  void generateSecret_keyLengthNotMultipleOf8_throwsInvalidKeySpec() {
    assertMessage("Argon2 key length must be a multiple of 8 bits, got 255",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 64, 1, 255));
  }

  @Test
  void generateSecret_iterationsZero_throwsInvalidKeySpec() {
    assertMessage("Argon2 iterations (passes) must be at least 1, got 0",
        new Argon2KeySpec(new byte[] {1}, SALT, 0, 64, 1, 256));
  }

  @Test
  void generateSecret_memoryAbove4GiB_throwsInvalidKeySpecWithoutAllocating() {
    assertMessage("Argon2 memory of 2147483647 KiB exceeds the limit of 4194304 KiB; raise it with the "
            + "system property dev.clavis.argon2.maxMemoryKiB if this is intended (at most 16777215)",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, Integer.MAX_VALUE, 1, 256));
  }

  @Test
  void generateSecret_memoryAboveLimitSetByProperty_throwsInvalidKeySpec() {
    System.setProperty(Argon2.MAX_MEMORY_PROPERTY, "4096");
    assertMessage("Argon2 memory of 8192 KiB exceeds the limit of 4096 KiB; raise it with the "
            + "system property dev.clavis.argon2.maxMemoryKiB if this is intended (at most 16777215)",
        new Argon2KeySpec(new byte[] {1}, SALT, 1, 8192, 1, 256));
  }

  @Test
  void generateSecret_otherKeySpec_throwsInvalidKeySpec() {
    assertMessage("Argon2id takes an Argon2KeySpec or a PBEKeySpec, not javax.crypto.spec.SecretKeySpec",
        new SecretKeySpec(new byte[16], "AES"));
    assertMessage("Argon2id takes an Argon2KeySpec or a PBEKeySpec, not null", null);
  }

  @Test
  void getKeySpec_secretKeySpec_returnsTheRawTag() throws Exception {
    SecretKeyFactory f = factory("Argon2id");
    SecretKey key = f.generateSecret(new Argon2KeySpec(new byte[] {1}, SALT, 1, 8, 1, 256));
    SecretKeySpec spec = (SecretKeySpec) f.getKeySpec(key, SecretKeySpec.class);
    assertArrayEquals(key.getEncoded(), spec.getEncoded());
    assertEquals("Argon2id", spec.getAlgorithm());
  }

  @Test
  void getKeySpec_argon2KeySpec_throwsInvalidKeySpec() throws Exception {
    SecretKeyFactory f = factory("Argon2id");
    SecretKey key = f.generateSecret(new Argon2KeySpec(new byte[] {1}, SALT, 1, 8, 1, 256));
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> f.getKeySpec(key, Argon2KeySpec.class));
    assertEquals("Argon2id is one-way: a derived key cannot be turned back into Argon2KeySpec; "
        + "only SecretKeySpec is supported", e.getMessage());
  }

  @Test
  void getKeySpec_destroyedKey_throwsInvalidKeySpec() throws Exception {
    SecretKeyFactory f = factory("Argon2id");
    SecretKey key = f.generateSecret(new Argon2KeySpec(new byte[] {1}, SALT, 1, 8, 1, 256));
    key.destroy();
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> f.getKeySpec(key, SecretKeySpec.class));
    assertEquals("not a raw Argon2id key: Argon2id/RAW", e.getMessage());
  }

  @Test
  void translateKey_ownKey_returnsItAndRawKeyOfSameAlgorithm_isWrapped() throws Exception {
    SecretKeyFactory f = factory("Argon2id");
    SecretKey key = f.generateSecret(new Argon2KeySpec(new byte[] {1}, SALT, 1, 8, 1, 256));
    assertSame(key, f.translateKey(key));
    SecretKey translated = f.translateKey(new SecretKeySpec(key.getEncoded(), "Argon2id"));
    assertInstanceOf(Argon2SecretKey.class, translated);
    assertEquals(key, translated);
  }

  @Test
  void translateKey_aesKey_throwsInvalidKey() throws Exception {
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> factory("Argon2id").translateKey(new SecretKeySpec(new byte[16], "AES")));
    assertEquals("cannot translate a AES/RAW key into a Argon2id key; only raw Argon2id keys translate",
        e.getMessage());
  }

  private static void assertMessage(String message, KeySpec spec) {
    Executable call = () -> factory("Argon2id").generateSecret(spec);
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class, call);
    assertEquals(message, e.getMessage());
  }

}
