package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringsTest {

  static final KdfParameters FAST = KdfParameters.argon2id(1, 64, 1).allowingWeak();

  @TempDir Path dir;

  @Test
  void openFile_createsStore_andReopensWithKeysAndData() {
    Path f = dir.resolve("k.clavis");
    byte[] env;
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray(), FAST)) {
      k.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("payments", "hello".getBytes(StandardCharsets.UTF_8), null);
    }
    assertTrue(Files.exists(f));
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray())) {
      assertEquals(1, k.list().size());
      assertEquals("hello", new String(k.decrypt(env, null), StandardCharsets.UTF_8));
      assertEquals(1, k.find("payments").orElseThrow().latest().usageCount());
    }
  }

  @Test
  void openFile_wrongPassword_throwsWrongPassword_andLeavesFileUntouched() throws Exception {
    Path f = dir.resolve("k.clavis");
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray(), FAST)) {
      k.create("a", KeyAlgorithm.AES_128, KeyPolicy.defaults());
    }
    byte[] before = Files.readAllBytes(f);
    assertThrows(WrongPasswordException.class, () -> Keyrings.openFile(f, "nope".toCharArray()));
    assertArrayEquals(before, Files.readAllBytes(f));
  }
}
