package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dual control from the command line, each command the CLI jar in its own JVM: custodians make
 * keys, the store registers them, a dangerous command refused writes its request, custodians
 * approve it, the command runs with the approvals; and the store-wide decryption audit.
 */
class QuorumCommandsTest {

  private static final String PASSWORD = "quorum commands pw";

  @TempDir Path dir;

  private CliProcess.Result run(byte[] in, String... args) {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD)).run(in, args);
  }

  private String ok(String... args) {
    CliProcess.Result r = run(null, args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    return r.out();
  }

  private String error(int code, String... args) {
    CliProcess.Result r = run(null, args);
    assertEquals(code, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    assertFalse(r.stderr.contains("\tat "), r::toString);
    return r.stderr.strip();
  }

  @BeforeEach
  void init() throws IOException {
    ok("init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf");
    ok("create", "k");
    ok("rotate", "k");
    for (int i = 1; i <= 3; i++) {
      Files.writeString(dir.resolve("pw" + i), "custodian passphrase " + i + "\n");
      ok("custodian-key", "--out", "c" + i + ".key", "--public-out", "c" + i + ".pub", "--passphrase-file", "pw" + i,
          "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf");
    }
  }

  private void approve(String request, int custodian, String out) {
    String r = ok("approve", "--request", request, "--custodian-key", "c" + custodian + ".key", "--out", out,
        "--passphrase-file", "pw" + custodian);
    assertTrue(r.contains("approved"), r);
  }

  @Test
  void theQuorum_isValidated_registered_audited_andGuardsDestroy() throws IOException {
    assertTrue(error(CliException.USAGE, "store-policy", "--require-quorum", "1", "--custodians", "c1.pub,c2.pub")
        .contains("M >= 2"));
    assertTrue(error(CliException.USAGE, "store-policy", "--require-quorum", "3", "--custodians", "c1.pub,c2.pub")
        .contains("must not exceed N"));
    assertTrue(error(CliException.USAGE, "store-policy", "--require-quorum", "2", "--custodians", "c1.pub,c1.pub")
        .contains("twice"));
    assertTrue(error(CliException.USAGE, "store-policy", "--require-quorum", "2", "--custodians", "c1.key,c2.pub")
        .contains("not a Clavis custodian public key"));
    assertTrue(ok("store-policy", "--require-quorum", "2", "--custodians", "c1.pub,c2.pub,c3.pub")
        .contains("quorum 2 of 3"));
    assertTrue(ok("audit").contains("store-quorum"));

    String refused = error(CliException.FAILURE, "destroy", "k#1", "--now", "--approval-request", "req");
    assertTrue(refused.contains("needs the approval of 2 of the 3 custodians") && refused.contains("req"), refused);
    assertTrue(Files.readString(dir.resolve("req")).contains("operation: destroy-now\nkey: k#1\n"));
    approve("req", 1, "a1");
    approve("req", 3, "a3");
    assertTrue(error(CliException.FAILURE, "destroy", "k#1", "--now", "--approvals", "a1,a1")
        .contains("approved twice"));
    assertTrue(error(CliException.FAILURE, "destroy", "k#1", "--now", "--approvals", "a1").contains("1 given"));
    assertTrue(error(CliException.FAILURE, "destroy", "k#2", "--now", "--force", "--approvals", "a1,a3")
        .contains("not destroy-now of k#2"));
    assertTrue(ok("show", "k", "--json").contains("\"state\":\"DEPRECATED\""), "nothing changed");
    ok("destroy", "k#1", "--now", "--approvals", "a1,a3");
    assertTrue(ok("show", "k", "--json").contains("\"state\":\"DESTROYED\""));
    String audit = ok("audit", "--json");
    assertTrue(audit.contains("\"action\":\"quorum-approval\",\"key\":\"k#1\"") && audit.contains("\"custodians\":"),
        audit);
    ok("audit", "--verify");
  }

  @Test
  void anApproval_countsOnce_andAnEditedOrForeignOneIsRefused() throws IOException {
    ok("store-policy", "--require-quorum", "2", "--custodians", "c1.pub,c2.pub");
    error(CliException.FAILURE, "destroy", "k#1", "--after", "30d", "--approval-request", "req");
    approve("req", 1, "a1");
    approve("req", 2, "a2");
    for (String a : new String[] {"a1", "a2"}) { // the operator edits both to destroy sooner
      Files.writeString(dir.resolve(a + ".edited"), Files.readString(dir.resolve(a)).replace("PT720H", "PT192H"));
    }
    assertTrue(error(CliException.FAILURE, "destroy", "k#1", "--after", "8d", "--approvals", "a1.edited,a2.edited")
        .contains("does not verify"));
    assertTrue(error(CliException.FAILURE, "destroy", "k#1", "--after", "8d", "--approvals", "a1,a2")
        .contains("not schedule-destroy of k#1 {after=PT192H"));
    ok("destroy", "k#1", "--after", "30d", "--approvals", "a1,a2");
    ok("cancel-destroy", "k");
    assertTrue(error(CliException.FAILURE, "destroy", "k#1", "--after", "30d", "--approvals", "a1,a2")
        .contains("used already"));
    // custodian 3 is not one of this store's
    error(CliException.FAILURE, "destroy", "k#1", "--after", "30d", "--approval-request", "req2");
    approve("req2", 1, "b1");
    approve("req2", 3, "b3");
    assertTrue(error(CliException.FAILURE, "destroy", "k#1", "--after", "30d", "--approvals", "b1,b3")
        .contains("is not a custodian of this store"));
    // a wrong passphrase opens no custodian key
    Files.writeString(dir.resolve("wrong"), "not the passphrase\n");
    assertTrue(error(CliException.FAILURE, "approve", "--request", "req2", "--custodian-key", "c2.key", "--out", "x",
        "--passphrase-file", "wrong").contains("passphrase does not open"));
    assertFalse(Files.exists(dir.resolve("x")));
    // removing the quorum needs it
    assertTrue(error(CliException.FAILURE, "store-policy", "--no-quorum").contains("needs the approval"));
  }

  @Test
  void storeAuditDecrypts_recordsTheDecryptionsOfALaterProcess_andOffNeedsForce() {
    byte[] env = run("hello".getBytes(), "encrypt", "k").stdout;
    assertTrue(ok("store-policy", "--store-audit-decrypts", "on").contains("audit every decryption on"));
    CliProcess.Result d = run(env, "decrypt");
    assertEquals(0, d.exit, d::toString);
    assertTrue(ok("audit", "--json").contains("\"action\":\"decrypt\",\"key\":\"k#2\""),
        "the later process recorded its decryption");
    assertTrue(error(CliException.FAILURE, "store-policy", "--store-audit-decrypts", "off").contains("--force"));
    assertTrue(error(CliException.USAGE, "store-policy", "--store-audit-decrypts", "maybe").contains("on or off"));
    assertTrue(ok("store-policy", "--store-audit-decrypts", "off", "--force").contains("audit every decryption off"));
  }
}
