package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rotateDue() and nextRotation: a schedule rotates due keys instead of the next encryption. */
class DueRotationTest {

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

  @Test
  void nextRotation_isActivationPlusPeriod_orTheEarlierExpiry() {
    ring.create("p", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(30)).build());
    ring.create("e", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(30))
        .versionLifetime(Duration.ofDays(10)).build());
    ring.create("n", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertEquals(Instant.parse("2026-01-31T00:00:00Z"), ring.find("p").orElseThrow().nextRotation().orElseThrow());
    assertEquals(Instant.parse("2026-01-11T00:00:00Z"), ring.find("e").orElseThrow().nextRotation().orElseThrow());
    assertTrue(ring.find("n").orElseThrow().nextRotation().isEmpty());
  }

  @Test
  void rotateDue_rotatesExactlyTheDueKeys_andReturnsTheirNewPrimaries() {
    ring.create("due", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(1)).autoRotate(false).build());
    ring.create("later", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(10)).build());
    ring.create("never", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.create("doomed", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(1)).build());
    ring.scheduleDestruction(KeyRef.of("doomed"), null);
    assertTrue(ring.rotateDue().isEmpty(), "nothing is due yet");
    clock.advance(Duration.ofDays(2));
    List<KeyVersionInfo> rotated = ring.rotateDue();
    assertEquals(List.of("due#2"), rotated.stream().map(v -> v.ref().toString()).toList());
    assertEquals(2, ring.find("due").orElseThrow().primary().orElseThrow().version());
    assertEquals(1, ring.find("later").orElseThrow().versions().size());
    assertTrue(ring.auditLog().events().stream().anyMatch(e -> e.action().equals("rotate-due") && e.key().equals("due#2")));
    assertTrue(ring.rotateDue().isEmpty(), "the new primary is not due");
  }

  @Test
  void rotateDue_leavesATwoPhaseRotationAlone() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(1)).build());
    ring.beginRotation("k");
    clock.advance(Duration.ofDays(2));
    assertTrue(ring.rotateDue().isEmpty());
  }
}
