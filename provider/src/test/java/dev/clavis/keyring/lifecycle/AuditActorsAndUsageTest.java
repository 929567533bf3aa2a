package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.AuditActor;
import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.AuditOptions;
import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 6 of issue 13: every record names its actor; uses are written as periodic aggregates per
 * version without a durable write per operation; with {@code auditDecrypts} every decryption is
 * recorded, with its context, before its plaintext is released.
 */
class AuditActorsAndUsageTest {

  @TempDir Path dir;

  private Keyring open(KeyringOptions o) {
    return Keyrings.open(o);
  }

  private KeyringOptions opts() {
    return KeyringOptions.file(dir.resolve("s.store")).password(TestStores.PASSWORD.toCharArray())
        .kdfForNew(TestStores.LIGHTEST_KDF);
  }

  private static List<AuditEvent> actions(Keyring k, String action) {
    return k.auditLog().events().stream().filter(e -> e.action().equals(action)).collect(Collectors.toList());
  }

  private List<String> logLines() throws Exception {
    return Files.readAllLines(dir.resolve("s.store.audit"), StandardCharsets.UTF_8);
  }

  @Test
  void everyRecord_namesTheOsUser_byDefault() throws Exception {
    try (Keyring k = open(opts())) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.encrypt("a", new byte[3], null);
    }
    try (Keyring k = open(opts())) {
      List<AuditEvent> all = k.auditLog().events();
      assertFalse(all.isEmpty());
      for (AuditEvent e : all) {
        assertEquals(System.getProperty("user.name"), e.actor(), e.toString());
      }
    }
    for (String line : logLines()) {
      assertTrue(line.startsWith("{\"seq\":") && line.contains(",\"v\":2,") && line.contains(",\"actor\":\""), line);
    }
  }

  @Test
  void actor_setOnTheKeyring_andPerThread_isRecorded() throws Exception {
    try (Keyring k = open(opts().actor("svc-billing"))) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      AuditActor.as("app:alice", () -> {
        k.rotate("a", "alice rotates");
        return null;
      });
      k.suspend(KeyRef.of("a", 1), "after");
      List<AuditEvent> ev = k.auditLog().events();
      assertEquals("svc-billing", ev.stream().filter(e -> e.action().equals("create")).findFirst().orElseThrow().actor());
      assertEquals("app:alice", ev.stream().filter(e -> e.action().equals("rotate")).findFirst().orElseThrow().actor());
      assertEquals("svc-billing", ev.stream().filter(e -> e.action().equals("suspend")).findFirst().orElseThrow().actor());
      assertTrue(AuditActor.current().isEmpty(), "the thread's principal ends with its scope");
    }
  }

  @Test
  void actor_withControlCharactersOrEmpty_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> opts().actor("eve\n{\"seq\":1}"));
    assertThrows(IllegalArgumentException.class, () -> opts().actor(""));
    assertThrows(IllegalArgumentException.class, () -> AuditActor.as("x".repeat(257), () -> null));
    assertThrows(IllegalArgumentException.class, () -> AuditOptions.defaults().usagePeriod(Duration.ofSeconds(-1)));
  }

  @Test
  void uses_areCountedWithoutADurableWritePerOperation_andWrittenAsOneAggregateAtClose() throws Exception {
    try (Keyring k = open(opts())) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
      byte[] env = k.encrypt("a", "x".getBytes(StandardCharsets.UTF_8), null); // reserves a block of 8: one write
      DataKey dk = k.generateDataKey("a", 256);
      int before = logLines().size();
      long size = Files.size(dir.resolve("s.store"));
      for (int i = 0; i < 4; i++) {
        k.encrypt("a", new byte[16], null);
      }
      for (int i = 0; i < 3; i++) {
        assertEquals("x", new String(k.decrypt(env, null), StandardCharsets.UTF_8));
      }
      k.unwrapDataKey(dk.wrapped());
      KeyringEngine e = (KeyringEngine) k;
      e.protect(KeyRef.of("m"), 1);
      assertEquals(before + 1, logLines().size(), "only the MAC key's first reservation was written");
      assertEquals(6L, e.unwrittenUsage(KeyRef.of("a", 1)).get(UsageTally.Kind.ENCRYPT));
      assertEquals(4L, e.unwrittenUsage(KeyRef.of("a", 1)).get(UsageTally.Kind.DECRYPT));
      assertTrue(size > 0);
    }
    try (Keyring k = open(opts())) {
      List<AuditEvent> usage = actions(k, "usage");
      assertEquals(2, usage.size(), usage.toString());
      AuditEvent a = usage.stream().filter(e -> e.key().equals("a#1")).findFirst().orElseThrow();
      assertEquals("6", a.details().get("encryptions"));
      assertEquals("4", a.details().get("decryptions"));
      assertNotNull(a.details().get("periodStart"));
      AuditEvent m = usage.stream().filter(e -> e.key().equals("m#1")).findFirst().orElseThrow();
      assertEquals(Map.of("macs", "1"), Map.of("macs", m.details().get("macs")));
      assertEquals(2 + 2 + 2, actions(k, "use").size() + actions(k, "usage").size(),
          "two reservations, two give-backs, two aggregates");
      k.auditLog().verify();
    }
  }

  @Test
  void usageAggregate_ridesOnTheNextWrite_onceThePeriodHasPassed() throws Exception {
    try (Keyring k = open(opts().audit(AuditOptions.defaults().usagePeriod(Duration.ZERO)))) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.encrypt("a", new byte[1], null);
      k.encrypt("a", new byte[1], null);
      int before = logLines().size();
      k.create("b", KeyAlgorithm.AES_256, KeyPolicy.defaults()); // a write that happens anyway
      List<String> added = logLines().subList(before, logLines().size());
      assertEquals(2, added.size(), added.toString());
      assertTrue(added.get(1).contains("\"action\":\"usage\",\"key\":\"a#1\",\"details\":{\"encryptions\":\"2\""),
          added.get(1));
      assertEquals(0L, ((KeyringEngine) k).unwrittenUsage(KeyRef.of("a", 1)).get(UsageTally.Kind.ENCRYPT));
    }
  }

  @Test
  void decryptOnlyProcess_writesItsCountsOncePerPeriod() throws Exception {
    byte[] env;
    try (Keyring k = open(opts())) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("a", new byte[1], null);
    }
    try (Keyring k = open(opts().audit(AuditOptions.defaults().usagePeriod(Duration.ZERO)))) {
      int before = logLines().size();
      k.decrypt(env, null);
      assertEquals(before + 1, logLines().size());
      assertTrue(logLines().get(before).contains("\"decryptions\":\"1\""), logLines().get(before));
    }
  }

  @Test
  void auditDecrypts_recordsEveryDecryption_withItsContext() throws Exception {
    byte[] env;
    try (Keyring k = open(opts())) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("a", new byte[1], null);
    }
    try (Keyring k = open(opts().auditDecrypts(true).actor("reader"))) {
      k.decrypt(env, null);
      AuditActor.as("app:bob", () -> k.decrypt(env, null));
      ((KeyringEngine) k).recordDecryption(KeyRef.of("a", 1), Map.of("tenant", "t-7", "purpose", "invoice"));
      List<AuditEvent> d = actions(k, "decrypt");
      assertEquals(3, d.size(), d.toString());
      assertEquals("a#1", d.get(0).key());
      assertEquals("reader", d.get(0).actor());
      assertEquals("app:bob", d.get(1).actor());
      assertEquals(Map.of("context.purpose", "invoice", "context.tenant", "t-7"), d.get(2).details());
    }
  }

  @Test
  void auditDecrypts_withTheDataKeyCache_recordsEveryUnwrap_hitsIncluded() throws Exception {
    byte[] wrapped;
    try (Keyring k = open(opts())) {
      k.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      wrapped = k.generateDataKey("kek", 256, Map.of("tenant", "t-1")).wrapped();
    }
    try (Keyring k = open(opts().auditDecrypts(true)
        .withDataKeyCache(dev.clavis.keyring.DataKeyCachePolicy.of(Duration.ofMinutes(5), 100, 1 << 20, 10)))) {
      for (int i = 0; i < 3; i++) {
        java.util.Arrays.fill(k.unwrapDataKey(wrapped, Map.of("tenant", "t-1"), 0), (byte) 0);
      }
      // one miss and two cache hits: a cached key is released like an unwrapped one, so each is recorded
      List<AuditEvent> d = actions(k, "decrypt");
      assertEquals(3, d.size(), d.toString());
      assertEquals(Map.of("context.tenant", "t-1"), d.get(2).details());
    }
  }

  @Test
  void auditDecrypts_whenTheRecordCannotBeWritten_releasesNoPlaintext() throws Exception {
    byte[] env;
    try (Keyring k = open(opts())) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("a", "secret".getBytes(StandardCharsets.UTF_8), null);
    }
    try (Keyring k = open(opts().auditDecrypts(true))) {
      // the log becomes a symbolic link (to an identical copy): Clavis refuses to append through it
      Path log = dir.resolve("s.store.audit");
      Path copy = dir.resolve("copy.audit");
      Files.copy(log, copy);
      Files.delete(log);
      Files.createSymbolicLink(log, copy);
      KeyringException e = assertThrows(KeyringException.class, () -> k.decrypt(env, null));
      assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }
  }

  @Test
  void format1Fixture_followedByFormat2Records_verifies_andOldRecordsHaveNoActor() throws Exception {
    for (String f : new String[] {"base.store", "base.store.audit", "base.store.audit.head"}) {
      try (var in = getClass().getResourceAsStream("/audit/base-v1/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    KeyringOptions o = KeyringOptions.file(dir.resolve("base.store")).password("fixture-pw".toCharArray())
        .createIfMissing(false).actor("upgrader");
    try (Keyring k = Keyrings.open(o)) {
      k.rotate("tokens", "after the upgrade");
      List<AuditEvent> ev = k.auditLog().events();
      assertEquals("", ev.get(0).actor());
      assertEquals("upgrader", ev.get(ev.size() - 1).actor());
      assertEquals(ev.size(), k.auditLog().verify());
    }
  }
}
