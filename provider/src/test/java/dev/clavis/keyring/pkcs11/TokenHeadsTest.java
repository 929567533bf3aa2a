package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The keyring head on the token: surplus heads (left by two writers racing) are repaired when the
 * keyring opens, and a commit that lost the race for the head is run again instead of failing.
 */
class TokenHeadsTest {

  private static Template heads() {
    return Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
        .bytes(CKA.APPLICATION, TokenKeyBackend.APP_HEAD.getBytes(StandardCharsets.UTF_8)).build();
  }

  private static long headCount(Pkcs11Token t) throws Exception {
    return t.call(s -> (long) s.findObjects(heads()).length);
  }

  private static void forgeHead(Pkcs11Token t, long generation) throws Exception {
    t.call(s -> s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, true)
        .bytes(CKA.APPLICATION, TokenKeyBackend.APP_HEAD.getBytes(StandardCharsets.UTF_8))
        .string(CKA.LABEL, "clavis keyring generation " + generation)
        .bytes(CKA.VALUE, "Clavis keyring head".getBytes(StandardCharsets.UTF_8)).build()));
  }

  private static String name(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void duplicateHead_ofAnOlderGeneration_isRepairedAtOpen_andTheKeyringOpens() throws Exception {
    SoftHsm.require();
    String n = name("dup");
    try (Pkcs11Token probe = SoftHsmTokens.open()) {
      long generation;
      try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
        ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
        generation = ring.backend().generation();
      }
      forgeHead(probe, generation - 1); // what a lost race of two first commits leaves behind
      assertEquals(2, headCount(probe));
      try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
        assertTrue(ring.find(n).isPresent(), "the committed key survives the repair");
        assertEquals(generation + 1, ring.backend().generation(), "the head of the highest generation was kept"
            + " (and the audited repair committed once more)");
        assertEquals(1, ((TokenKeyBackend) ring.backend()).headRepairs());
        dev.clavis.keyring.AuditEvent last = null;
        for (dev.clavis.keyring.AuditEvent e : ring.auditLog().events()) {
          last = e;
        }
        assertEquals("repair", last.action(), "the repair is audited");
        assertEquals(Long.toString(generation), last.details().get("kept-generation"));
        assertEquals("[" + (generation - 1) + "]", last.details().get("destroyed-generations"));
        byte[] pt = {1, 2, 3};
        assertArrayEquals(pt, ring.decrypt(ring.encrypt(n, pt, null), null));
      }
      assertEquals(1, headCount(probe), "exactly one head is left");
    }
  }

  @Test
  void duplicateHead_namingAGenerationWithoutMetadata_loses_evenWithAHigherNumber() throws Exception {
    SoftHsm.require();
    String n = name("forged");
    try (Pkcs11Token probe = SoftHsmTokens.open()) {
      long generation;
      try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
        ring.create(n, KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
        generation = ring.backend().generation();
      }
      forgeHead(probe, generation + 1000);
      try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
        assertEquals(generation + 1, ring.backend().generation(), "the real head was kept (plus the audited repair)");
        assertTrue(ring.find(n).isPresent());
      }
      assertEquals(1, headCount(probe));
    }
  }

  @Test
  void duplicateHead_appearingWhileOpen_isRepairedAtTheNextCommit() throws Exception {
    SoftHsm.require();
    try (Pkcs11Token probe = SoftHsmTokens.open();
        KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(name("live"), KeyAlgorithm.AES_128, KeyPolicy.defaults());
      long generation = ring.backend().generation();
      forgeHead(probe, generation - 1);
      // a read goes through the surplus head without touching it (repairs need the commit lock)
      assertEquals(generation, ring.backend().read().generation());
      assertEquals(2, headCount(probe));
      String n = name("after");
      ring.create(n, KeyAlgorithm.AES_128, KeyPolicy.defaults());
      assertEquals(1, headCount(probe));
      assertEquals(generation + 1, ring.backend().generation());
      assertTrue(ring.find(n).isPresent());
    }
  }

  @Test
  void commit_thatLostTheRaceForTheHead_isRunAgainOnTheNewState_insteadOfFailing() throws Exception {
    SoftHsm.require();
    try (KeyringEngine seed = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
      seed.create(name("seed"), KeyAlgorithm.AES_128, KeyPolicy.defaults()); // a valid metadata document
    }
    try (Pkcs11Token ta = SoftHsmTokens.open(); Pkcs11Token tb = SoftHsmTokens.open()) {
      TokenKeyBackend a = TokenKeyBackend.open(ta);
      TokenKeyBackend b = TokenKeyBackend.open(tb);
      long start = a.generation();
      int[] runs = {0};
      long[] seen = new long[2];
      a.transact((latest, changes) -> {
        seen[runs[0]] = latest.generation();
        if (runs[0]++ == 0) {
          // A writer that did not wait for the lock commits between this read and the head move
          // (the same thread re-enters the in-process lock, so nothing serialises the two).
          b.transact((l2, c2) -> {
            c2.setMetadata(l2.metadata());
            return null;
          });
        }
        changes.setMetadata(latest.metadata());
        return null;
      });
      assertEquals(2, runs[0], "the transaction ran again after losing the race");
      assertEquals(start, seen[0]);
      assertEquals(start + 1, seen[1], "the second run saw the other writer's commit");
      assertEquals(start + 2, a.generation(), "both commits are on the token");
      assertEquals(1, a.lostRaces());
      KeyBackend.Snapshot s = b.read();
      assertEquals(start + 2, s.generation());
    }
  }

  @Test
  void commit_thatLostTheRace_leavesNoAuditRecordsOfTheAttempt_inTheLog() throws Exception {
    SoftHsm.require();
    java.nio.file.Path log = java.nio.file.Files.createTempFile("clavis-race", ".audit");
    try (KeyringEngine seed = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
      seed.create(name("seed"), KeyAlgorithm.AES_128, KeyPolicy.defaults());
    }
    dev.clavis.pkcs11.Pkcs11Config cfg = dev.clavis.pkcs11.Pkcs11Config.builder().name("softhsm")
        .library(SoftHsm.LIBRARY).tokenLabel(SoftHsm.LABEL).auditLog(log).build();
    try (Pkcs11Token ta = Pkcs11Token.open(cfg, SoftHsm.PIN.toCharArray()); Pkcs11Token tb = SoftHsmTokens.open()) {
      TokenKeyBackend a = TokenKeyBackend.open(ta);
      TokenKeyBackend b = TokenKeyBackend.open(tb);
      java.nio.file.Files.writeString(log, "earlier\n");
      int[] runs = {0};
      a.transact((latest, changes) -> {
        try {
          // what the engine does inside a transaction: append its records before the commit
          java.nio.file.Files.writeString(log, "attempt " + runs[0] + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        if (runs[0]++ == 0) {
          b.transact((l2, c2) -> {
            c2.setMetadata(l2.metadata());
            return null;
          });
        }
        changes.setMetadata(latest.metadata());
        return null;
      });
      assertEquals("earlier\nattempt 1\n", java.nio.file.Files.readString(log),
          "the records of the attempt that lost were cut off before the retry");
    } finally {
      java.nio.file.Files.deleteIfExists(log);
    }
  }
}
