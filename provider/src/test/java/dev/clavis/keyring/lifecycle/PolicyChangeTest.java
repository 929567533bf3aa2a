package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live policy and metadata changes through the engine: what they change, what they refuse, what they audit. */
class PolicyChangeTest {

  static final byte[] PT = {1, 2, 3};
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

  private KeyPolicy.Builder policy(String name) {
    return ring.find(name).orElseThrow().policy().toBuilder();
  }

  private AuditEvent last(String action) {
    List<AuditEvent> ev = ring.auditLog().events().stream().filter(e -> e.action().equals(action)).toList();
    return ev.get(ev.size() - 1);
  }

  @Test
  void updatePolicy_changesEveryField_andAuditsOldAndNewValues() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    KeyPolicy next = policy("k").rotationPeriod(Duration.ofDays(30)).usageLimit(100).deletionWindow(Duration.ofDays(14))
        .keepVersions(3).decryptWindow(Duration.ofDays(90)).deletionProtection(true).build();
    KeyInfo k = ring.updatePolicy("k", next, false);
    assertEquals(next, k.policy());
    assertEquals(100, k.primary().orElseThrow().usageLimit(), "the limit applies to the version that encrypts");
    AuditEvent e = last("policy");
    assertEquals("k", e.key());
    assertEquals("none", e.details().get("old.rotationPeriod"));
    assertEquals("PT720H", e.details().get("new.rotationPeriod"));
    assertEquals("false", e.details().get("old.deletionProtection"));
    assertEquals("true", e.details().get("new.deletionProtection"));
    assertEquals("PT168H", e.details().get("old.deletionWindow"));
    assertFalse(e.details().containsKey("old.exportable"), "unchanged fields are not listed");
  }

  @Test
  void updatePolicy_lifetime_movesThePrimarysExpiry() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    KeyInfo k = ring.updatePolicy("k", policy("k").versionLifetime(Duration.ofDays(1)).build(), false);
    assertEquals(Instant.parse("2026-01-02T00:00:00Z"), k.primary().orElseThrow().expires().orElseThrow());
  }

  @Test
  void updatePolicy_sameValues_writesNothing() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    int before = ring.auditLog().events().size();
    ring.updatePolicy("k", KeyPolicy.defaults(), false);
    assertEquals(before, ring.auditLog().events().size());
  }

  @Test
  void updatePolicy_unknownKey_throwsUnknownKey() {
    assertThrows(UnknownKeyException.class, () -> ring.updatePolicy("nope", KeyPolicy.defaults(), false));
  }

  @Test
  void updatePolicy_exportableTurnedOn_isRefused_andNothingChanges() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.updatePolicy("k", policy("k").exportable(true).usageLimit(5).build(), false));
    assertTrue(e.getMessage().contains("exportab"), e.getMessage());
    assertEquals(KeyPolicy.defaults(), ring.find("k").orElseThrow().policy());
  }

  @Test
  void updatePolicy_exportableTurnedOff_stopsExportOfOldVersions() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
    assertEquals(32, ring.exportKey(KeyRef.of("k", 1)).length);
    ring.updatePolicy("k", policy("k").exportable(false).build(), false);
    assertThrows(KeyUsageException.class, () -> ring.exportKey(KeyRef.of("k", 1)));
    assertFalse(ring.find("k").orElseThrow().version(1).orElseThrow().exportable());
  }

  @Test
  void updatePolicy_deletionWindowBelowTheStoreMinimum_isRefused() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.updatePolicy("k", policy("k").deletionWindow(Duration.ofDays(1)).build(), false));
    assertTrue(e.getMessage().contains("minimum deletion window of 7d"), e.getMessage());
    assertEquals(KeyPolicy.DEFAULT_DELETION_WINDOW, ring.find("k").orElseThrow().policy().deletionWindow());
  }

  @Test
  void raisingTheDecryptionFloor_needsForce() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] old = ring.encrypt("k", PT, null);
    ring.rotate("k", null);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ring.updatePolicy("k", policy("k").minDecryptionVersion(2).build(), false));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertArrayEquals(PT, ring.decrypt(old, null), "nothing changed");
    ring.updatePolicy("k", policy("k").minDecryptionVersion(2).build(), true);
    assertEquals("true", last("policy").details().get("forced"));
    KeyUsageException refused = assertThrows(KeyUsageException.class, () -> ring.decrypt(old, null));
    assertTrue(refused.getMessage().contains("minimum decryption version"), refused.getMessage());
    // lowering it again needs no force and brings #1 back
    ring.updatePolicy("k", policy("k").minDecryptionVersion(0).build(), false);
    assertArrayEquals(PT, ring.decrypt(old, null));
  }

  @Test
  void decryptionFloorAboveThePrimary_isRefused() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertThrows(IllegalArgumentException.class,
        () -> ring.updatePolicy("k", policy("k").minDecryptionVersion(2).build(), true));
  }

  @Test
  void updatePolicy_ofADestroyedKey_namesCreateReplace() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.destroyNow(KeyRef.of("k"), true);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ring.updatePolicy("k", KeyPolicy.builder().usageLimit(3).build(), false));
    assertTrue(e.getMessage().contains("destroyed") && e.getMessage().contains("--replace"), e.getMessage());
  }

  @Test
  void metadata_setAtCreate_changedLater_keepsTheSource_andIsAudited() {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults(),
        KeyMetadata.builder().purpose("payments").tag("team", "core").source("cli").build());
    KeyInfo k = ring.updateMetadata("k", KeyMetadata.builder().purpose("billing").description("rows of invoices")
        .tag("team", "core").tag("env", "prod").source("api").build());
    assertEquals("billing", k.metadata().purpose().orElseThrow());
    assertEquals("rows of invoices", k.metadata().description().orElseThrow());
    assertEquals(java.util.Map.of("env", "prod", "team", "core"), k.metadata().tags());
    assertEquals("cli", k.metadata().source().orElseThrow(), "the creation source is history, not a label");
    AuditEvent e = last("metadata");
    assertEquals("payments", e.details().get("old.purpose"));
    assertEquals("billing", e.details().get("new.purpose"));
  }

  @Test
  void createWithTheThreeArgumentApi_recordsTheSourceApi() {
    assertEquals("api", ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults()).metadata().source().orElseThrow());
  }

  @Test
  void legacyEncryptionTurnedOn_isAuditedWithOldAndNew_andCountsAsLoosening() {
    KeyPolicy off = KeyPolicy.defaults();
    KeyPolicy on = off.toBuilder().legacyEncryption(true).build();
    assertEquals("false", PolicyChange.fields(off).get("legacyEncryption"));
    assertEquals("true", PolicyChange.fields(on).get("legacyEncryption"));
    // letting CBC/CTR encrypt loosens the policy: a store with a quorum asks for it
    assertEquals(List.of("legacyEncryption"), PolicyLowering.lowered(off, on));
    assertEquals(List.of(), PolicyLowering.lowered(on, off));
  }
}
