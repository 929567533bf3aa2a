package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keytool against a concurrent writer, all real processes: keytool (JDK, {@code -providerclass}
 * Clavis) waits on its stdin, which the test holds, between loading the store and changing it;
 * meanwhile the clavis CLI rotates a key of the same store. Nothing acknowledged may be lost:
 * either keytool's change lands on top with the rotation intact, or keytool refuses, saying so,
 * and writes nothing. {@code clavis audit --verify} passes afterwards and shows keytool's changes.
 */
class KeytoolRaceAttackTest {

  private static final String PW = "store-password-1";
  private static final String[] S = {"-keystore", "keys.clavis", "-storetype", "Clavis", "-storepass", PW};

  @TempDir Path dir;

  @BeforeEach
  void storeWithKeyA() throws Exception {
    Processes.Result init = Processes.cli(dir, PW, "init", "--store", "keys.clavis", "--kdf", "argon2id:t=2,m=19456,p=1");
    assertEquals(0, init.exit(), init::toString);
    Processes.Result a = Processes.cli(dir, PW, "--store", "keys.clavis", "create", "a");
    assertEquals(0, a.exit(), a::toString);
  }

  private static String[] with(String[] head, String... tail) {
    String[] r = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, r, head.length, tail.length);
    return r;
  }

  private Processes.Result cli(String... args) throws Exception {
    return Processes.cli(dir, PW, with(new String[] {"--store", "keys.clavis"}, args));
  }

  private void rotateA() throws Exception {
    Processes.Result r = cli("rotate", "a");
    assertEquals(0, r.exit(), r::toString);
  }

  /** The number of versions of key {@code name} in {@code clavis list --json}. */
  private int versionsOf(String name) throws Exception {
    Processes.Result r = cli("list", "--json");
    assertEquals(0, r.exit(), r::toString);
    String json = r.output();
    int at = json.indexOf("\"name\":\"" + name + "\"");
    assertTrue(at >= 0, "no key " + name + " in " + json);
    int next = json.indexOf("\"name\":\"", at + 1);
    String part = next < 0 ? json.substring(at) : json.substring(at, next);
    Matcher m = Pattern.compile("\"version\":(\\d+)").matcher(part);
    int n = 0;
    while (m.find()) {
      n = Math.max(n, Integer.parseInt(m.group(1)));
    }
    return n;
  }

  private String auditVerifies() throws Exception {
    Processes.Result v = cli("audit", "--verify");
    assertEquals(0, v.exit(), () -> "audit --verify raised an alarm: " + v);
    Processes.Result log = cli("audit");
    assertEquals(0, log.exit(), log::toString);
    return log.output();
  }

  private static void assertRefusedClearly(Processes.Running kt, int exit) {
    assertNotEquals(0, exit, "keytool acknowledged a change made on a stale store:\n" + kt.output());
    assertTrue(kt.output().contains("changed since keytool loaded it (generation"), kt.output());
    assertTrue(kt.output().contains("nothing was written"), kt.output());
  }

  @Test
  void importpass_whileTheCliRotatesBetweenLoadAndStore_isRefused_rotationKept_auditVerifies() throws Exception {
    // without a terminal keytool prompts for nothing: the provider's verbose line marks the load
    Processes.Running kt = Processes.keytool(dir, with(new String[] {"-importpass", "-alias", "dbpass", "-keypass", PW,
        "-J-Dclavis.keystore.verbose=true"}, S)).awaitOutput("loaded at generation");
    rotateA();
    int exit = kt.type("db-password-42\ndb-password-42\n", true).exit();

    assertRefusedClearly(kt, exit);
    assertEquals(2, versionsOf("a"), "the CLI's rotation was lost");
    assertFalse(cli("list", "--json").output().contains("dbpass"));
    auditVerifies();
  }

  @Test
  void genseckey_whileTheCliRotatesBetweenLoadAndStore_isRefused_rotationKept() throws Exception {
    Processes.Running kt = Processes.keytool(dir, with(new String[] {"-genseckey", "-alias", "g", "-keyalg", "AES",
        "-keysize", "256"}, S)).awaitOutput("Enter key password for");
    rotateA();
    int exit = kt.type("\n", true).exit();

    assertRefusedClearly(kt, exit);
    assertEquals(2, versionsOf("a"), "the CLI's rotation was lost");
    auditVerifies();
  }

  @Test
  void delete_afterTheCliReplacedTheFileKeytoolHadOpen_isRefused_theNewVersionSurvives() throws Exception {
    // keytool opens the file, then asks for the alias, then reads: the CLI's rename lands in between
    Processes.Running kt = Processes.keytool(dir, with(new String[] {"-delete"}, S)).awaitOutput("Enter alias name");
    rotateA();
    int exit = kt.type("a\n", true).exit();

    assertRefusedClearly(kt, exit);
    assertEquals(2, versionsOf("a"));
    assertTrue(cli("list", "--json").output().contains("\"state\":\"ACTIVE\""), "key a was scheduled for destruction");
    auditVerifies();
  }

  @Test
  void importkeystore_whileTheCliRotates_isRefused_rotationKept() throws Exception {
    Processes.Running gen = Processes.keytool(dir, "-genseckey", "-alias", "legacy", "-keyalg", "AES", "-keysize", "128",
        "-keystore", "old.jceks", "-storetype", "JCEKS", "-storepass", PW, "-keypass", "another-key-pass");
    gen.process.getOutputStream().close();
    assertEquals(0, gen.exit(), gen.output());
    // no -srckeypass: keytool loads both stores, then asks for the JCEKS key's password
    Processes.Running kt = Processes.keytool(dir, "-importkeystore", "-noprompt", "-srckeystore", "old.jceks",
        "-srcstoretype", "JCEKS", "-srcstorepass", PW, "-destkeypass", PW, "-destkeystore", "keys.clavis",
        "-deststoretype", "Clavis", "-deststorepass", PW).awaitOutput("Enter key password for");
    rotateA();
    int exit = kt.type("another-key-pass\n", true).exit();

    assertTrue(kt.output().contains("changed since keytool loaded it (generation"), kt.output());
    assertEquals(2, versionsOf("a"), "the CLI's rotation was lost (keytool exit " + exit + ")");
    assertFalse(cli("list", "--json").output().contains("\"name\":\"legacy\""));
    auditVerifies();
  }

  @Test
  void keytoolAlone_importpassAndGenseckeyAndDelete_areInTheStoresAuditLog_whichVerifies() throws Exception {
    Processes.Running ip = Processes.keytool(dir, with(new String[] {"-importpass", "-alias", "dbpass", "-keypass", PW}, S));
    assertEquals(0, ip.type("db-password-42\ndb-password-42\n", true).exit(), ip.output());
    Processes.Running gk = Processes.keytool(dir, with(new String[] {"-genseckey", "-alias", "g", "-keyalg", "AES",
        "-keysize", "256", "-keypass", PW}, S));
    gk.process.getOutputStream().close();
    assertEquals(0, gk.exit(), gk.output());
    Processes.Running del = Processes.keytool(dir, with(new String[] {"-delete", "-alias", "g"}, S));
    del.process.getOutputStream().close();
    assertEquals(0, del.exit(), del.output());

    String log = auditVerifies();
    assertTrue(log.contains("dbpass#1"), log);
    assertTrue(log.contains("g#1"), log);
    assertTrue(log.contains("schedule-destruction") || log.contains("destroy"), log);
  }

  @Test
  void afterStoreReturned_aThirdWriterWaitsForTheProcessToExit_soTheRewriteLosesNothing() throws Exception {
    Processes.Running worker = Processes.startJava(dir, Map.of(), KeytoolLikeWorker.class.getName(),
        dir.resolve("keys.clavis").toString(), PW, "w").awaitOutput("STORED");
    Processes.Running rotate = Processes.startCli(dir, PW, "--store", "keys.clavis", "rotate", "a");
    rotate.process.getOutputStream().close();
    Thread.sleep(2_000);
    assertTrue(rotate.process.isAlive(), "the CLI committed while keytool still had to rewrite the file:\n"
        + rotate.output());
    assertEquals(0, worker.type("go\n", true).exit(), worker.output());
    assertEquals(0, rotate.exit(), rotate.output());

    assertEquals(2, versionsOf("a"), "keytool's rewrite undid the CLI's rotation");
    assertTrue(cli("list", "--json").output().contains("\"name\":\"w\""), "keytool's change was lost");
    String log = auditVerifies();
    assertTrue(log.contains("w#1"), log);
  }

  @Test
  void keytoolsRewriteCutShort_theCommittedStoreIsRestoredAtExit() throws Exception {
    Processes.Running worker = Processes.startJava(dir, Map.of(), KeytoolLikeWorker.class.getName(),
        dir.resolve("keys.clavis").toString(), PW, "w", "partial").awaitOutput("STORED");
    assertEquals(0, worker.type("go\n", true).exit(), worker.output());
    assertTrue(worker.output().contains("the committed store was restored"), worker.output());

    assertTrue(cli("list", "--json").output().contains("\"name\":\"w\""), "keytool's change was lost");
    assertEquals(1, versionsOf("a"));
    auditVerifies();
  }

  @Test
  void liveNonePath_providerargNamesTheStore_genseckeyListAndDelete_audited() throws Exception {
    Files.writeString(dir.resolve("store.conf"), "store = keys.clavis\n");
    String[] none = {"-keystore", "NONE", "-storetype", "Clavis", "-storepass", PW};
    Processes.Running gk = Processes.keytool(dir, with(with(new String[] {"-genseckey", "-alias", "live", "-keyalg",
        "HmacSHA256", "-keysize", "256", "-keypass", PW}, none), "-providerarg", "store.conf"));
    gk.process.getOutputStream().close();
    assertEquals(0, gk.exit(), gk.output());
    Processes.Running list = Processes.keytool(dir, with(with(new String[] {"-list"}, none), "-providerarg", "store.conf"));
    list.process.getOutputStream().close();
    assertEquals(0, list.exit(), list.output());
    assertTrue(list.output().contains("live") && list.output().contains("a,"), list.output());

    assertTrue(cli("list", "--json").output().contains("\"name\":\"live\""));
    assertTrue(auditVerifies().contains("live#1"));
  }

  @Test
  void liveNonePath_racingTheCli_losesNothing() throws Exception {
    Files.writeString(dir.resolve("store.conf"), "store = keys.clavis\n");
    Processes.Running kt = Processes.keytool(dir, "-importpass", "-alias", "dbpass", "-keypass", PW, "-keystore", "NONE",
        "-storetype", "Clavis", "-storepass", PW, "-J-Dclavis.keystore.verbose=true", "-providerarg", "store.conf")
        .awaitOutput("opened live");
    rotateA();
    assertEquals(0, kt.type("db-password-42\ndb-password-42\n", true).exit(), kt.output());
    assertEquals(2, versionsOf("a"));
    assertTrue(cli("list", "--json").output().contains("\"name\":\"dbpass\""));
    auditVerifies();
  }

  @Test
  void keytoolOnAMissingStoreFile_isRefusedNamingTheWay_andCreatesNothing() throws Exception {
    Processes.Running kt = Processes.keytool(dir, "-genseckey", "-alias", "x", "-keyalg", "AES", "-keysize", "128",
        "-keypass", PW, "-keystore", "typo.clavis", "-storetype", "Clavis", "-storepass", PW);
    kt.process.getOutputStream().close();
    assertNotEquals(0, kt.exit(), kt.output());
    assertTrue(kt.output().contains("clavis init"), kt.output());
    assertFalse(Files.exists(dir.resolve("typo.clavis")));
  }
}
