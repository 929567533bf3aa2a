package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Argon2SecretKeyTest {

  private static final byte[] TAG = HexFormat.of().parseHex("0d640df58d78766c08c037a34a8b53c9");

  @Test
  void getEncoded_returnsACopyOfTheTag() {
    byte[] tag = TAG.clone();
    Argon2SecretKey key = new Argon2SecretKey("Argon2id", tag);
    tag[0] = 0;
    byte[] encoded = key.getEncoded();
    assertArrayEquals(TAG, encoded);
    encoded[1] = 0;
    assertArrayEquals(TAG, key.getEncoded());
    assertEquals("RAW", key.getFormat());
    assertEquals("Argon2id", key.getAlgorithm());
  }

  @Test
  void destroy_wipesAndRefusesEncoding() {
    Argon2SecretKey key = new Argon2SecretKey("Argon2id", TAG);
    assertFalse(key.isDestroyed());
    key.destroy();
    key.destroy();
    assertTrue(key.isDestroyed());
    IllegalStateException e = assertThrows(IllegalStateException.class, key::getEncoded);
    assertEquals("this Argon2id key has been destroyed", e.getMessage());
    assertEquals("Argon2id secret key, 128 bits (destroyed)", key.toString());
  }

  @Test
  void toString_showsAlgorithmAndLengthOnly() {
    Argon2SecretKey key = new Argon2SecretKey("Argon2i", TAG);
    assertEquals("Argon2i secret key, 128 bits", key.toString());
    assertFalse(key.toString().toLowerCase().contains("0d640df5"));
  }

  @Test
  void equals_comparesAlgorithmAndBytes() {
    Argon2SecretKey a = new Argon2SecretKey("Argon2id", TAG);
    Argon2SecretKey b = new Argon2SecretKey("Argon2id", TAG);
    Argon2SecretKey otherAlgorithm = new Argon2SecretKey("Argon2d", TAG);
    byte[] flipped = TAG.clone();
    flipped[15] ^= 1;
    Argon2SecretKey otherBytes = new Argon2SecretKey("Argon2id", flipped);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, otherAlgorithm);
    assertNotEquals(a, otherBytes);
  }

  @Test
  void equals_destroyedKey_equalsOnlyItself() {
    Argon2SecretKey a = new Argon2SecretKey("Argon2id", TAG);
    Argon2SecretKey b = new Argon2SecretKey("Argon2id", TAG);
    a.destroy();
    assertNotEquals(a, b);
    assertEquals(a, a);
  }

  @Test
  void serialization_isRefused() throws Exception {
    ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream());
    NotSerializableException e = assertThrows(NotSerializableException.class,
        () -> out.writeObject(new Argon2SecretKey("Argon2id", TAG)));
    assertEquals("Argon2id keys are not serializable", e.getMessage());
  }
}
