package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.Approval;
import dev.clavis.keyring.ApprovalRequest;
import dev.clavis.keyring.Approvals;
import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.CustodianKey;
import dev.clavis.keyring.CustodianQuorum;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.QuorumException;
import dev.clavis.keyring.QuorumRequiredException;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dual control: M custodians' approvals for one operation, once, before they expire; each refusal changes nothing. */
class QuorumGuardTest {

  MutableClock clock;
  KeyringEngine ring;
  CustodianKey c1 = CustodianKey.generate();
  CustodianKey c2 = CustodianKey.generate();
  CustodianKey c3 = CustodianKey.generate();
  CustodianKey outsider = CustodianKey.generate();

  @BeforeEach
  void open() {
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ring = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF), clock, Duration.ZERO);
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.rotate("k", null);
    ring.create("other", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.setQuorum(CustodianQuorum.of(2, List.of(c1.publicKey(), c2.publicKey(), c3.publicKey())));
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private KeyState state(String n, int v) {
    return ring.find(n).orElseThrow().version(v).orElseThrow().state();
  }

  private int records() {
    return ring.auditLog().events().size();
  }

  /** @return the request the engine issues for {@code call} without approvals (which it refuses) */
  private ApprovalRequest requestFor(Runnable call) {
    QuorumRequiredException e = assertThrows(QuorumRequiredException.class, call::run);
    assertEquals(2, e.threshold());
    return e.request();
  }

  private static List<Approval> approve(ApprovalRequest r, CustodianKey... by) {
    List<Approval> out = new java.util.ArrayList<>();
    for (CustodianKey c : by) {
      out.add(Approval.parse(Approval.sign(r, c).format())); // through the file format, as custodians hand them
    }
    return out;
  }

  private static void with(List<Approval> a, Runnable r) {
    Approvals.with(a, () -> {
      r.run();
      return null;
    });
  }

  private QuorumException refused(QuorumException.Kind kind, List<Approval> a, Runnable r) {
    int before = records();
    QuorumException e = assertThrows(QuorumException.class, () -> with(a, r));
    assertEquals(kind, e.kind(), e.getMessage());
    assertEquals(before, records(), "nothing is recorded for a refused operation");
    return e;
  }

  @Test
  void quorumSetting_refusesMBelowTwo_MAboveN_andACustodianTwice() {
    var keys = List.of(c1.publicKey(), c2.publicKey());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CustodianQuorum.of(1, keys)).getMessage()
        .contains("M >= 2"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CustodianQuorum.of(3, keys)).getMessage()
        .contains("must not exceed N"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CustodianQuorum.of(2, List.of(c1.publicKey(), c1.publicKey()))).getMessage().contains("twice"));
  }

  @Test
  void enablingTheQuorum_isAudited_andSurvivesTheMetadataCodec() {
    AuditEvent e = ring.auditLog().events().get(records() - 1);
    assertEquals("store-quorum", e.action());
    assertEquals("none", e.details().get("old.quorum"));
    assertTrue(e.details().get("new.quorum").startsWith("2-of-3:" + c1.id()));
    assertEquals(2, ring.quorum().orElseThrow().threshold());
  }

  @Test
  void destroyNow_withoutApprovals_isRefusedWithTheRequest_andNothingChanges() {
    int before = records();
    ApprovalRequest r = requestFor(() -> ring.destroyNow(KeyRef.of("k", 1), false));
    assertEquals("destroy-now", r.operation());
    assertEquals("k#1", r.key());
    assertEquals("false", r.params().get("force"));
    assertEquals(ring.storeId(), r.store());
    assertEquals(KeyState.DEPRECATED, state("k", 1));
    assertEquals(before, records());
  }

  @Test
  void destroyNow_withTwoCustodiansApprovals_acts_andTheAuditNamesThemAndTheRequestDigest() {
    ApprovalRequest r = requestFor(() -> ring.destroyNow(KeyRef.of("k", 1), false));
    with(approve(r, c1, c3), () -> ring.destroyNow(KeyRef.of("k", 1), false));
    assertEquals(KeyState.DESTROYED, state("k", 1));
    AuditEvent q = ring.auditLog().events().stream().filter(e -> e.action().equals("quorum-approval")).findFirst()
        .orElseThrow();
    assertEquals("k#1", q.key());
    assertEquals("destroy-now", q.details().get("operation"));
    assertEquals(r.digest(), q.details().get("request"));
    assertEquals(c1.id() + "," + c3.id(), q.details().get("custodians"));
  }

  @Test
  void aReplayedApproval_isRefused() {
    Runnable schedule = () -> ring.scheduleDestruction(KeyRef.of("k", 1), Duration.ofDays(30));
    List<Approval> a = approve(requestFor(schedule), c1, c2);
    with(a, schedule);
    ring.cancelDestruction("k");
    refused(QuorumException.Kind.REPLAYED, a, schedule);
    assertEquals(KeyState.DEPRECATED, state("k", 1));
  }

  @Test
  void anExpiredApproval_isRefused() {
    Runnable destroy = () -> ring.destroyNow(KeyRef.of("k", 1), false);
    List<Approval> a = approve(requestFor(destroy), c1, c2);
    clock.advance(QuorumGuard.TTL.plusSeconds(1));
    refused(QuorumException.Kind.EXPIRED, a, destroy);
    assertEquals(KeyState.DEPRECATED, state("k", 1));
  }

  @Test
  void anApprovalForAnotherKeyOrOtherParameters_isRefused() {
    List<Approval> forOther = approve(requestFor(() -> ring.destroyNow(KeyRef.of("other"), true)), c1, c2);
    refused(QuorumException.Kind.WRONG_OPERATION, forOther, () -> ring.destroyNow(KeyRef.of("k", 1), true));
    List<Approval> thirtyDays = approve(requestFor(() -> ring.scheduleDestruction(KeyRef.of("k", 1),
        Duration.ofDays(30))), c1, c2);
    refused(QuorumException.Kind.WRONG_OPERATION, thirtyDays,
        () -> ring.scheduleDestruction(KeyRef.of("k", 1), Duration.ofDays(8)));
    refused(QuorumException.Kind.WRONG_OPERATION, thirtyDays, () -> ring.destroyNow(KeyRef.of("k", 1), false));
    assertEquals(KeyState.DEPRECATED, state("k", 1));
  }

  @Test
  void oneCustodianTwice_fewerThanM_anUnknownCustodian_andMixedRequests_areRefused() {
    Runnable destroy = () -> ring.destroyNow(KeyRef.of("k", 1), false);
    ApprovalRequest r = requestFor(destroy);
    refused(QuorumException.Kind.DUPLICATE_CUSTODIAN, approve(r, c1, c1), destroy);
    refused(QuorumException.Kind.TOO_FEW, approve(r, c2), destroy);
    refused(QuorumException.Kind.UNKNOWN_CUSTODIAN, approve(r, c1, outsider), destroy);
    ApprovalRequest r2 = requestFor(destroy);
    List<Approval> mixed = List.of(approve(r, c1).get(0), approve(r2, c2).get(0));
    refused(QuorumException.Kind.MIXED_REQUESTS, mixed, destroy);
    assertEquals(KeyState.DEPRECATED, state("k", 1));
    with(approve(r, c2, c3), destroy); // the refusals used nothing up
    assertEquals(KeyState.DESTROYED, state("k", 1));
  }

  @Test
  void anEditedApproval_failsItsSignature() {
    ApprovalRequest forK1 = requestFor(() -> ring.destroyNow(KeyRef.of("k", 1), false));
    List<Approval> edited = new java.util.ArrayList<>();
    for (Approval a : approve(forK1, c1, c2)) {
      edited.add(Approval.parse(a.format().replace("key: k#1\n", "key: k#2\n")
          .replace("param.force: false\n", "param.force: true\n")));
    }
    refused(QuorumException.Kind.BAD_SIGNATURE, edited, () -> ring.destroyNow(KeyRef.of("k", 2), true));
    assertEquals(KeyState.ACTIVE, state("k", 2));
  }

  @Test
  void export_needsTheQuorum() {
    ring.create("x", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
    ApprovalRequest r = requestFor(() -> ring.exportKey(KeyRef.of("x")));
    assertEquals("export", r.operation());
    assertEquals("x#1", r.key());
    byte[] raw = Approvals.with(approve(r, c1, c2), () -> ring.exportKey(KeyRef.of("x")));
    assertEquals(32, raw.length);
  }

  @Test
  void decryptingUnderACompromisedVersion_needsTheQuorum() {
    byte[] env = ring.encrypt("k", "secret".getBytes(), null);
    ring.markCompromised(KeyRef.of("k", 2), "leak");
    Supplier<byte[]> rescue = () -> ring.decrypt(env, null, true);
    ApprovalRequest r = requestFor(rescue::get);
    assertEquals("decrypt-compromised", r.operation());
    assertEquals("k#2", r.key());
    assertArrayEquals("secret".getBytes(), Approvals.with(approve(r, c2, c3), rescue));
  }

  @Test
  void loweringAPolicy_needsTheQuorum_raisingItDoesNot() {
    ring.updatePolicy("k", ring.find("k").get().policy().toBuilder().deletionProtection(true).build(), false);
    KeyPolicy off = ring.find("k").get().policy().toBuilder().deletionProtection(false).build();
    ApprovalRequest r = requestFor(() -> ring.updatePolicy("k", off, false));
    assertEquals("policy", r.operation());
    assertEquals("false", r.params().get("new.deletionProtection"));
    assertTrue(ring.find("k").get().policy().deletionProtection());
    KeyPolicy keepOne = ring.find("k").get().policy().toBuilder().keepVersions(1).build();
    refused(QuorumException.Kind.WRONG_OPERATION, approve(r, c1, c2), () -> ring.updatePolicy("k", keepOne, false));
    assertEquals(0, ring.find("k").get().policy().keepVersions());
    with(approve(r, c1, c2), () -> ring.updatePolicy("k", off, false));
    assertFalse(ring.find("k").get().policy().deletionProtection());
  }

  @Test
  void changingOrRemovingTheQuorum_andLoweringTheMinimumWindow_needTheQuorum() {
    assertThrows(QuorumRequiredException.class, () -> ring.setQuorum(null));
    assertThrows(QuorumRequiredException.class,
        () -> ring.setQuorum(CustodianQuorum.of(2, List.of(c1.publicKey(), outsider.publicKey()))));
    assertThrows(QuorumRequiredException.class, () -> ring.setMinimumDeletionWindow(Duration.ofDays(1), true));
    assertTrue(ring.quorum().isPresent());
    ring.setMinimumDeletionWindow(Duration.ofDays(9), false); // raising needs nothing
    ApprovalRequest r = requestFor(() -> ring.setQuorum(null));
    with(approve(r, c1, c2), () -> ring.setQuorum(null));
    assertTrue(ring.quorum().isEmpty());
    ring.destroyNow(KeyRef.of("other"), true); // no quorum: the guards of before
  }

  @Test
  void withoutApprovals_aStoreWithoutQuorum_actsAsBefore() {
    KeyringEngine plain = new KeyringEngine(FileKeyBackend.inMemory(TestStores.FAST_KDF), clock, Duration.ZERO);
    try {
      plain.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      plain.destroyNow(KeyRef.of("k"), true);
      assertEquals(KeyState.DESTROYED, plain.find("k").get().version(1).get().state());
    } finally {
      plain.close();
    }
  }

  @Test
  void theQuorumAndTheUsedNonces_persist_soAReplayAfterReopeningIsRefused(@TempDir Path dir) {
    Path f = dir.resolve("q.store");
    List<Approval> a;
    try (Keyring k = TestStores.open(f)) {
      k.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      k.setQuorum(CustodianQuorum.of(2, List.of(c1.publicKey(), c2.publicKey())));
      Runnable schedule = () -> k.scheduleDestruction(KeyRef.of("k"), Duration.ofDays(30), false);
      a = approve(assertThrows(QuorumRequiredException.class, schedule::run).request(), c1, c2);
      with(a, schedule);
      k.cancelDestruction("k");
    }
    try (Keyring k = TestStores.open(f)) {
      assertEquals(2, k.quorum().orElseThrow().threshold());
      QuorumException e = assertThrows(QuorumException.class,
          () -> with(a, () -> k.scheduleDestruction(KeyRef.of("k"), Duration.ofDays(30), false)));
      assertEquals(QuorumException.Kind.REPLAYED, e.kind());
    }
  }

  @Test
  void storeWideAuditDecrypts_recordsEveryDecryptionOfEveryProcess_andOffNeedsForceOrTheQuorum(@TempDir Path dir) {
    Path f = dir.resolve("a.store");
    byte[] env;
    try (Keyring k = TestStores.open(f)) {
      k.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      env = k.encrypt("k", "x".getBytes(), null);
      k.setStoreAuditDecrypts(true, false);
    }
    try (Keyring k = TestStores.open(f)) { // opened without auditDecrypts: the store's setting counts
      assertTrue(k.storeAuditsDecrypts());
      k.decrypt(env, null);
      k.decrypt(env, null);
      assertEquals(2, k.auditLog().events().stream().filter(e -> e.action().equals("decrypt")).count());
      assertThrows(IllegalStateException.class, () -> k.setStoreAuditDecrypts(false, false));
      k.setQuorum(CustodianQuorum.of(2, List.of(c1.publicKey(), c2.publicKey())));
      assertThrows(QuorumRequiredException.class, () -> k.setStoreAuditDecrypts(false, true));
      assertTrue(k.storeAuditsDecrypts());
    }
  }
}
