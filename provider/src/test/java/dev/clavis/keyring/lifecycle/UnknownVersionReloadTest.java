package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.KeyBackend;
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

  @Test
  void envelopesNamingVersionsThatExistNowhere_doNotMakeEveryDecryptionAReadOfTheBackend() throws Exception {
    Path store = dir.resolve("s.clavis");
    try (Keyring writer = Keyrings.openFile(store, TestStores.PASSWORD.toCharArray(), TestStores.FAST_KDF)) {
      writer.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    KeyBackend file = FileKeyBackend.open(store, TestStores.PASSWORD.toCharArray(), TestStores.FAST_KDF);
    KeyBackend counting = (KeyBackend) java.lang.reflect.Proxy.newProxyInstance(KeyBackend.class.getClassLoader(),
        new Class<?>[] {KeyBackend.class}, (proxy, m, args) -> {
          if (m.getName().equals("read") && m.getParameterCount() == 0) {
            reads.incrementAndGet();
          }
          try {
            return m.invoke(file, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (KeyringEngine reader = new KeyringEngine(counting, Clock.systemUTC(), Duration.ofHours(1))) {
      int before = reads.get();
      long t0 = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        int v = 1000 + i;
        assertThrows(UnknownKeyException.class, () -> reader.unprotect(KeyRef.parse("orders#" + v), false));
        assertThrows(UnknownKeyException.class, () -> reader.unprotect(KeyRef.parse("nowhere" + v + "#1"), false));
      }
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      int forced = reads.get() - before;
      // at most one forced read per FORCED_RELOAD_NANOS of the loop, never one per envelope
      long allowed = 2 + elapsedMs * 1_000_000 / KeyringEngine.FORCED_RELOAD_NANOS;
      assertTrue(forced <= allowed, forced + " reads for 2000 bogus decryptions in " + elapsedMs + " ms");
      assertTrue(forced >= 1, "the first one still reloads");
    }
  }
}
