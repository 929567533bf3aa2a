package dev.clavis.keyring.lifecycle;

import static dev.clavis.keyring.KeyState.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringEngineTest {

  static final KdfParameters FAST = TestStores.FAST_KDF;
  static final byte[] PT = "attack at dawn".getBytes(StandardCharsets.UTF_8);

  MutableClock clock;
  KeyringEngine ring;

  @BeforeEach
  void open() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ring = new KeyringEngine(FileKeyBackend.inMemory(FAST), clock, Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private KeyState state(String name, int v) {
    return ring.find(name).orElseThrow().version(v).orElseThrow().state();
  }

  @Test
  void create_makesVersion1Active_andEncryptDecryptRoundTrips() {
    KeyInfo k = ring.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertEquals(1, k.primary().orElseThrow().version());
    assertEquals(ACTIVE, k.latest().state());
    byte[] env = ring.encrypt("payments", PT, "ctx".getBytes());
    assertArrayEquals(PT, ring.decrypt(env, "ctx".getBytes()));
    assertThrows(KeyringException.class, () -> ring.decrypt(env, "other".getBytes()));
  }

  @Test
  void create_existingName_throws() {
    ring.create("a", KeyAlgorithm.AES_128, KeyPolicy.defaults());
    assertThrows(KeyringException.class, () -> ring.create("a", KeyAlgorithm.AES_128, KeyPolicy.defaults()));
  }

  @Test
  void decrypt_afterTenRotations_oldDataStillDecrypts_andNewDataUsesNewest() {
    ring.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    List<byte[]> envelopes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      envelopes.add(ring.encrypt("payments", ("msg" + i).getBytes(), null));
      ring.rotate("payments", "test " + i);
    }
    for (int i = 0; i < 10; i++) {
      assertEquals("msg" + i, new String(ring.decrypt(envelopes.get(i), null)));
    }
    KeyInfo k = ring.find("payments").orElseThrow();
    assertEquals(11, k.primary().orElseThrow().version());
    for (int v = 1; v <= 10; v++) {
      assertEquals(DEPRECATED, state("payments", v));
    }
    byte[] fresh = ring.encrypt("payments", PT, null);
    assertArrayEquals(PT, ring.decrypt(fresh, null));
    byte[] re = ring.rewrap(envelopes.get(0), null);
    assertArrayEquals("msg0".getBytes(), ring.decrypt(re, null));
    assertTrue(new String(re, StandardCharsets.ISO_8859_1).contains("payments"));
  }

  @Test
  void envelope_alteredHeaderOrCiphertext_failsIntegrity() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.rotate("k", null);
    byte[] env = ring.encrypt("k", PT, null);
    for (int i : new int[] {env.length - 1, env.length - 20, 14}) {
      byte[] bad = env.clone();
      bad[i] ^= 1;
      assertThrows(KeyringException.class, () -> ring.decrypt(bad, null), "byte " + i);
    }
    byte[] v1 = env.clone();
    v1[9] = 1; // the version field names #1: its key does not verify the tag
    assertThrows(KeyringException.class, () -> ring.decrypt(v1, null));
  }

  @Test
  void autoRotation_byAge_rotatesBeforeEncryptAndAuditsIt() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().rotationPeriod(Duration.ofDays(30)).build());
    byte[] old = ring.encrypt("k", PT, null);
    clock.advance(Duration.ofDays(29));
    ring.encrypt("k", PT, null);
    assertEquals(1, ring.find("k").orElseThrow().primary().orElseThrow().version());
    clock.advance(Duration.ofDays(2));
    byte[] env = ring.encrypt("k", PT, null);
    assertEquals(2, ring.find("k").orElseThrow().primary().orElseThrow().version());
    assertEquals(DEPRECATED, state("k", 1));
    assertArrayEquals(PT, ring.decrypt(old, null));
    assertArrayEquals(PT, ring.decrypt(env, null));
    assertTrue(ring.auditLog().events().stream().anyMatch(e -> e.action().equals("auto-rotate")
        && e.key().equals("k#2") && e.details().get("reason").contains("rotation period")));
  }

  @Test
  void autoRotation_byUsage_rotatesWhenLimitReached() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(3).build());
    for (int i = 0; i < 3; i++) {
      ring.encrypt("k", PT, null);
    }
    assertEquals(1, ring.find("k").orElseThrow().primary().orElseThrow().version());
    assertEquals(3, ring.find("k").orElseThrow().version(1).orElseThrow().usageCount());
    ring.encrypt("k", PT, null);
    KeyInfo k = ring.find("k").orElseThrow();
    assertEquals(2, k.primary().orElseThrow().version());
    assertEquals(1, k.version(2).orElseThrow().usageCount());
    assertTrue(ring.auditLog().events().stream().anyMatch(e -> e.action().equals("auto-rotate")
        && e.details().get("reason").contains("usage limit of 3")));
  }

  @Test
  void usageLimit_withoutAutoRotate_refusesNamingKeyVersionState() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(2).autoRotate(false).build());
    ring.encrypt("k", PT, null);
    ring.encrypt("k", PT, null);
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.encrypt("k", PT, null));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("ACTIVE")
        && e.getMessage().contains("usage limit"), e.getMessage());
  }

  @Test
  void expiry_refusesEncryption_butStillDecrypts() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().versionLifetime(Duration.ofHours(1)).autoRotate(false)
        .build());
    byte[] env = ring.encrypt("k", PT, null);
    clock.advance(Duration.ofHours(2));
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.encrypt("k", PT, null));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
    assertArrayEquals(PT, ring.decrypt(env, null));
  }

  @Test
  void gcmInvocationLimit_isTwoToThe32() {
    assertEquals(4294967296L, KeyringEngine.GCM_INVOCATION_LIMIT);
  }

  @Test
  void twoPhaseRotation_stagedDecryptsOldPrimaryEncrypts_thenComplete() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    KeyVersionInfo staged = ring.beginRotation("k");
    assertEquals(2, staged.version());
    assertEquals(PRE_ACTIVE, state("k", 2));
    assertEquals(ROTATING, state("k", 1));
    byte[] env = ring.encrypt("k", PT, null);
    assertEquals(1, env[9]); // still under #1
    assertThrows(IllegalStateException.class, () -> ring.rotate("k", null));
    assertThrows(IllegalStateException.class, () -> ring.beginRotation("k"));
    ring.completeRotation("k");
    assertEquals(ACTIVE, state("k", 2));
    assertEquals(DEPRECATED, state("k", 1));
    assertArrayEquals(PT, ring.decrypt(env, null));
    assertEquals(2, ring.encrypt("k", PT, null)[9]);
    assertThrows(IllegalStateException.class, () -> ring.completeRotation("k"));
  }

  @Test
  void twoPhaseRotation_abort_destroysStagedAndRestoresPrimary() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.beginRotation("k");
    ring.abortRotation("k");
    assertEquals(DESTROYED, state("k", 2));
    assertEquals(ACTIVE, state("k", 1));
    assertTrue(ring.backend().material(KeyRef.of("k", 2)).isEmpty());
    assertThrows(IllegalStateException.class, () -> ring.abortRotation("k"));
  }

  @Test
  void suspend_thenResume_returnsToRememberedState() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt("k", PT, null);
    ring.rotate("k", null);
    ring.suspend(KeyRef.of("k"), "incident 7");
    assertEquals(SUSPENDED, state("k", 1));
    assertEquals(SUSPENDED, state("k", 2));
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.decrypt(env, null));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("SUSPENDED"), e.getMessage());
    assertThrows(KeyUsageException.class, () -> ring.encrypt("k", PT, null));
    assertThrows(IllegalStateException.class, () -> ring.suspend(KeyRef.of("k", 1), null));
    ring.resume(KeyRef.of("k"));
    assertEquals(DEPRECATED, state("k", 1));
    assertEquals(ACTIVE, state("k", 2));
    assertArrayEquals(PT, ring.decrypt(env, null));
    assertThrows(IllegalStateException.class, () -> ring.resume(KeyRef.of("k", 1)));
  }

  @Test
  void resume_ofPrimaryRotatedAwayMeanwhile_comesBackDeprecated() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.suspend(KeyRef.of("k", 1), null);
    ring.rotate("k", null);
    ring.resume(KeyRef.of("k", 1));
    assertEquals(DEPRECATED, state("k", 1));
    assertEquals(ACTIVE, state("k", 2));
  }

  @Test
  void revoke_refusesEverything_andIsFinal() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt("k", PT, null);
    ring.revoke(KeyRef.of("k", 1), "left the company");
    assertEquals(REVOKED, state("k", 1));
    assertEquals("left the company", ring.find("k").orElseThrow().version(1).orElseThrow().reason().orElseThrow());
    assertThrows(KeyUsageException.class, () -> ring.decrypt(env, null));
    assertThrows(KeyUsageException.class, () -> ring.encrypt("k", PT, null));
    assertThrows(IllegalStateException.class, () -> ring.resume(KeyRef.of("k", 1)));
    assertThrows(IllegalStateException.class, () -> ring.revoke(KeyRef.of("k", 1), null));
  }

  @Test
  void compromised_decryptsOnlyThroughAuditedOverride() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt("k", PT, null);
    ring.markCompromised(KeyRef.of("k", 1), "leaked in a log");
    KeyUsageException e = assertThrows(KeyUsageException.class, () -> ring.decrypt(env, null));
    assertEquals(COMPROMISED, e.state());
    assertArrayEquals(PT, ring.decrypt(env, null, true));
    assertTrue(ring.auditLog().events().stream().anyMatch(x -> x.action().equals("decrypt-compromised")
        && x.key().equals("k#1")));
  }

  @Test
  void scheduleDestruction_hidesName_cancelRestoresStates() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.rotate("k", null);
    ring.suspend(KeyRef.of("k", 1), null);
    List<KeyVersionInfo> s = ring.scheduleDestruction(KeyRef.of("k"), null);
    assertEquals(2, s.size());
    assertEquals(Instant.parse("2026-01-08T00:00:00Z"), s.get(0).destroyAt().orElseThrow());
    assertTrue(ring.list().isEmpty());
    assertTrue(ring.find("k").isPresent());
    assertThrows(KeyUsageException.class, () -> ring.encrypt("k", PT, null));
    ring.cancelDestruction("k");
    assertEquals(SUSPENDED, state("k", 1));
    assertEquals(ACTIVE, state("k", 2));
    assertEquals(1, ring.list().size());
    assertThrows(IllegalStateException.class, () -> ring.cancelDestruction("k"));
  }

  @Test
  void scheduledDestruction_executesWhenDueOnNextWrite() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.create("other", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    // an hour is below the store's 7-day minimum: forced, as an operator would have to
    ring.scheduleDestruction(KeyRef.of("k", 1), Duration.ofHours(1), true);
    clock.advance(Duration.ofHours(2));
    ring.rotate("other", null);
    assertEquals(DESTROYED, state("k", 1));
    assertTrue(ring.backend().material(KeyRef.of("k", 1)).isEmpty());
  }

  @Test
  void scheduledDestruction_executesWhenStoreIsOpenedAfterItFellDue(@TempDir Path dir) {
    Path f = dir.resolve("d.clavis");
    MutableClock c = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray(), FAST, c)) {
      k.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.scheduleDestruction(KeyRef.of("k"), null);
    }
    c.advance(Duration.ofDays(8));
    try (Keyring k = Keyrings.openFile(f, "pw".toCharArray(), FAST, c)) {
      assertEquals(DESTROYED, k.find("k").orElseThrow().latest().state());
      assertTrue(k.auditLog().events().stream().anyMatch(e -> e.action().equals("destroy")
          && e.details().get("reason").contains("fell due")));
    }
  }

  @Test
  void destroyNow_erasesMaterial_keepsTombstone() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt("k", PT, null);
    ring.destroyNow(KeyRef.of("k", 1), true); // the primary may still encrypt: only forced
    assertEquals(DESTROYED, state("k", 1));
    assertTrue(ring.backend().material(KeyRef.of("k", 1)).isEmpty());
    assertThrows(KeyUsageException.class, () -> ring.decrypt(env, null));
    assertThrows(IllegalStateException.class, () -> ring.destroyNow(KeyRef.of("k", 1)));
  }

  @Test
  void unknownKey_throwsUnknownKey() {
    assertThrows(UnknownKeyException.class, () -> ring.encrypt("nope", PT, null));
    assertThrows(UnknownKeyException.class, () -> ring.rotate("nope", null));
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertThrows(UnknownKeyException.class, () -> ring.suspend(KeyRef.of("k", 9), null));
  }

  @Test
  void importKey_newAndAsRotation() throws Exception {
    byte[] m1 = new byte[32];
    m1[0] = 1;
    ring.importKey("byok", KeyAlgorithm.AES_256, m1, KeyPolicy.builder().exportable(true).build());
    byte[] m2 = new byte[32];
    m2[0] = 2;
    ring.importKey("byok", KeyAlgorithm.AES_256, m2, KeyPolicy.defaults());
    KeyInfo k = ring.find("byok").orElseThrow();
    assertEquals(KeyVersionInfo.Origin.IMPORTED, k.latest().origin());
    assertEquals(2, k.primary().orElseThrow().version());
    assertEquals(DEPRECATED, k.version(1).orElseThrow().state());
    assertArrayEquals(m2, ring.exportKey(KeyRef.of("byok")));
    assertArrayEquals(m1, ring.exportKey(KeyRef.of("byok", 1)));
    assertThrows(IllegalArgumentException.class,
        () -> ring.importKey("short", KeyAlgorithm.AES_256, new byte[16], KeyPolicy.defaults()));
  }

  @Test
  void exportKey_notExportable_refused() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertThrows(KeyUsageException.class, () -> ring.exportKey(KeyRef.of("k")));
    assertNull(ring.handle(KeyRef.of("k")).getEncoded());
  }

  @Test
  void bulkRewrap_interleavedNamesAndVersions_eachKeyToItsOwnPrimary_andATruncatedOneIsRefused() {
    ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.create("other", KeyAlgorithm.AES_128, KeyPolicy.defaults());
    List<DataKey> dks = new ArrayList<>();
    for (int i = 0; i < 12; i++) { // runs of equal headers, broken by the other name
      dks.add(ring.generateDataKey(i % 4 == 3 ? "other" : "kek", i % 2 == 0 ? 128 : 256));
    }
    ring.rotate("kek", null);
    for (int i = 0; i < 6; i++) { // kek#2 keys between kek#1 ones
      dks.add(ring.generateDataKey("kek", 256));
      dks.add(dks.get(i * 2));
    }
    ring.rotate("kek", null);
    ring.rotate("other", null);
    List<byte[]> wrapped = new ArrayList<>();
    for (DataKey dk : dks) {
      wrapped.add(dk.wrapped());
    }
    List<byte[]> re = ring.rewrapDataKeys(wrapped);
    for (int i = 0; i < dks.size(); i++) {
      DataKey dk = dks.get(i);
      assertArrayEquals(dk.plaintextKey(), ring.unwrapDataKey(re.get(i)), "DEK " + i);
      String name = dk.kek().name();
      int primary = name.equals("kek") ? 3 : 2;
      assertEquals(primary, re.get(i)[5 + name.length() + 3], "DEK " + i + " rewrapped under " + name + "#" + primary);
    }
    // the header of the key before it, and then nothing: refused by the parse, not read as a key
    List<byte[]> cut = new ArrayList<>(wrapped.subList(0, 2));
    cut.add(java.util.Arrays.copyOf(wrapped.get(0), 9 + "kek".length() - 1));
    assertThrows(KeyringException.class, () -> ring.rewrapDataKeys(cut));
  }

  @Test
  void dataKeys_generateUnwrap_andBulkRewrapAfterKekRotation() {
    ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    List<DataKey> dks = new ArrayList<>();
    List<byte[]> wrapped = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      DataKey dk = ring.generateDataKey("kek", i % 3 == 0 ? 128 : 256);
      dks.add(dk);
      wrapped.add(dk.wrapped());
      assertEquals(KeyRef.of("kek", 1), dk.kek());
    }
    assertArrayEquals(dks.get(3).plaintextKey(), ring.unwrapDataKey(wrapped.get(3)));
    ring.rotate("kek", null);
    List<byte[]> re = ring.rewrapDataKeys(wrapped);
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(dks.get(i).plaintextKey(), ring.unwrapDataKey(re.get(i)), "DEK " + i);
      assertEquals(2, re.get(i)[11], "rewrapped under #2");
    }
    ring.revoke(KeyRef.of("kek", 1), null);
    assertThrows(KeyUsageException.class, () -> ring.unwrapDataKey(wrapped.get(0)));
    byte[] bad = re.get(5).clone();
    bad[bad.length - 1] ^= 1;
    List<byte[]> withBad = new ArrayList<>(re);
    withBad.set(5, bad);
    assertThrows(KeyringException.class, () -> ring.rewrapDataKeys(withBad));
    assertThrows(KeyringException.class, () -> ring.unwrapDataKey(bad));
  }

  @Test
  void concurrentEncryptionsAndRotations_countEveryUseAndLoseNothing() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ExecutorService ex = Executors.newFixedThreadPool(4);
    List<Future<byte[]>> fs = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int n = i;
      fs.add(ex.submit(() -> {
        if (n % 50 == 0) {
          ring.rotate("k", null);
        }
        return ring.encrypt("k", ("m" + n).getBytes(), null);
      }));
    }
    for (int i = 0; i < fs.size(); i++) {
      assertEquals("m" + i, new String(ring.decrypt(fs.get(i).get(), null)));
    }
    ex.shutdown();
    KeyInfo k = ring.find("k").orElseThrow();
    assertEquals(9, k.versions().size());
    assertEquals(400, k.versions().stream().mapToLong(KeyVersionInfo::usageCount).sum());
  }

  @Test
  void usageCount_afterCrash_readsAsReservation_neverLess(@TempDir Path dir) {
    Path f = dir.resolve("s.clavis");
    Keyring a = Keyrings.openFile(f, "pw".toCharArray(), FAST);
    a.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    for (int i = 0; i < 10; i++) {
      a.encrypt("k", PT, null);
    }
    // no close(): as if the process died; the reservation is what the file says
    try (Keyring b = Keyrings.openFile(f, "pw".toCharArray())) {
      long n = b.find("k").orElseThrow().latest().usageCount();
      assertTrue(n >= 10, "never under-counts: " + n);
      // blocks start small and double for a fast user: 8, then 16
      assertEquals(KeyringEngine.USAGE_BLOCK + 2 * KeyringEngine.USAGE_BLOCK, n);
      assertEquals(n, b.find("k").orElseThrow().latest().reserved());
      assertEquals(0, b.find("k").orElseThrow().latest().uses());
    }
    a.close(); // gives back the unused part
    try (Keyring b = Keyrings.openFile(f, "pw".toCharArray())) {
      assertEquals(10, b.find("k").orElseThrow().latest().usageCount());
      assertEquals(10, b.find("k").orElseThrow().latest().uses());
      assertEquals(0, b.find("k").orElseThrow().latest().reserved());
    }
  }

  @Test
  void audit_recordsLifecycle_withoutKeyMaterial() throws Exception {
    byte[] m = new byte[32];
    java.util.Arrays.fill(m, (byte) 0x5A);
    ring.importKey("k", KeyAlgorithm.AES_256, m, KeyPolicy.defaults());
    ring.rotate("k", "scheduled");
    ring.revoke(KeyRef.of("k", 1), "why");
    List<AuditEvent> ev = ring.auditLog().events();
    assertEquals(List.of("import", "deprecate", "rotate", "revoke"), ev.stream().map(AuditEvent::action).toList());
    assertEquals(4, ring.auditLog().verify());
    java.io.StringWriter w = new java.io.StringWriter();
    ring.auditLog().exportJsonLines(w);
    assertFalse(w.toString().toLowerCase().contains("5a5a5a5a"));
    assertEquals(4, w.toString().split("\n").length);
  }
}
