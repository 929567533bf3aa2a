package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the lifecycle commands print and advise, driven as a user drives them (a child JVM per
 * command): each message says what happened and what actually works.
 */
class LifecycleMessagesTest {

  private static final String PASSWORD = "lifecycle messages pw";

  @TempDir Path dir;

  private CliProcess.Result run(String... args) {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD)).run(null, args);
  }

  private CliProcess.Result ok(String... args) {
    CliProcess.Result r = run(args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    return r;
  }

  private static String errorLine(CliProcess.Result r) {
    assertEquals(CliException.FAILURE, r.exit, r::toString);
    String line = r.stderr.strip().split("\n")[0];
    assertTrue(line.startsWith("clavis: error: "), r::toString);
    assertFalse(r.stderr.contains("\tat "), r::toString);
    return line;
  }

  @BeforeEach
  void init() {
    ok("init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf"); // light on purpose: these tests run the CLI, not the KDF
  }

  @Test
  void suspend_printsOnlyTheVersionsItChanged_notDestroyedOnes() {
    ok("create", "k");
    ok("rotate", "k");
    ok("destroy", "k#1", "--now");
    String out = ok("suspend", "k").out();
    assertFalse(out.contains("k#1"), "the destroyed version was not suspended: " + out);
    assertTrue(out.contains("k#2") && out.contains("SUSPENDED"), out);
  }

  @Test
  void rotateBegin_recordsTheReason() {
    ok("create", "k");
    ok("rotate", "k", "--begin", "--reason", "ceremony-7");
    String json = ok("show", "k", "--json").out();
    assertTrue(json.contains("\"reason\":\"ceremony-7\""), json);
  }

  @Test
  void resume_noteNoLongerSaysSuspended() {
    ok("create", "k");
    ok("suspend", "k", "--reason", "incident-42");
    ok("resume", "k");
    String show = ok("show", "k").out();
    assertFalse(show.contains("incident-42"), show);
    assertTrue(show.contains("ACTIVE"), show);
  }

  @Test
  void cancelDestroy_leavesNoDeactivatedTimeOnActive_andKeepsTheNotes() {
    ok("create", "k");
    ok("rotate", "k", "--reason", "yearly");
    ok("destroy", "k", "--after", "7d");
    ok("cancel-destroy", "k");
    String json = ok("show", "k", "--json").out();
    assertTrue(json.contains("{\"version\":2,\"state\":\"ACTIVE\""), json);
    String v2 = json.substring(json.indexOf("{\"version\":2"));
    assertTrue(v2.contains("\"deactivated\":null"), "ACTIVE is not deactivated: " + v2);
    String v1 = json.substring(json.indexOf("{\"version\":1"), json.indexOf("{\"version\":2"));
    assertTrue(v1.contains("\"reason\":\"rotated to #2\""), "the note survives the cancelled destruction: " + v1);
    assertFalse(json.contains("destruction cancelled"), json);
  }

  @Test
  void destroyedName_everyCommandSaysPlainlyThatCreateAndRotateDoNotReuseIt() {
    ok("create", "gone");
    ok("destroy", "gone", "--now", "--force"); // its primary may still encrypt: only forced
    for (String[] cmd : new String[][] {{"create", "gone"}, {"rotate", "gone"}, {"rotate", "gone", "--begin"},
        {"cancel-destroy", "gone"}}) {
      String line = errorLine(run(cmd));
      assertTrue(line.contains("destroyed") && line.contains("do not reuse a destroyed name") && line.contains("another name"),
          String.join(" ", cmd) + ": " + line);
      assertFalse(line.contains("rotate it") || line.contains("cancel the destruction"),
          "no circular advice from " + String.join(" ", cmd) + ": " + line);
    }
  }

  @Test
  void listJson_showsExactUsesAndReserved_afterAnEncryption() {
    ok("create", "k");
    CliProcess.Result enc = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD))
        .run("hello".getBytes(StandardCharsets.UTF_8), "encrypt", "k");
    assertEquals(0, enc.exit, enc::toString);
    String json = ok("list", "--json").out();
    assertTrue(json.contains("\"usageCount\":1,\"uses\":1,\"reserved\":0"), json);
    String show = ok("show", "k").out();
    assertTrue(show.contains("RESERVED"), show);
  }

  @Test
  void rewrap_fromACompromisedVersion_isRefusedNamingTheOption_thenMovesWithIt_audited() {
    ok("create", "k");
    byte[] env = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD))
        .run("secret rows".getBytes(StandardCharsets.UTF_8), "encrypt", "k").stdout;
    ok("rotate", "k");
    ok("compromise", "k#1");
    CliProcess cli = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD));
    String line = errorLine(cli.run(env, "rewrap"));
    assertTrue(line.contains("k#1") && line.contains("COMPROMISED") && line.contains("--allow-compromised"), line);

    CliProcess.Result moved = cli.run(env, "rewrap", "--allow-compromised");
    assertEquals(0, moved.exit, moved::toString);
    assertTrue(moved.stderr.contains("k#2"), moved::toString);
    CliProcess.Result plain = cli.run(moved.stdout, "decrypt");
    assertEquals(0, plain.exit, plain::toString);
    assertEquals("secret rows", plain.out());
    String audit = ok("audit").out();
    assertTrue(audit.contains("rewrap-compromised") && audit.contains("k#1"), audit);
  }

  @Test
  void create_legacyEncryptionAndHmacSha512_showInThePolicyAndAlgorithm() {
    ok("create", "legacy", "--legacy-encryption");
    ok("create", "tags", "--algorithm", "hmac-sha512");
    String legacy = ok("show", "legacy", "--json").out();
    assertTrue(legacy.contains("\"legacyEncryption\":true"), legacy);
    String tags = ok("show", "tags", "--json").out();
    assertTrue(tags.contains("HMAC_SHA512") && tags.contains("\"legacyEncryption\":false"), tags);
  }
}
