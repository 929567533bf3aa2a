package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy}, {@code label}, {@code store-policy}, the metadata of {@code create}, the
 * deletion guards of {@code destroy}, {@code list --all} and {@code rotate --due}, driven as an
 * operator drives them: the CLI jar in a child JVM per command.
 */
class PolicyCommandsTest {

  private static final String PASSWORD = "policy commands pw";

  @TempDir Path dir;

  private CliProcess.Result run(String... args) {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD)).run(null, args);
  }

  private String ok(String... args) {
    CliProcess.Result r = run(args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    return r.out();
  }

  private String error(int code, String... args) {
    CliProcess.Result r = run(args);
    assertEquals(code, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    assertFalse(r.stderr.contains("\tat "), r::toString);
    return r.stderr.strip();
  }

  @BeforeEach
  void init() {
    ok("init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf"); // these tests run the CLI, not the KDF
  }

  @Test
  void policy_changesALiveKey_printsAndAuditsOldAndNewValues_andProtectionThenRefusesDestroy() {
    ok("create", "k");
    String out = ok("policy", "k", "--rotation-period", "30d", "--usage-limit", "100", "--keep-versions", "2",
        "--deletion-protection", "on");
    assertTrue(out.contains("policy of k: rotationPeriod null -> 30d") && out.contains("usageLimit null -> 100")
        && out.contains("deletionProtection false -> true"), out);
    String show = ok("show", "k", "--json");
    assertTrue(show.contains("\"deletionProtection\":true") && show.contains("\"keepVersions\":2")
        && show.contains("\"nextRotation\":\"20"), show);
    String audit = ok("audit");
    assertTrue(audit.contains("policy") && audit.contains("old.rotationPeriod=none")
        && audit.contains("new.rotationPeriod=PT720H"), audit);
    String refused = error(CliException.FAILURE, "destroy", "k", "--now", "--force");
    assertTrue(refused.contains("deletion protection on") && refused.contains("--deletion-protection off"), refused);
    assertTrue(ok("show", "k", "--json").contains("\"state\":\"ACTIVE\""));
  }

  @Test
  void policy_badInput_isAClearError_andChangesNothing() {
    ok("create", "k");
    ok("rotate", "k");
    String before = ok("show", "k", "--json");
    assertTrue(error(CliException.FAILURE, "policy", "nope", "--usage-limit", "5").contains("nope"));
    assertTrue(error(CliException.USAGE, "policy", "k", "--usage-limit", "-1").contains("usage limit"));
    assertTrue(error(CliException.USAGE, "policy", "k", "--no-such-option", "1").contains("--no-such-option"));
    assertTrue(error(CliException.FAILURE, "policy", "k", "--deletion-window", "1s")
        .contains("minimum deletion window of 7d"));
    assertTrue(error(CliException.FAILURE, "policy", "k", "--exportable", "on").contains("exportab"));
    String floor = error(CliException.FAILURE, "policy", "k", "--min-decryption-version", "2");
    assertTrue(floor.contains("--force"), floor);
    assertEquals(before, ok("show", "k", "--json"), "nothing changed");
    assertTrue(ok("policy", "k", "--min-decryption-version", "2", "--force").contains("minDecryptionVersion null -> 2"));
  }

  @Test
  void create_withMetadata_showsItInShowAndList_andLabelChangesIt() {
    ok("create", "k", "--purpose", "card numbers", "--description", "PAN column", "--tag", "team=payments",
        "--tag", "env=prod", "--protect");
    String show = ok("show", "k", "--json");
    assertTrue(show.contains("\"purpose\":\"card numbers\"") && show.contains("\"description\":\"PAN column\"")
        && show.contains("\"tags\":{\"env\":\"prod\",\"team\":\"payments\"}") && show.contains("\"source\":\"cli\"")
        && show.contains("\"deletionProtection\":true") && show.contains("\"nextRotation\":null"), show);
    assertTrue(ok("list", "--json").contains("\"purpose\":\"card numbers\""));
    ok("label", "k", "--purpose", "tokens", "--untag", "env", "--tag", "owner=ops");
    show = ok("show", "k", "--json");
    assertTrue(show.contains("\"purpose\":\"tokens\"") && show.contains("\"tags\":{\"owner\":\"ops\",\"team\":\"payments\"}"),
        show);
    assertTrue(error(CliException.USAGE, "create", "j", "--tag", "novalue").contains("K=V"));
  }

  @Test
  void destroyGuards_minimumWindow_encryptingVersion_listMarks_andCreateReplace() {
    ok("create", "a");
    ok("rotate", "a");
    String shortWindow = error(CliException.FAILURE, "destroy", "a#1", "--after", "1s");
    assertTrue(shortWindow.contains("after 1s") && shortWindow.contains("minimum deletion window of 7d")
        && shortWindow.contains("--force"), shortWindow);
    ok("destroy", "a#1");
    String list = ok("list");
    assertTrue(list.contains("[pending destruction at 20"), list);
    ok("create", "b");
    String now = error(CliException.FAILURE, "destroy", "b", "--now");
    assertTrue(now.contains("ACTIVE") && now.contains("may still encrypt") && now.contains("--force"), now);
    ok("destroy", "b", "--now", "--force");
    ok("create", "c");
    ok("destroy", "c", "--after", "1h", "--force");
    assertFalse(ok("list").contains("b "), "a destroyed key is not listed");
    String all = ok("list", "--all");
    assertTrue(all.contains("[DESTROYED]") && all.contains("[PENDING_DESTRUCTION at 20"), all);
    assertTrue(ok("list", "--all", "--json").contains("\"name\":\"b\"")
        && ok("list", "--all", "--json").contains("\"state\":\"DESTROYED\""));
    String reuse = error(CliException.FAILURE, "create", "b");
    assertTrue(reuse.contains("destroyed") && reuse.contains("create b --replace"), reuse);
    assertTrue(ok("create", "b", "--replace").contains("b#2"));
  }

  @Test
  void storePolicy_lowersTheMinimumOnlyWithForce_andThenShortWindowsPass() {
    assertTrue(error(CliException.FAILURE, "store-policy", "--min-deletion-window", "1h").contains("--force"));
    assertTrue(ok("store-policy", "--min-deletion-window", "1h", "--force").contains("7d -> 1h"));
    ok("create", "k", "--deletion-window", "1h");
    assertTrue(ok("destroy", "k", "--after", "2h").contains("PENDING_DESTRUCTION"));
  }

  @Test
  void rotateDue_rotatesEveryDueKey_printingEach_andOnlyThose() throws Exception {
    ok("create", "due", "--rotation-period", "1s");
    ok("create", "later", "--rotation-period", "30d");
    ok("create", "never");
    Thread.sleep(1500);
    String out = ok("rotate", "--due");
    assertTrue(out.contains("rotated due: due#2 ACTIVE"), out);
    assertFalse(out.contains("later") || out.contains("never"), out);
    assertTrue(error(CliException.USAGE, "rotate", "due", "--due").contains("--due"));
    Thread.sleep(1100); // due#2's period (1s) must pass whatever the speed of the commands above
    assertTrue(ok("rotate", "--due", "--json").startsWith("[{\"name\":\"due\",\"version\":3"),
        "due#2 is older than 1s by now as well");
  }
}
