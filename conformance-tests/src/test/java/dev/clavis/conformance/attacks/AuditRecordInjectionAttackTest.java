package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.AuditActor;
import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever controls an actor principal or an encryption context tries to forge audit records
 * through them, and whoever can write the log tries to pin an action on someone else.
 */
class AuditRecordInjectionAttackTest {

  @TempDir Path dir;

  private KeyringOptions opts() {
    return KeyringOptions.file(dir.resolve("s.store")).password(TestStores.PASSWORD.toCharArray())
        .kdfForNew(TestStores.LIGHTEST_KDF);
  }

  @Test
  void actorWithANewline_cannotStartAForgedRecord() {
    String forged = "eve\n{\"seq\":99,\"v\":2,\"action\":\"destroy\"}";
    assertThrows(IllegalArgumentException.class, () -> opts().actor(forged));
    assertThrows(IllegalArgumentException.class, () -> AuditActor.as(forged, () -> null));
  }

  @Test
  void contextAndActorWithQuotes_stayValuesOfOneRecord_andTheLogVerifies() throws Exception {
    try (Keyring k = Keyrings.open(opts().auditDecrypts(true))) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      String injected = "x\",\"action\":\"destroy\",\"key\":\"a#1\"}\n{\"seq\":1";
      AuditActor.as("app\",\"actor\":\"root", () -> {
        ((KeyringEngine) k).recordDecryption(KeyRef.of("a", 1), Map.of("tenant", injected));
        return null;
      });
      List<AuditEvent> ev = k.auditLog().events();
      AuditEvent d = ev.get(ev.size() - 1);
      assertEquals("decrypt", d.action());
      assertEquals("app\",\"actor\":\"root", d.actor());
      assertEquals(injected, d.details().get("context.tenant"));
      assertEquals(ev.size(), k.auditLog().verify());
      assertEquals(ev.size(), Files.readAllLines(dir.resolve("s.store.audit"), StandardCharsets.UTF_8).size(),
          "one line per record");
    }
  }

  @Test
  void editingWhoActed_failsTheRecordsMac() throws Exception {
    try (Keyring k = Keyrings.open(opts().actor("mallory"))) {
      k.create("a", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.create("b", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    Path log = dir.resolve("s.store.audit");
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    lines.set(0, lines.get(0).replace("\"actor\":\"mallory\"", "\"actor\":\"alice\""));
    Files.write(log, lines, StandardCharsets.UTF_8);
    try (Keyring k = Keyrings.open(opts())) {
      KeyringException e = assertThrows(KeyringException.class, () -> k.auditLog().verify());
      assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("MAC"), e.getMessage());
    }
  }
}
