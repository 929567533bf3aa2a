package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The KWP of a file-store KEK, single and bulk (engine/kw's lanes over SunJCE's AES). */
class FileMaterialTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Test
  void wrapKwpAllAndWrapKwp_lengths1To70_equalSunJceKwpAndRoundTrip() throws Exception {
    byte[] kek = random(32);
    FileMaterial m = new FileMaterial(KeyRef.of("kek", 1), KeyAlgorithm.AES_256, false, kek);
    List<byte[]> keys = new ArrayList<>();
    for (int len = 1; len <= 70; len++) {
      keys.add(random(len));
      keys.add(random(len));
    }
    List<byte[]> bulk = m.wrapKwpAll(keys);
    Cipher sun = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
    for (int i = 0; i < keys.size(); i++) {
      sun.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      byte[] expected = sun.doFinal(keys.get(i));
      assertArrayEquals(expected, bulk.get(i), "bulk, length " + keys.get(i).length);
      assertArrayEquals(expected, m.wrapKwp(keys.get(i)), "single, length " + keys.get(i).length);
      assertArrayEquals(keys.get(i), m.unwrapKwp(expected), "single unwrap, length " + keys.get(i).length);
    }
    List<byte[]> back = m.unwrapKwpAll(bulk);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(keys.get(i), back.get(i), "bulk unwrap, length " + keys.get(i).length);
    }
  }

  @Test
  void unwrapKwpAll_tamperedEntry_throwsNamingIt_andReleasesNothing() throws Exception {
    FileMaterial m = new FileMaterial(KeyRef.of("kek", 1), KeyAlgorithm.AES_128, false, new byte[16]);
    List<byte[]> w = new ArrayList<>(m.wrapKwpAll(List.of(new byte[32], new byte[32], new byte[5])));
    w.get(1)[3] ^= 1;
    AEADBadTagException e = assertThrows(AEADBadTagException.class, () -> m.unwrapKwpAll(w));
    assertEquals("wrapped key 1 failed its integrity check (RFC 5649 §3)", e.getMessage());
    byte[] wrongKek = new byte[16];
    wrongKek[0] = 1;
    FileMaterial other = new FileMaterial(KeyRef.of("kek", 2), KeyAlgorithm.AES_128, false, wrongKek);
    assertThrows(AEADBadTagException.class, () -> other.unwrapKwp(w.get(2)));
    AEADBadTagException length = assertThrows(AEADBadTagException.class, () -> m.unwrapKwpAll(List.of(w.get(0), new byte[12])));
    assertTrue(length.getMessage().contains("wrapped key 1 has an invalid length"), length.getMessage());
  }

  @Test
  void wrapKwp_hmacKey_isRefused() {
    FileMaterial m = new FileMaterial(KeyRef.of("mac", 1), KeyAlgorithm.HMAC_SHA256, false, new byte[32]);
    assertThrows(java.security.InvalidKeyException.class, () -> m.wrapKwp(new byte[16]));
  }
}
