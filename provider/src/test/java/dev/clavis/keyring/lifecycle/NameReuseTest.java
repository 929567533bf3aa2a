package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A destroyed name is reused only by an explicit replace, and never lets old envelopes meet new material. */
class NameReuseTest {

  static final byte[] PT = {9};
  KeyringEngine ring;

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF),
        new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  @Test
  void destroyedName_plainCreateIsRefusedNamingReplace_replaceContinuesTheNumbers() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] old = ring.encrypt("k", PT, null);
    ring.destroyNow(KeyRef.of("k"), true);
    KeyringException e = assertThrows(KeyringException.class,
        () -> ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults()));
    assertTrue(e.getMessage().contains("destroyed") && e.getMessage().contains("create k --replace"), e.getMessage());
    KeyInfo k = ring.replaceDestroyed("k", KeyAlgorithm.AES_128, KeyPolicy.defaults(),
        KeyMetadata.builder().purpose("second life").build());
    assertEquals(2, k.primary().orElseThrow().version());
    assertEquals(KeyState.DESTROYED, k.version(1).orElseThrow().state());
    assertEquals(KeyAlgorithm.AES_128, k.algorithm());
    assertEquals("second life", k.metadata().purpose().orElseThrow());
    assertEquals(1, ring.list().size(), "listed again");
    assertThrows(KeyUsageException.class, () -> ring.decrypt(old, null), "the old envelope meets the tombstone");
    assertArrayEquals(PT, ring.decrypt(ring.encrypt("k", PT, null), null));
  }

  @Test
  void replaceOfALiveKey_isRefused() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    KeyringException e = assertThrows(KeyringException.class,
        () -> ring.replaceDestroyed("k", KeyAlgorithm.AES_256, KeyPolicy.defaults(), KeyMetadata.empty()));
    assertTrue(e.getMessage().contains("was not destroyed"), e.getMessage());
    assertEquals(1, ring.find("k").orElseThrow().versions().size());
  }

  @Test
  void listAll_showsDestroyedAndPendingKeys_listDoesNot() {
    ring.create("live", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.create("gone", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.destroyNow(KeyRef.of("gone"), true);
    ring.create("doomed", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.scheduleDestruction(KeyRef.of("doomed"), null);
    assertEquals(java.util.List.of("live"), ring.list().stream().map(KeyInfo::name).toList());
    assertEquals(java.util.List.of("doomed", "gone", "live"), ring.listAll().stream().map(KeyInfo::name).toList());
  }
}
