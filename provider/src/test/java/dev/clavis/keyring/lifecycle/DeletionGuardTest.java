package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deletion protection, the store's minimum deletion window and immediate destruction of a version that encrypts. */
class DeletionGuardTest {

  MutableClock clock;
  KeyringEngine ring;

  @BeforeEach
  void open() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ring = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF), clock, Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private KeyState state(String n, int v) {
    return ring.find(n).orElseThrow().version(v).orElseThrow().state();
  }

  @Test
  void deletionProtection_refusesScheduleAndDestroyNow_evenForced() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().deletionProtection(true).build());
    for (Runnable r : new Runnable[] {
        () -> ring.scheduleDestruction(KeyRef.of("k"), null),
        () -> ring.scheduleDestruction(KeyRef.of("k", 1), Duration.ofDays(30), true),
        () -> ring.destroyNow(KeyRef.of("k"), true)}) {
      IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
      assertTrue(e.getMessage().contains("deletion protection on") && e.getMessage().contains("--deletion-protection off"),
          e.getMessage());
    }
    assertEquals(KeyState.ACTIVE, state("k", 1));
    assertTrue(ring.backend().material(KeyRef.of("k", 1)).isPresent());
  }

  @Test
  void deletionProtectionTurnedOff_thenDestructionIsScheduled() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().deletionProtection(true).build());
    ring.updatePolicy("k", KeyPolicy.defaults(), false);
    ring.scheduleDestruction(KeyRef.of("k"), null);
    assertEquals(KeyState.PENDING_DESTRUCTION, state("k", 1));
  }

  @Test
  void windowBelowTheStoreMinimum_isRefusedUnlessForced_andTheForceIsAudited() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.scheduleDestruction(KeyRef.of("k"), Duration.ofSeconds(1)));
    assertTrue(e.getMessage().contains("after 1s") && e.getMessage().contains("minimum deletion window of 7d"),
        e.getMessage());
    assertEquals(KeyState.ACTIVE, state("k", 1));
    ring.scheduleDestruction(KeyRef.of("k"), Duration.ofSeconds(1), true);
    assertEquals(KeyState.PENDING_DESTRUCTION, state("k", 1));
    assertTrue(ring.auditLog().events().stream().anyMatch(a -> a.action().equals("force")
        && "schedule-destroy".equals(a.details().get("operation"))));
  }

  @Test
  void storeMinimum_isKeptInTheStore_loweringNeedsForce_andIsAudited() {
    assertEquals(Duration.ofDays(7), ring.minimumDeletionWindow());
    assertThrows(IllegalStateException.class, () -> ring.setMinimumDeletionWindow(Duration.ofDays(1), false));
    assertEquals(Duration.ofDays(7), ring.minimumDeletionWindow());
    ring.setMinimumDeletionWindow(Duration.ofDays(30), false); // raising needs no force
    ring.setMinimumDeletionWindow(Duration.ofDays(1), true);
    assertEquals(Duration.ofDays(1), ring.minimumDeletionWindow());
    assertTrue(ring.auditLog().events().stream().anyMatch(a -> a.action().equals("store-policy")
        && "PT720H".equals(a.details().get("old.minimumDeletionWindow"))));
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.scheduleDestruction(KeyRef.of("k"), Duration.ofDays(1));
    assertEquals(KeyState.PENDING_DESTRUCTION, state("k", 1));
  }

  @Test
  void createWithAWindowBelowTheMinimum_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().deletionWindow(Duration.ofHours(1)).build()));
    assertTrue(e.getMessage().contains("minimum deletion window"), e.getMessage());
    assertTrue(ring.find("k").isEmpty());
  }

  @Test
  void destroyNowOfAVersionThatMayEncrypt_needsForce() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ring.destroyNow(KeyRef.of("k", 1)));
    assertTrue(e.getMessage().contains("ACTIVE") && e.getMessage().contains("may still encrypt"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> ring.destroyNow(KeyRef.of("k")));
    assertEquals(KeyState.ACTIVE, state("k", 1));
    ring.destroyNow(KeyRef.of("k", 1), true);
    assertEquals(KeyState.DESTROYED, state("k", 1));
  }

  @Test
  void destroyNowOfADeprecatedVersion_needsNoForce() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.rotate("k", null);
    ring.destroyNow(KeyRef.of("k", 1));
    assertEquals(KeyState.DESTROYED, state("k", 1));
    assertEquals(KeyState.ACTIVE, state("k", 2));
  }

  @Test
  void text_writesDurationsAsOperatorsDo() {
    assertEquals("7d", DeletionGuard.text(Duration.ofDays(7)));
    assertEquals("12h", DeletionGuard.text(Duration.ofHours(12)));
    assertEquals("1s", DeletionGuard.text(Duration.ofSeconds(1)));
    assertEquals("0s", DeletionGuard.text(Duration.ZERO));
  }
}
