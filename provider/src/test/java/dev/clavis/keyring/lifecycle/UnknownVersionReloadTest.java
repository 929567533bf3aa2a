package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decryption that meets a version this process has not seen yet (committed by another process
 * since its last freshness check) reloads at once instead of refusing an unknown version: what a
 * fleet sharing one database keyring needs between polls.
 */
class UnknownVersionReloadTest {

  @TempDir
  Path dir;

  @Test
  void aDecryptionUnderAnUnseenVersionReloadsAtOnce() {
    Path store = dir.resolve("s.clavis");
    byte[] aad = "x".getBytes(StandardCharsets.UTF_8);
    try (Keyring writer = Keyrings.openFile(store, TestStores.PASSWORD.toCharArray(), TestStores.FAST_KDF)) {
      writer.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      // a reader that would not look for a newer state for an hour on its own
      try (Keyring reader = new KeyringEngine(FileKeyBackend.open(store, TestStores.PASSWORD.toCharArray(),
          TestStores.FAST_KDF), Clock.systemUTC(), Duration.ofHours(1))) {
        reader.find("orders").orElseThrow();
        writer.rotate("orders", "elsewhere");
        byte[] env = writer.encrypt("orders", new byte[] {7}, aad);
        assertArrayEquals(new byte[] {7}, reader.decrypt(env, aad));
      }
    }
  }
}
