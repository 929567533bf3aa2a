package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import java.security.InvalidKeyException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-operation check: what it counts, what it only checks. */
class PerOperationUseTest {

  KeyringEngine ring;

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)), Clock.systemUTC(),
        Duration.ZERO);
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(2).autoRotate(false).build());
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private long usage() {
    return ring.find("k").orElseThrow().version(1).orElseThrow().usageCount();
  }

  @Test
  void begin_countsOne_firstNextRechecksIt_laterNextsCountEach() throws Exception {
    PerOperationUse u = new PerOperationUse(ring.handle(KeyRef.of("k")), PerOperationUse.Purpose.PROTECT);
    KeyringEngine.Use first = u.begin();
    assertEquals(KeyRef.of("k", 1), first.version());
    assertEquals(1, usage());
    KeyringEngine.Use again = u.next(first);
    assertEquals(1, usage(), "the first operation runs on the use init counted");
    u.next(again);
    assertEquals(2, usage());
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> u.next(again));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("usage limit of 2"), e.getMessage());
  }

  @Test
  void recheck_countsNothing_writesNothing_andStillRefusesARevokedVersion() throws Exception {
    PerOperationUse u = new PerOperationUse(ring.handle(KeyRef.of("k")), PerOperationUse.Purpose.PROTECT);
    KeyringEngine.Use first = u.begin();
    int events = ring.auditLog().events().size();
    for (int i = 0; i < 100; i++) {
      u.recheck(first);
    }
    assertEquals(1, usage());
    assertEquals(events, ring.auditLog().events().size(), "a re-check reserves nothing");
    ring.revoke(KeyRef.of("k", 1), "test");
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> u.recheck(first));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("REVOKED"), e.getMessage());
  }

  @Test
  void unprotect_keepsTheVersionInitChose_acrossARotation() throws Exception {
    ring.create("w", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    PerOperationUse u = new PerOperationUse(ring.handle(KeyRef.of("w")), PerOperationUse.Purpose.UNPROTECT);
    KeyringEngine.Use first = u.begin();
    ring.rotate("w", null);
    KeyringEngine.Use n = u.next(u.next(first));
    assertEquals(KeyRef.of("w", 1), n.version());
  }
}
