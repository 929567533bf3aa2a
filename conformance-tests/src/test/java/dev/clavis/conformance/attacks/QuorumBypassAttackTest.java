package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.Approval;
import dev.clavis.keyring.ApprovalRequest;
import dev.clavis.keyring.CustodianKey;
import dev.clavis.keyring.CustodianQuorum;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: get a destruction past a store's dual control without M fresh approvals of exactly that
 * operation — drop the quorum by copying back the store from before it, edit the store's bytes,
 * replay approvals that were used, carry approvals to a copy-free other store with the same key
 * names and custodians, or edit an approval to another operation. The CLI runs as separate processes.
 */
class QuorumBypassAttackTest {

  static final String PW = "quorum-attack-password";

  @TempDir Path dir;
  Path store;
  CustodianKey c1 = CustodianKey.generate();
  CustodianKey c2 = CustodianKey.generate();

  @BeforeEach
  void init() throws Exception {
    store = dir.resolve("q.store");
    ok(cli(store, "init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf"));
    ok(cli(store, "create", "k"));
    ok(cli(store, "rotate", "k"));
    Files.writeString(dir.resolve("c1.pub"), CustodianQuorum.formatPublicKey(c1.publicKey()));
    Files.writeString(dir.resolve("c2.pub"), CustodianQuorum.formatPublicKey(c2.publicKey()));
  }

  private Processes.Result cli(Path s, String... args) throws Exception {
    String[] a = new String[args.length + 2];
    a[0] = "--store";
    a[1] = s.toString();
    System.arraycopy(args, 0, a, 2, args.length);
    return Processes.cli(dir, PW, a);
  }

  private static void ok(Processes.Result r) {
    assertEquals(0, r.exit(), r.toString());
  }

  private void requireQuorum(Path s) throws Exception {
    ok(cli(s, "store-policy", "--require-quorum", "2", "--custodians", "c1.pub,c2.pub"));
  }

  private KeyState state(Path s, int v) {
    try (Keyring k = Keyrings.openFile(s, PW.toCharArray())) {
      return k.find("k").orElseThrow().version(v).orElseThrow().state();
    }
  }

  /** Has the refused command write its request, and both custodians approve it; returns the approval files. */
  private String approvals(Path s, String name, String... command) throws Exception {
    Path req = dir.resolve(name + ".req");
    String[] c = java.util.Arrays.copyOf(command, command.length + 2);
    c[command.length] = "--approval-request";
    c[command.length + 1] = req.toString();
    assertEquals(1, cli(s, c).exit());
    ApprovalRequest r = ApprovalRequest.parse(Files.readString(req));
    Files.writeString(dir.resolve(name + ".a1"), Approval.sign(r, c1).format());
    Files.writeString(dir.resolve(name + ".a2"), Approval.sign(r, c2).format());
    return dir.resolve(name + ".a1") + "," + dir.resolve(name + ".a2");
  }

  @Test
  void droppingTheQuorum_byCopyingBackTheStoreFromBeforeIt_isRefusedAsARollback() throws Exception {
    byte[] before = Files.readAllBytes(store);
    requireQuorum(store);
    byte[] guarded = Files.readAllBytes(store);
    Files.write(store, before);
    Processes.Result r = cli(store, "destroy", "k#1", "--now");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.output().contains("rolled back"), r.toString());
    Files.write(store, guarded);
    assertEquals(KeyState.DEPRECATED, state(store, 1));
  }

  @Test
  void editingTheStoresBytes_toDropTheSetting_isRefusedAsDamage() throws Exception {
    requireQuorum(store);
    byte[] guarded = Files.readAllBytes(store);
    for (int off : new int[] {guarded.length - 40, guarded.length / 2}) {
      byte[] edited = guarded.clone();
      edited[off] ^= 0x01;
      Files.write(store, edited);
      Processes.Result r = cli(store, "destroy", "k#1", "--now");
      assertNotEquals(0, r.exit(), r.toString());
      assertFalse(r.output().contains("destroyed"), r.toString());
    }
    Files.write(store, guarded);
    assertEquals(KeyState.DEPRECATED, state(store, 1));
  }

  @Test
  void approvalsUsedOnce_areRefusedTheSecondTime() throws Exception {
    requireQuorum(store);
    String a = approvals(store, "sched", "destroy", "k#1", "--after", "30d");
    ok(cli(store, "destroy", "k#1", "--after", "30d", "--approvals", a));
    ok(cli(store, "cancel-destroy", "k"));
    Processes.Result replay = cli(store, "destroy", "k#1", "--after", "30d", "--approvals", a);
    assertEquals(1, replay.exit(), replay.toString());
    assertTrue(replay.output().contains("used already"), replay.toString());
    assertEquals(KeyState.DEPRECATED, state(store, 1));
  }

  @Test
  void approvalsOfOneStore_doNotCountInAnotherWithTheSameKeysAndCustodians() throws Exception {
    Path other = dir.resolve("other.store");
    ok(cli(other, "init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf"));
    ok(cli(other, "create", "k"));
    ok(cli(other, "rotate", "k"));
    requireQuorum(store);
    requireQuorum(other);
    String a = approvals(store, "mine", "destroy", "k#1", "--now");
    Processes.Result r = cli(other, "destroy", "k#1", "--now", "--approvals", a);
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.output().contains("in another store"), r.toString());
    assertEquals(KeyState.DEPRECATED, state(other, 1));
  }

  @Test
  void anApprovalEditedToAnotherKey_failsItsSignature() throws Exception {
    requireQuorum(store);
    String a = approvals(store, "one", "destroy", "k#1", "--now");
    StringBuilder edited = new StringBuilder();
    for (String f : a.split(",")) {
      Path e = Path.of(f + ".edited");
      Files.writeString(e, Files.readString(Path.of(f), StandardCharsets.UTF_8)
          .replace("key: k#1\n", "key: k#2\n").replace("param.force: false", "param.force: true"));
      edited.append(edited.length() == 0 ? "" : ",").append(e);
    }
    Processes.Result r = cli(store, "destroy", "k#2", "--now", "--force", "--approvals", edited.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.output().contains("does not verify"), r.toString());
    assertEquals(KeyState.ACTIVE, state(store, 2));
  }
}
