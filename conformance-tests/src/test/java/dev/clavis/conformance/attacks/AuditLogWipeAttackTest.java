package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.conformance.attacks.RollbackProcesses.Result;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: wipe the history. Truncate, delete, swap or replay the audit log, then run an ordinary
 * write, and see whether {@code clavis audit --verify} still passes. Also the honest failures that
 * must not raise an alarm: a torn last line and a crash between the log append and the store's
 * rename (a real crash: the JVM halts at that point).
 */
class AuditLogWipeAttackTest {

  static final String PW = "attack-password";

  @TempDir Path dir;
  Path store;
  Path log;

  @BeforeEach
  void history() throws Exception {
    store = dir.resolve("w.store");
    log = dir.resolve("w.store.audit");
    try (Keyring k = Keyrings.openFile(store, PW.toCharArray(), KdfParameters.argon2id(1, 64, 1).allowingWeak())) {
      k.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.rotate("pay", "r");
      k.revoke(KeyRef.of("pay", 1), "leaked");
      k.create("other", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
  }

  private Result clavis(Path s, List<String> jvm, String... args) {
    List<String> a = new ArrayList<>(List.of("--store", s.toString()));
    a.addAll(List.of(args));
    return RollbackProcesses.cli(PW, jvm, a.toArray(String[]::new));
  }

  private Result clavis(String... args) {
    return clavis(store, List.of(), args);
  }

  private static void assertRefused(Result r, String words) {
    assertEquals(1, r.exit(), r.toString());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, "one line: " + r.err());
    assertTrue(lines[0].contains(words), r.err());
  }

  @Test
  void logTruncated_thenAWrite_isRefused_andVerifyFails() throws Exception {
    List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
    Files.write(log, l.subList(0, 2), StandardCharsets.UTF_8);
    byte[] cut = Files.readAllBytes(log);
    assertRefused(clavis("create", "x"), "truncated");
    assertRefused(clavis("create", "y"), "truncated");
    assertRefused(clavis("audit", "--verify"), "truncated");
    assertArrayEquals(cut, Files.readAllBytes(log), "no write appended to the cut log");
  }

  @Test
  void logDeleted_thenAWrite_isRefused_andVerifyFails() throws Exception {
    Files.delete(log);
    assertRefused(clavis("create", "x"), "deleted");
    assertFalse(Files.exists(log) && Files.size(log) > 0);
    assertRefused(clavis("audit", "--verify"), "deleted");
  }

  @Test
  void logsSwappedBetweenTwoStores_areRefused() throws Exception {
    Path other = dir.resolve("o.store");
    try (Keyring k = Keyrings.openFile(other, PW.toCharArray(), KdfParameters.argon2id(1, 64, 1).allowingWeak())) {
      for (int i = 0; i < 5; i++) {
        k.create("k" + i, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      }
    }
    Path otherLog = dir.resolve("o.store.audit");
    byte[] mine = Files.readAllBytes(log);
    Files.write(log, Files.readAllBytes(otherLog));
    Files.write(otherLog, mine);
    assertRefused(clavis("audit", "--verify"), "does not belong");
    assertRefused(clavis(other, List.of(), "audit", "--verify"), "does not belong");
  }

  @Test
  void olderLogReplayed_isRefused() throws Exception {
    byte[] old = Files.readAllBytes(log);
    assertEquals(0, clavis("revoke", "pay#2").exit());
    Files.write(log, old);
    assertRefused(clavis("audit", "--verify"), "older than its key store");
  }

  @Test
  void tornLastLine_isRepairedAutomaticallyAtTheNextWrite_andAudited() throws Exception {
    Files.write(log, "{\"seq\":6,\"gen\":7,\"ti".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    Result v = clavis("audit", "--verify");
    assertEquals(0, v.exit(), "a torn append beyond the recorded head is no tamper alarm: " + v);
    Result w = clavis("create", "after-crash");
    assertEquals(0, w.exit(), "a torn line does not block writes: " + w);
    Result audit = clavis("audit");
    assertTrue(audit.out().contains("audit-repair"), audit.out());
    assertEquals(0, clavis("audit", "--verify").exit());
  }

  @Test
  void crashBetweenLogAppendAndStoreRename_isNoAlarm_andTheRecordsAreMarkedNotCommitted() throws Exception {
    Result crash = clavis(store, List.of("-Dclavis.store.fault=after-write"), "revoke", "other#1");
    assertEquals(86, crash.exit(), "the JVM halted between the log sync and the rename: " + crash);
    Result show = clavis("show", "other");
    assertEquals(0, show.exit(), show.toString());
    assertTrue(show.out().contains("ACTIVE"), "the revocation never committed: " + show.out());
    assertEquals(0, clavis("audit", "--verify").exit());
    assertEquals(0, clavis("revoke", "other#1").exit());
    Result audit = clavis("audit");
    assertTrue(audit.out().contains("audit-uncommitted"), audit.out());
    assertEquals(0, clavis("audit", "--verify").exit());
  }
}
