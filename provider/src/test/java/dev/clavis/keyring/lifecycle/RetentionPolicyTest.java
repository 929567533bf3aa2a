package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** keep-versions and the decrypt window, following rotations (automatic ones too) without a scheduled job. */
class RetentionPolicyTest {

  static final byte[] PT = {4, 5, 6};
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
  void keepVersions_schedulesVersionsBeyondTheNewestN_withTheDeletionWindow() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().keepVersions(2).build());
    ring.rotate("k", null);
    assertEquals(KeyState.DEPRECATED, state("k", 1), "two versions: both kept");
    ring.rotate("k", null);
    assertEquals(KeyState.PENDING_DESTRUCTION, state("k", 1));
    assertEquals(Instant.parse("2026-01-08T00:00:00Z"),
        ring.find("k").orElseThrow().version(1).orElseThrow().destroyAt().orElseThrow());
    assertEquals(KeyState.DEPRECATED, state("k", 2));
    assertEquals(KeyState.ACTIVE, state("k", 3));
    assertTrue(ring.auditLog().events().stream().anyMatch(e -> e.action().equals("retention")
        && "#1".equals(e.details().get("scheduled"))));
    assertEquals(1, ring.list().size(), "the key itself stays listed");
  }

  @Test
  void keepVersions_neverSchedulesSoonerThanTheStoreMinimum() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults()); // a 7-day window
    ring.setMinimumDeletionWindow(Duration.ofDays(30), false);
    ring.rotate("k", null);
    ring.updatePolicy("k", KeyPolicy.builder().keepVersions(1).build(), false);
    assertEquals(Instant.parse("2026-01-31T00:00:00Z"),
        ring.find("k").orElseThrow().version(1).orElseThrow().destroyAt().orElseThrow());
  }

  @Test
  void keepVersionsSetOnALiveKey_appliesAtOnce() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    for (int i = 0; i < 4; i++) {
      ring.rotate("k", null);
    }
    ring.updatePolicy("k", KeyPolicy.builder().keepVersions(1).build(), false);
    for (int v = 1; v <= 4; v++) {
      assertEquals(KeyState.PENDING_DESTRUCTION, state("k", v), "#" + v);
    }
    assertEquals(KeyState.ACTIVE, state("k", 5), "the primary is always kept");
  }

  @Test
  void keepVersions_followsAutomaticRotation() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(1)).keepVersions(1).build());
    clock.advance(Duration.ofDays(2));
    ring.encrypt("k", PT, null); // rotates automatically
    assertEquals(KeyState.ACTIVE, state("k", 2));
    assertEquals(KeyState.PENDING_DESTRUCTION, state("k", 1));
  }

  @Test
  void decryptWindow_stopsVersionsDeactivatedLongerAgo_followingRotation() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().decryptWindow(Duration.ofDays(90)).build());
    byte[] old = ring.encrypt("k", PT, null);
    ring.rotate("k", null);
    clock.advance(Duration.ofDays(89));
    assertArrayEquals(PT, ring.decrypt(old, null), "inside the window");
    clock.advance(Duration.ofDays(1));
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.decrypt(old, null));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("decrypt window"), e.getMessage());
    assertEquals(KeyState.DEPRECATED, state("k", 1), "no state change: widening the window brings it back");
    ring.updatePolicy("k", KeyPolicy.builder().decryptWindow(Duration.ofDays(365)).build(), false);
    assertArrayEquals(PT, ring.decrypt(old, null));
  }

  @Test
  void decryptWindow_neverStopsThePrimary() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().decryptWindow(Duration.ofDays(1)).build());
    byte[] env = ring.encrypt("k", PT, null);
    clock.advance(Duration.ofDays(400));
    assertArrayEquals(PT, ring.decrypt(env, null));
  }
}
