package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import dev.clavis.keyring.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store and its audit log anchor each other (RollbackGuard, MonotonicAnchor), in one JVM. */
class StoreLogRollbackTest {

  static final char[] PW = "pw".toCharArray();
  static final KdfParameters FAST = KdfParameters.argon2id(1, 64, 1).allowingWeak();

  @TempDir Path dir;
  Path store;
  Path log;
  Path mark;
  /** The three files after each write: copies[i] = {store, log, mark} at generation i + 1. */
  final List<byte[][]> copies = new ArrayList<>();

  @BeforeEach
  void fill() throws Exception {
    store = dir.resolve("s.clavis");
    log = dir.resolve("s.clavis.audit");
    mark = dir.resolve("s.clavis.audit.head");
    try (Keyring k = Keyrings.openFile(store, PW, FAST)) {
      k.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      snapshot();
      k.rotate("pay", "r");
      snapshot();
      k.revoke(KeyRef.of("pay", 1), "leaked");
      snapshot();
      k.markCompromised(KeyRef.of("pay", 2), "leaked too");
      snapshot();
      k.create("other", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      snapshot();
    }
  }

  @AfterEach
  void clearProperty() {
    System.clearProperty(MonotonicAnchor.PROPERTY);
  }

  private void snapshot() throws Exception {
    copies.add(new byte[][] {Files.readAllBytes(store), Files.readAllBytes(log), Files.readAllBytes(mark)});
  }

  private StoreDamagedException refused() {
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(store, PW).close());
    assertEquals(Kind.ROLLED_BACK, e.kind(), e.getMessage());
    return e;
  }

  private KeyState state(Keyring k, String name, int v) {
    return k.find(name).orElseThrow().version(v).orElseThrow().state();
  }

  @Test
  void storeRolledBack_byOneToFourGenerations_isRefused_andTheFilesAreLeftAsTheyWere() throws Exception {
    byte[] logNow = Files.readAllBytes(log);
    for (int back = 1; back <= 4; back++) {
      byte[] old = copies.get(copies.size() - 1 - back)[0];
      Files.write(store, old);
      String m = refused().getMessage();
      assertTrue(m.contains("older") && m.contains("rolled back") && m.contains(store.toString()), m);
      assertArrayEquals(old, Files.readAllBytes(store));
      assertArrayEquals(logNow, Files.readAllBytes(log));
    }
  }

  @Test
  void storeRolledBack_byOneGeneration_withoutItsCommitMark_isRefusedByTheLog_onceTwoWritesFollowed() throws Exception {
    // back by 2 with the mark of that time too: the log holds two transactions after the recorded head
    byte[][] old = copies.get(copies.size() - 3);
    Files.write(store, old[0]);
    Files.write(mark, old[2]);
    String m = refused().getMessage();
    assertTrue(m.contains("is older than its audit log") && m.contains("generation"), m);
  }

  @Test
  void storeRolledBack_cannotResurrectARevokedOrCompromisedVersion_throughAnyWrite() throws Exception {
    Files.write(store, copies.get(1)[0]); // pay#1 ACTIVE... DEPRECATED, not yet revoked
    assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(store, PW));
    assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(store, PW));
    // after the attempts the real history is still there: restore the latest store and it all verifies
    Files.write(store, copies.get(copies.size() - 1)[0]);
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(KeyState.REVOKED, state(k, "pay", 1));
      assertEquals(KeyState.COMPROMISED, state(k, "pay", 2));
      assertEquals(6, k.auditLog().verify()); // create, deprecate + rotate, revoke, compromise, create
    }
  }

  @Test
  void logTruncated_orDeleted_isRefused_andNoWriteCanHideIt() throws Exception {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    Files.write(log, lines.subList(0, 3), StandardCharsets.UTF_8);
    String m = refused().getMessage();
    assertTrue(m.contains("audit log") && m.contains("truncated") && m.contains("head 6"), m);
    Files.delete(log);
    m = refused().getMessage();
    assertTrue(m.contains("has 0 records"), m);
    Files.write(log, new byte[0]);
    refused();
    assertFalse(Files.size(log) > 0, "nothing was appended to the emptied log");
  }

  @Test
  void olderLogReplayed_isRefused() throws Exception {
    Files.write(log, copies.get(2)[1]);
    assertTrue(refused().getMessage().contains("older than its key store"));
  }

  @Test
  void logsSwappedBetweenTwoStores_areRefused() throws Exception {
    Path other = dir.resolve("o.clavis");
    try (Keyring k = Keyrings.openFile(other, PW, FAST)) {
      for (int i = 0; i < 6; i++) {
        k.create("k" + i, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      }
    }
    Path otherLog = dir.resolve("o.clavis.audit");
    byte[] mine = Files.readAllBytes(log);
    Files.write(log, Files.readAllBytes(otherLog));
    Files.write(otherLog, mine);
    assertTrue(refused().getMessage().contains("does not belong"), "store s with the log of o");
    StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> Keyrings.openFile(other, PW));
    assertEquals(Kind.ROLLED_BACK, e.kind());
  }

  @Test
  void crashBetweenLogAndStore_leavesTheLogOneTransactionAhead_whichOpens_andIsMarkedNotCommitted() throws Exception {
    // the state a crash after the log sync and before the rename leaves: the store and the commit mark of
    // generation 5, the log already holding generation 6's records
    byte[][] g5 = copies.get(4);
    try (Keyring k = Keyrings.openFile(store, PW)) {
      k.revoke(KeyRef.of("other", 1), "x");
    }
    Files.write(store, g5[0]);
    Files.write(mark, g5[2]);
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(KeyState.ACTIVE, state(k, "other", 1), "the revocation never committed");
      assertEquals(7, k.auditLog().verify(), "the uncommitted record is not a tamper alarm");
      k.rotate("other", "after the crash");
    }
    try (Keyring k = Keyrings.openFile(store, PW)) {
      List<AuditEvent> ev = k.auditLog().events();
      AuditEvent u = ev.stream().filter(e -> e.action().equals("audit-uncommitted")).findFirst().orElseThrow();
      assertEquals("7..7", u.details().get("records"));
      assertEquals(ev.size(), k.auditLog().verify());
    }
  }

  @Test
  void storeAndLogRestoredTogether_openWithoutAnAnchor_butAreRefusedWithOne() throws Exception {
    Path anchor = dir.resolve("elsewhere").resolve("s.anchor");
    Files.createDirectories(anchor.getParent());
    System.setProperty(MonotonicAnchor.PROPERTY, anchor.toString());
    try (Keyring k = Keyrings.openFile(store, PW)) {
      k.revoke(KeyRef.of("other", 1), "x");
    }
    assertTrue(Files.exists(anchor));
    byte[][] backup = copies.get(2);
    Files.write(store, backup[0]);
    Files.write(log, backup[1]);
    Files.write(mark, backup[2]);
    String m = refused().getMessage();
    assertTrue(m.contains("older than its anchor") && m.contains("restored"), m);
    System.clearProperty(MonotonicAnchor.PROPERTY);
    try (Keyring k = Keyrings.openFile(store, PW)) { // no state elsewhere: a consistent backup is all there is
      assertEquals(4, k.auditLog().verify());
    }
  }

  @Test
  void tornLastLine_isRepairedAtTheNextWrite_andTheRepairIsAudited() throws Exception {
    String torn = "{\"seq\":7,\"gen\":7,\"time\":\"2026-";
    Files.write(log, torn.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(6, k.auditLog().verify(), "a torn append beyond the head is not an error");
      k.create("after", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      List<AuditEvent> ev = k.auditLog().events();
      assertEquals("audit-repair", ev.get(6).action());
      assertEquals(Integer.toString(torn.length()), ev.get(6).details().get("droppedBytes"));
      assertEquals("create", ev.get(7).action());
      assertEquals(8, k.auditLog().verify());
    }
    assertFalse(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(torn + "{"));
  }

  @Test
  void recordCutInsideTheRecordedChain_staysAnError() throws Exception {
    byte[] b = Files.readAllBytes(log);
    Files.write(log, java.util.Arrays.copyOf(b, b.length - 20)); // record 6, which the store recorded, is cut
    assertTrue(refused().getMessage().contains("head record 6 is missing"));
  }

  @Test
  void logWipedUnderARunningKeyring_theNextWriteIsRefused_notStartedAsAFreshChain() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      Files.write(log, new byte[0]);
      StoreDamagedException e = assertThrows(StoreDamagedException.class,
          () -> k.create("x", KeyAlgorithm.AES_256, KeyPolicy.defaults()));
      assertEquals(Kind.ROLLED_BACK, e.kind());
      assertEquals(0, Files.size(log), "nothing was appended after the wipe");
      assertTrue(k.find("x").isEmpty());
    }
  }

  @Test
  void runningProcess_neverAcceptsAnOlderGeneration() throws Exception {
    try (Keyring k = Keyrings.openFile(store, PW)) {
      assertEquals(KeyState.REVOKED, state(k, "pay", 1));
      Files.write(store, copies.get(1)[0]); // replaced under the running keyring
      Thread.sleep(30);
      StoreDamagedException e = assertThrows(StoreDamagedException.class, () -> k.find("pay"));
      assertEquals(Kind.ROLLED_BACK, e.kind());
      assertTrue(e.getMessage().contains("has seen generation"), e.getMessage());
      assertThrows(KeyringException.class, () -> k.create("x", KeyAlgorithm.AES_256, KeyPolicy.defaults()));
    }
  }
}
