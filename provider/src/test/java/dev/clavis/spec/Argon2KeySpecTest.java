package dev.clavis.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Argon2KeySpecTest {

  private static final byte[] SALT = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void charConstructor_encodesPasswordAsUtf8() {
    char[] password = "pässwörd€\uD83D\uDD11".toCharArray();
    Argon2KeySpec spec = new Argon2KeySpec(password, SALT, 3, 65536, 4, 256);
    assertArrayEquals("pässwörd€\uD83D\uDD11".getBytes(StandardCharsets.UTF_8), spec.getPasswordBytes());
  }

  @Test
  void charConstructor_unpairedSurrogate_throwsIllegalArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Argon2KeySpec(new char[] {'a', '\uD83D'}, SALT, 3, 65536, 4, 256));
    assertEquals("the password cannot be encoded as UTF-8: it holds an unpaired surrogate character",
        e.getMessage());
  }

  @Test
  void constructor_copiesArraysIn() {
    byte[] password = {1, 2, 3};
    byte[] salt = SALT.clone();
    Argon2KeySpec spec = new Argon2KeySpec(password, salt, 2, 1024, 1, 128);
    password[0] = 9;
    salt[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, spec.getPasswordBytes());
    assertArrayEquals(SALT, spec.getSalt());
  }

  @Test
  void getters_returnCopies() {
    Argon2KeySpec spec = new Argon2KeySpec(new byte[] {1, 2, 3}, SALT, 2, 1024, 1, 128);
    spec.getPasswordBytes()[0] = 9;
    spec.getSalt()[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, spec.getPasswordBytes());
    assertArrayEquals(SALT, spec.getSalt());
  }

  @Test
  void constructor_keepsNumericParameters() {
    Argon2KeySpec spec = new Argon2KeySpec(new byte[0], SALT, 2, 1024, 3, 128);
    assertEquals(2, spec.getIterations());
    assertEquals(1024, spec.getMemoryKiB());
    assertEquals(3, spec.getParallelism());
    assertEquals(128, spec.getKeyLengthBits());
    assertArrayEquals(new byte[0], spec.getSecret());
    assertArrayEquals(new byte[0], spec.getAssociatedData());
  }

  @Test
  void constructor_nullPasswordOrSalt_throwsNullPointer() {
    assertThrows(NullPointerException.class, () -> new Argon2KeySpec((byte[]) null, SALT, 1, 8, 1, 32));
    assertThrows(NullPointerException.class, () -> new Argon2KeySpec((char[]) null, SALT, 1, 8, 1, 32));
    assertThrows(NullPointerException.class, () -> new Argon2KeySpec(new byte[0], null, 1, 8, 1, 32));
  }

  @Test
  void builder_defaultsAreRfc9106SecondRecommendation() {
    Argon2KeySpec spec = Argon2KeySpec.builder("pw".toCharArray(), SALT).build();
    assertEquals(3, spec.getIterations());
    assertEquals(65536, spec.getMemoryKiB());
    assertEquals(4, spec.getParallelism());
    assertEquals(256, spec.getKeyLengthBits());
  }

  @Test
  void builder_setsSecretAndAssociatedDataAsCopies() {
    byte[] secret = {7, 7};
    byte[] ad = {8, 8, 8};
    Argon2KeySpec spec = Argon2KeySpec.builder(new byte[] {1}, SALT)
        .iterations(1).memoryKiB(64).parallelism(2).keyLengthBits(64)
        .secret(secret).associatedData(ad).build();
    secret[0] = 0;
    ad[0] = 0;
    assertArrayEquals(new byte[] {7, 7}, spec.getSecret());
    assertArrayEquals(new byte[] {8, 8, 8}, spec.getAssociatedData());
    assertEquals(1, spec.getIterations());
    assertEquals(64, spec.getMemoryKiB());
    assertEquals(2, spec.getParallelism());
    assertEquals(64, spec.getKeyLengthBits());
  }

  @Test
  void builder_buildTwice_throwsIllegalState() {
    Argon2KeySpec.Builder builder = Argon2KeySpec.builder(new byte[] {1}, SALT);
    builder.build();
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertEquals("this Argon2KeySpec.Builder has already built its spec", e.getMessage());
  }

  @Test
  void clearPassword_wipesPasswordAndSecret() {
    Argon2KeySpec spec = Argon2KeySpec.builder(new byte[] {1}, SALT).secret(new byte[] {2}).build();
    assertFalse(spec.isPasswordCleared());
    spec.clearPassword();
    assertTrue(spec.isPasswordCleared());
    IllegalStateException e = assertThrows(IllegalStateException.class, spec::getPasswordBytes);
    assertEquals("the password of this Argon2KeySpec has been cleared", e.getMessage());
    assertThrows(IllegalStateException.class, spec::getSecret);
  }

  @Test
  void toString_showsParametersButNoSecrets() {
    Argon2KeySpec spec = Argon2KeySpec.builder("hunter2".toCharArray(), SALT)
        .secret("pepper".getBytes(StandardCharsets.US_ASCII)).build();
    String s = spec.toString();
    assertEquals("Argon2KeySpec[t=3, m=65536 KiB, p=4, keyLength=256 bits, salt=16 bytes, with secret]", s);
    assertFalse(s.contains("hunter2"));
    assertFalse(s.contains("pepper"));
  }
}
