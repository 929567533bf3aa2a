package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.file.FileKeyBackend;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rewrap --allow-compromised}: data moves off a COMPROMISED version in one audited step (issue 14 item 5). */
class CompromisedRescueTest {

  static final byte[] PT = "data under a leaked key".getBytes(StandardCharsets.UTF_8);
  KeyringEngine ring;
  byte[] underV1;

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)), Clock.systemUTC(),
        Duration.ZERO);
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    underV1 = ring.encrypt("k", PT, "aad".getBytes(StandardCharsets.UTF_8));
    ring.rotate("k", "incident");
    ring.markCompromised(KeyRef.of("k", 1), "leaked in a log");
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private long events(String action, String key) {
    return ring.auditLog().events().stream().filter(e -> e.action().equals(action) && e.key().equals(key)).count();
  }

  @Test
  void rewrap_ofCompromisedVersion_withoutTheOverride_isRefusedNamingTheOption() {
    KeyUsageException e = assertThrows(KeyUsageException.class,
        () -> ring.rewrap(underV1, "aad".getBytes(StandardCharsets.UTF_8)));
    assertEquals(KeyState.COMPROMISED, e.state());
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("COMPROMISED")
        && e.getMessage().contains("rewrap --allow-compromised"), e.getMessage());
    assertEquals(0, events("rewrap-compromised", "k#1"));
  }

  @Test
  void rewrap_allowCompromised_movesTheDataToThePrimary_inOneAuditedStep() {
    byte[] aad = "aad".getBytes(StandardCharsets.UTF_8);
    byte[] moved = ring.rewrap(underV1, aad, true);
    assertEquals(KeyRef.of("k", 2), Envelope.parse(moved, Envelope.ENVELOPE, "envelope").ref());
    // the rescued copy opens without any override: it no longer depends on the compromised version
    assertArrayEquals(PT, ring.decrypt(moved, aad));
    assertEquals(1, events("rewrap-compromised", "k#1"));
    assertEquals(0, events("decrypt-compromised", "k#1"));
  }

  @Test
  void rewrap_allowCompromised_wrongAssociatedData_failsIntegrity_andReturnsNothing() {
    assertThrows(KeyringException.class, () -> ring.rewrap(underV1, "other".getBytes(StandardCharsets.UTF_8), true));
  }

  @Test
  void rewrap_allowCompromised_doesNotOpenARevokedVersion() {
    ring.create("r", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt("r", PT, null);
    ring.rotate("r", null);
    ring.revoke(KeyRef.of("r", 1), "test");
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.rewrap(env, null, true));
    assertEquals(KeyState.REVOKED, e.state());
  }

  @Test
  void rewrap_allowCompromised_ofADeprecatedVersion_isAPlainRewrap_notAudited() {
    ring.create("d", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt("d", PT, null);
    ring.rotate("d", null);
    byte[] moved = ring.rewrap(env, null, true);
    assertArrayEquals(PT, ring.decrypt(moved, null));
    assertEquals(0, events("rewrap-compromised", "d#1"));
  }

  @Test
  void decrypt_ofCompromisedVersion_errorNamesTheOverrides() {
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.decrypt(underV1, "aad".getBytes()));
    assertTrue(e.getMessage().contains("--allow-compromised"), e.getMessage());
  }
}
