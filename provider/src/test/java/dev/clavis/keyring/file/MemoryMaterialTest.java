package dev.clavis.keyring.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.KeyMaterial;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The in-memory material other backends (PostgreSQL) keep: the file store's, wiped on request. */
class MemoryMaterialTest {

  @Test
  void materialComputesLikeTheJdkAndIsWipedOnRequest() throws Exception {
    byte[] raw = MemoryMaterial.fresh(KeyAlgorithm.AES_256);
    assertEquals(32, raw.length);
    KeyMaterial m = MemoryMaterial.of(KeyRef.of("k", 1), KeyAlgorithm.AES_256, true, raw);
    byte[] iv = new byte[12];
    KeyMaterial.AeadOperation op = m.startGcm(true, iv, 128);
    byte[] out = new byte[op.outputSize(3)];
    int n = op.doFinal(new byte[] {1, 2, 3}, 0, 3, out, 0);
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, iv));
    assertArrayEquals(jdk.doFinal(new byte[] {1, 2, 3}), Arrays.copyOf(out, n));
    assertArrayEquals(raw, m.exportRaw());
    MemoryMaterial.wipe(m);
    assertArrayEquals(new byte[32], m.exportRaw(), "wiped");
  }

  @Test
  void refusesWhatTheFileStoreRefuses() {
    assertThrows(IllegalArgumentException.class, () -> MemoryMaterial.fresh(KeyAlgorithm.SECRET));
    assertThrows(IllegalArgumentException.class, () -> MemoryMaterial.fresh(KeyAlgorithm.EC_P256));
    assertThrows(IllegalArgumentException.class,
        () -> MemoryMaterial.of(KeyRef.of("k"), KeyAlgorithm.AES_256, false, new byte[32]));
    assertThrows(IllegalArgumentException.class,
        () -> MemoryMaterial.of(KeyRef.of("k", 1), KeyAlgorithm.AES_256, false, new byte[31]));
    assertThrows(UnsupportedOperationException.class,
        () -> MemoryMaterial.of(KeyRef.of("k", 1), KeyAlgorithm.AES_256, false, new byte[32]).exportRaw());
  }
}
