package dev.clavis.conformance.attacks;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attack: several processes commit to one token at the same moment. PKCS#11 has no
 * compare-and-set, so a check of the head's generation followed by a move of the head lets two
 * committers both pass: one loses its acknowledged keys, or two heads are left and the keyring no
 * longer opens. Each worker is a real JVM (its own PKCS#11 application); a key counts as
 * acknowledged only once the worker printed it after the call returned.
 */
class TokenCommitRaceAttackTest {

  private static final String HEAD_APP = "dev.clavis.keyring.head";
  private static Path cfg;
  private static Pkcs11Token probe;

  @BeforeAll
  static void token() throws Exception {
    SoftHsm.require();
    cfg = SoftHsm.configFile();
    probe = Pkcs11Token.open(Pkcs11Config.parse(cfg), SoftHsm.PIN.toCharArray());
  }

  @AfterAll
  static void close() {
    if (probe != null) {
      probe.close();
    }
  }

  private static Template heads() {
    return Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
        .bytes(CKA.APPLICATION, HEAD_APP.getBytes(StandardCharsets.UTF_8)).build();
  }

  private static int headObjects() throws Exception {
    return probe.call(s -> s.findObjects(heads()).length);
  }

  /** Runs the workers, each given {@code mode target count}, all released at once. */
  private static List<String> race(List<String[]> jobs) throws Exception {
    Path go = Files.createTempFile("clavis-race-go", "");
    Files.delete(go);
    List<TokenAttackJvm> workers = new ArrayList<>();
    try {
      for (String[] job : jobs) {
        workers.add(TokenAttackJvm.start(TokenRaceWorker.class, cfg.toString(), go.toString(), job[0], job[1], job[2]));
      }
      for (TokenAttackJvm w : workers) {
        assertTrue(w.await("READY", 90), "worker opened the keyring: " + w.lines());
      }
      Files.createFile(go);
      List<String> acks = new ArrayList<>();
      for (TokenAttackJvm w : workers) {
        int rc = w.finish(180);
        assertEquals(0, rc, "every commit of the worker succeeded (a lost race is retried): " + w.lines());
        for (String l : w.lines()) {
          if (l.startsWith("ACK ")) {
            acks.add(l.substring(4));
          }
        }
      }
      return acks;
    } finally {
      Files.deleteIfExists(go);
    }
  }

  private static void assertIntact(List<String> acked) throws Exception {
    assertEquals(1, headObjects(), "exactly one keyring head on the token");
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(SoftHsm.PIN.toCharArray()))) {
      for (String a : acked) {
        KeyRef ref = KeyRef.parse(a);
        assertTrue(ring.find(ref.name()).isPresent(), "acknowledged key " + a + " exists");
        if (ref.version().isPresent()) {
          KeyInfo k = ring.find(ref.name()).orElseThrow();
          int v = ref.version().getAsInt();
          assertTrue(k.versions().stream().anyMatch(x -> x.version() == v), "acknowledged version " + a + " exists");
        }
        byte[] pt = a.getBytes(StandardCharsets.UTF_8);
        assertTrue(java.util.Arrays.equals(pt, ring.decrypt(ring.encrypt(ref.name(), pt, null), null)),
            "the material of " + a + " is on the token");
      }
      ring.auditLog().verify(); // the interleaved appends of every process form one chain
    }
  }

  @Test
  void twoProcesses_creatingAndRotatingAtOnce_loseNoAcknowledgedKey_andLeaveOneHead() throws Exception {
    String p = "race2-" + UUID.randomUUID().toString().substring(0, 6);
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(p + "-shared", dev.clavis.keyring.KeyAlgorithm.AES_128, dev.clavis.keyring.KeyPolicy.defaults());
    }
    // one process creates while the other rotates
    List<String> acks = race(List.of(new String[] {"create", p + "-a", "8"}, new String[] {"rotate", p + "-shared", "8"}));
    assertEquals(16, acks.size(), "every call was acknowledged: " + acks);
    assertIntact(acks);
    // two rotators of one key: each rotation is a version of its own, none is lost
    List<String> rotations = race(List.of(new String[] {"rotate", p + "-shared", "5"},
        new String[] {"rotate", p + "-shared", "5"}));
    assertEquals(10, rotations.size(), "every rotation was acknowledged: " + rotations);
    assertEquals(10, new HashSet<>(rotations).size(), "no version number was acknowledged twice: " + rotations);
    assertIntact(rotations);
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(SoftHsm.PIN.toCharArray()))) {
      assertEquals(19, ring.find(p + "-shared").orElseThrow().versions().size());
    }
  }

  @Test
  void fourProcesses_creatingTenKeysEachAtOnce_loseNoAcknowledgedKey_andLeaveOneHead() throws Exception {
    String p = "race4-" + UUID.randomUUID().toString().substring(0, 6);
    List<String[]> jobs = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      jobs.add(new String[] {"create", p + "-w" + w, "10"});
    }
    List<String> acks = race(jobs);
    assertEquals(40, acks.size(), "every create was acknowledged: " + acks);
    Set<String> unique = new HashSet<>(acks);
    assertEquals(40, unique.size());
    assertIntact(acks);
  }

  @Test
  void duplicateHead_madeByHand_isRepairedWhenAProcessOpensTheKeyring() throws Exception {
    String n = "dup-" + UUID.randomUUID().toString().substring(0, 6);
    long generation;
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(n, dev.clavis.keyring.KeyAlgorithm.AES_128, dev.clavis.keyring.KeyPolicy.defaults());
      generation = ring.backend().generation();
    }
    for (long g : new long[] {generation - 1, generation + 50}) { // a stale head, and a forged one
      probe.call(s -> s.createObject(Template.builder().ulong(CKA.CLASS, CKO.DATA).bool(CKA.TOKEN, true)
          .bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, true).bytes(CKA.APPLICATION, HEAD_APP.getBytes(StandardCharsets.UTF_8))
          .string(CKA.LABEL, "clavis keyring generation " + g).bytes(CKA.VALUE, new byte[] {1}).build()));
    }
    assertEquals(3, headObjects());
    TokenAttackJvm w = TokenAttackJvm.start(TokenRaceWorker.class, cfg.toString(), "-", "open");
    assertEquals(0, w.finish(120), "the keyring opens in another process: " + w.lines());
    // the head of the highest valid generation was kept; the audited repair is one more commit
    assertTrue(w.lines().stream().anyMatch(l -> l.startsWith("OPENED generation " + (generation + 1) + " ")),
        w.lines().toString());
    assertEquals(1, headObjects(), "the surplus heads were destroyed");
    assertIntact(List.of(n));
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(cfg)).pin(SoftHsm.PIN.toCharArray()))) {
      assertTrue(ring.auditLog().events().stream().anyMatch(e -> e.action().equals("repair")
          && e.details().get("destroyed-generations").equals("[" + (generation - 1) + ", " + (generation + 50) + "]")
          || e.action().equals("repair") && e.details().get("destroyed-generations")
              .equals("[" + (generation + 50) + ", " + (generation - 1) + "]")), "the repair is in the audit log");
    }
  }
}
