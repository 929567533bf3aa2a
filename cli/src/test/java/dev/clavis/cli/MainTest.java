package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line driven as a user drives it: {@code dev.clavis.cli.Main} in a child JVM, a real
 * store file in a temporary directory, the password in {@code CLAVIS_PASSWORD}.
 */
class MainTest {

  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path dir;

  private CliProcess cli() {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD));
  }

  private CliProcess.Result ok(CliProcess c, byte[] stdin, String... args) {
    CliProcess.Result r = c.run(stdin, args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    assertNoStackTrace(r);
    return r;
  }

  /** A store with the lightest Argon2id: these tests exercise the CLI, not the KDF. */
  private void init() {
    ok("init", "--kdf", "argon2id:t=1,m=8,p=1", "--allow-weak-kdf");
  }

  private CliProcess.Result ok(String... args) {
    return ok(cli(), null, args);
  }

  private static void assertNoStackTrace(CliProcess.Result r) {
    String all = r.out() + r.stderr;
    assertFalse(all.contains("\tat ") || all.contains("Exception in thread") || all.contains("Caused by:"), () -> "stack trace:\n" + r);
  }

  /** A failure: the exit code, exactly one error line, no stack trace. */
  private static void assertError(CliProcess.Result r, int exit, String... fragments) {
    assertEquals(exit, r.exit, r::toString);
    assertNoStackTrace(r);
    String[] lines = r.stderr.strip().split("\n");
    assertTrue(lines[0].startsWith("clavis: error: "), r::toString);
    long errorLines = r.stderr.lines().filter(l -> l.startsWith("clavis: error: ")).count();
    assertEquals(1, errorLines, r::toString);
    for (String f : fragments) {
      assertTrue(lines[0].contains(f), () -> "expected '" + f + "' in the error line\n" + r);
    }
  }

  private static String stateOf(String json, int version) {
    Matcher m = Pattern.compile("\\{\"version\":" + version + ",\"state\":\"([A-Z_]+)\"").matcher(json);
    assertTrue(m.find(), () -> "no version " + version + " in " + json);
    return m.group(1);
  }

  @Test
  void help_listsEveryContractCommand_exitZero() {
    CliProcess.Result r = ok("--help");
    for (String c : new String[] {"init", "create", "list", "show", "rotate", "suspend", "resume", "revoke", "compromise",
        "destroy", "cancel-destroy", "encrypt", "decrypt", "rewrap", "audit", "derive", "demo"}) {
      assertTrue(r.out().contains("  " + c + " "), () -> c + " missing from help\n" + r);
    }
    assertTrue(ok("help", "rotate").out().contains("--begin"));
  }

  @Test
  void init_default_usesArgon2idDefaults_andMigrateKdfUpgradesInPlace() {
    CliProcess.Result r = ok("init", "--store", "default.store");
    assertTrue(r.out().contains("Argon2id(t=3, m=65536 KiB, p=4)"), r::toString);
    ok("--store", "default.store", "create", "k");
    CliProcess.Result m = ok("migrate-kdf", "--kdf", "pbkdf2:i=1000", "--allow-weak-kdf", "--store", "default.store");
    assertTrue(m.out().contains("PBKDF2-HMAC-SHA256(1000 iterations)"), m::toString);
    assertTrue(ok("list", "--store", "default.store").out().contains("k"));
    assertError(cli().run("migrate-kdf", "--store", "default.store"), CliException.USAGE, "--kdf");
    assertError(cli().run("init", "--store", "x.store", "--kdf", "scrypt"), CliException.USAGE, "scrypt");
  }

  @Test
  void initCreateList_json_holdsVersionsWithState() throws Exception {
    init();
    assertTrue(Files.exists(dir.resolve("clavis.store")));
    CliProcess.Result created = ok("create", "payments", "--rotation-period", "90d", "--usage-limit", "1000", "--lifetime", "365d");
    assertTrue(created.out().contains("payments#1"), created::toString);
    ok("--store", "clavis.store", "create", "--algorithm", "HMAC-SHA256", "tokens");
    Files.write(dir.resolve("k.bin"), new byte[16]);
    assertTrue(ok("import", "byok", "--key-file", "k.bin", "--algorithm", "aes128").out().contains("byok#1"));
    assertError(cli().run("import", "short", "--key-file", "k.bin"), CliException.FAILURE); // 16 bytes are no AES-256 key

    String json = ok("list", "--json").out().strip();
    assertTrue(json.startsWith("[") && json.endsWith("]"), json);
    assertTrue(json.contains("\"name\":\"payments\""), json);
    assertTrue(json.contains("\"name\":\"tokens\""), json);
    assertTrue(json.contains("\"usageLimit\":1000"), json);
    assertTrue(json.contains("\"rotationPeriod\":\"90d\""), json);
    assertEquals("ACTIVE", stateOf(json, 1));
    assertTrue(json.contains("\"name\":\"byok\",\"algorithm\":\"AES_128\""), json);
    assertTrue(json.contains("\"origin\":\"IMPORTED\""), json);

    String table = ok("list").out();
    assertTrue(table.contains("payments") && table.contains("HMAC_SHA256"), table);
    String show = ok("show", "payments").out();
    assertTrue(show.contains("#1") && show.contains("ACTIVE"), show);
  }

  @Test
  void encryptRotateDecryptRewrap_binaryData_roundTripsAndNamesVersions() {
    init();
    ok("create", "payments");
    byte[] data = new byte[4096];
    new Random(7).nextBytes(data);
    for (int i = 0; i < 256; i++) {
      data[i] = (byte) i; // every byte value, CR, LF and NUL included
    }
    CliProcess.Result enc = ok(cli(), data, "encrypt", "payments");
    assertTrue(enc.stderr.contains("payments#1"), enc::toString);
    byte[] envelope = enc.stdout;
    assertFalse(new String(envelope, StandardCharsets.ISO_8859_1).contains(new String(data, 0, 64, StandardCharsets.ISO_8859_1)));

    assertTrue(ok("rotate", "payments").out().contains("payments#2"));
    CliProcess.Result dec = ok(cli(), envelope, "decrypt");
    assertArrayEquals(data, dec.stdout);
    assertTrue(dec.stderr.contains("payments#1"), dec::toString);

    CliProcess.Result rew = ok(cli(), envelope, "rewrap");
    assertTrue(rew.stderr.contains("payments#2"), rew::toString);
    assertArrayEquals(data, ok(cli(), rew.stdout, "decrypt").stdout);

    CliProcess.Result withAad = ok(cli(), data, "encrypt", "payments", "--aad", "order-17");
    assertArrayEquals(data, ok(cli(), withAad.stdout, "decrypt", "--aad", "order-17").stdout);
    assertError(cli().run(withAad.stdout, "decrypt", "--aad", "order-18"), CliException.FAILURE);
  }

  @Test
  void twoPhaseRotation_beginCompleteAbort_showStates() {
    init();
    ok("create", "payments");
    ok("rotate", "payments", "--begin");
    String json = ok("show", "payments", "--json").out();
    assertEquals("ROTATING", stateOf(json, 1));
    assertEquals("PRE_ACTIVE", stateOf(json, 2));
    ok("rotate", "--complete", "payments");
    json = ok("show", "payments", "--json").out();
    assertEquals("DEPRECATED", stateOf(json, 1));
    assertEquals("ACTIVE", stateOf(json, 2));
    ok("rotate", "payments", "--begin");
    ok("rotate", "payments", "--abort");
    json = ok("show", "payments", "--json").out();
    assertEquals("ACTIVE", stateOf(json, 2));
    assertError(cli().run("rotate", "payments", "--begin", "--complete"), CliException.USAGE);
  }

  @Test
  void suspendResumeRevokeCompromiseDestroy_changeStates_andRefuseUse() {
    init();
    ok("create", "payments");
    byte[] env1 = ok(cli(), "hello".getBytes(StandardCharsets.UTF_8), "encrypt", "payments").stdout;
    ok("rotate", "payments");

    ok("suspend", "payments#1", "--reason", "audit");
    assertError(cli().run(env1, "decrypt"), CliException.FAILURE, "payments", "1", "SUSPENDED");
    ok("resume", "payments#1");
    assertEquals("hello", ok(cli(), env1, "decrypt").out());

    ok("compromise", "payments#1", "--reason", "laptop lost");
    assertError(cli().run(env1, "decrypt"), CliException.FAILURE, "COMPROMISED");
    assertEquals("hello", ok(cli(), env1, "decrypt", "--allow-compromised").out());
    assertError(cli().run("compromise", "payments"), CliException.USAGE, "NAME#V");

    ok("revoke", "payments#2", "--reason", "superseded");
    String json = ok("show", "payments", "--json").out();
    assertEquals("COMPROMISED", stateOf(json, 1));
    assertEquals("REVOKED", stateOf(json, 2));
    assertTrue(json.contains("superseded"), json);

    ok("destroy", "payments#1", "--now");
    assertEquals("DESTROYED", stateOf(ok("show", "payments", "--json").out(), 1));

    ok("create", "scratch");
    assertTrue(ok("destroy", "scratch", "--after", "7d").out().contains("PENDING_DESTRUCTION"));
    assertFalse(ok("list", "--json").out().contains("\"scratch\""));
    ok("cancel-destroy", "scratch");
    assertTrue(ok("list", "--json").out().contains("\"scratch\""));
    assertError(cli().run("destroy", "scratch", "--now", "--after", "1d"), CliException.USAGE);
  }

  @Test
  void audit_verifyAndJson_recordTheChanges() {
    init();
    ok("create", "payments");
    ok("rotate", "payments");
    CliProcess.Result v = ok("audit", "--verify");
    assertTrue(v.out().contains("verified"), v::toString);
    String lines = ok("audit", "--json").out();
    assertTrue(lines.lines().count() >= 2, lines);
    assertTrue(lines.lines().allMatch(l -> l.startsWith("{") && l.endsWith("}")), lines);
    assertTrue(lines.contains("payments"), lines);
  }

  @Test
  void wrongPassword_failsWithOneLine_andLeavesStoreUntouched() throws Exception {
    init();
    ok("create", "payments");
    byte[] before = Files.readAllBytes(dir.resolve("clavis.store"));
    CliProcess wrong = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", "not the password"));
    CliProcess.Result r = wrong.run("list");
    assertError(r, CliException.FAILURE);
    assertFalse(r.stderr.contains("not the password"), r::toString);
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("clavis.store")));
  }

  @Test
  void passwordFile_isRead_andPasswordOption_isRefusedWithoutEcho() throws Exception {
    Path pw = dir.resolve("pw.txt");
    Files.writeString(pw, PASSWORD + "\n");
    CliProcess noEnv = new CliProcess(dir, Map.of());
    assertEquals(0, noEnv.run("init", "--password-file", pw.toString()).exit);
    assertEquals(0, noEnv.run("--password-file", pw.toString(), "create", "k").exit);
    assertTrue(ok("list").out().contains("k"));

    CliProcess.Result r = noEnv.run("list", "--password", "hunter2");
    assertError(r, CliException.USAGE, "never taken on the command line");
    assertFalse(r.stderr.contains("hunter2"));
    assertError(noEnv.run("list"), CliException.FAILURE, "CLAVIS_PASSWORD");
  }

  @Test
  void errors_unknownKeyBadArgumentsMissingStore_giveOneLineAndDistinctCodes() {
    assertError(cli().run("list"), CliException.FAILURE, "no store at");
    init();
    assertError(cli().run("init"), CliException.FAILURE, "never overwrites");
    assertError(cli().run("show", "nosuch"), CliException.FAILURE, "nosuch");
    assertError(cli().run(new byte[0], "encrypt", "nosuch"), CliException.FAILURE, "nosuch");
    assertError(cli().run("frobnicate"), CliException.USAGE, "frobnicate");
    assertError(cli().run("list", "--frob"), CliException.USAGE, "--frob");
    assertError(cli().run("create"), CliException.USAGE, "create NAME");
    assertError(cli().run("create", "bad name!"), CliException.USAGE, "invalid key name");
    assertError(cli().run("create", "x", "--usage-limit", "many"), CliException.USAGE, "--usage-limit");
    assertError(cli().run("create", "x", "--algorithm", "DES"), CliException.USAGE, "DES");
    assertError(cli().run("list", "--now"), CliException.USAGE, "does not apply");
    assertError(cli().run("rotate", "payments#2"), CliException.USAGE);
    assertError(cli().run(new byte[] {1, 2, 3}, "decrypt"), CliException.FAILURE);
  }

  @Test
  void derive_bip32Vector1_printsXprvXpubAndPublicKey() {
    // BIP32 test vector 1, chain m/0H/1 (https://github.com/bitcoin/bips/blob/master/bip-0032.mediawiki)
    byte[] seed = "000102030405060708090a0b0c0d0e0f\n".getBytes(StandardCharsets.US_ASCII);
    CliProcess.Result r = ok(cli(), seed, "derive", "--seed-hex", "-", "--path", "m/0H/1");
    assertTrue(r.out().contains("xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs"), r::toString);
    assertTrue(r.out().contains("xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ"), r::toString);
    String pub = java.util.HexFormat.of().formatHex(dev.clavis.hd.ExtendedPublicKey.fromBase58(
        "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ").getCompressed());
    assertTrue(r.out().contains("publicKey    " + pub), r::toString);
    CliProcess.Result fromStdin = ok(cli(), "000102030405060708090a0b0c0d0e0f\n".getBytes(StandardCharsets.US_ASCII),
        "derive", "--seed-hex", "-", "--path", "m/0'/1", "--json");
    assertTrue(fromStdin.out().contains("\"xpub\":\"xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ\""), fromStdin::toString);
    assertError(cli().run("0g".getBytes(StandardCharsets.US_ASCII), "derive", "--seed-hex", "-", "--path", "m/0"), CliException.USAGE, "hex");
    assertError(cli().run(seed, "derive", "--seed-hex", "-", "--path", "m/x"), CliException.USAGE, "cannot derive");
  }

  /** A fresh SoftHSM2 token for --hsm; fails in CI (CI set) and skips elsewhere without SoftHSM2. */
  private Map<String, String> softHsmToken() throws Exception {
    Path conf = SoftHsm.freshToken(dir, "clavis-cli", "12345678", "123456").conf();
    Files.writeString(dir.resolve("token.cfg"), "name = softhsm\nlibrary = /usr/lib/softhsm/libsofthsm2.so\n"
        + "tokenLabel = clavis-cli\npin = env:CLAVIS_PIN\n");
    return Map.of("SOFTHSM2_CONF", conf.toString(), "CLAVIS_PIN", "123456");
  }

  @Test
  void hsm_softHsmToken_createEncryptRotateDecrypt() throws Exception {
    Map<String, String> env = softHsmToken();
    CliProcess hsm = new CliProcess(dir, env);
    assertTrue(ok(hsm, null, "create", "payments", "--hsm", "token.cfg").out().contains("payments#1"));
    byte[] data = "on the token".getBytes(StandardCharsets.UTF_8);
    CliProcess.Result enc = ok(hsm, data, "--hsm", "token.cfg", "encrypt", "payments");
    assertTrue(enc.stderr.contains("payments#1"), enc::toString);
    ok(hsm, null, "rotate", "payments", "--hsm", "token.cfg");
    String json = ok(hsm, null, "list", "--json", "--hsm", "token.cfg").out();
    assertEquals("DEPRECATED", stateOf(json, 1));
    assertEquals("ACTIVE", stateOf(json, 2));
    assertArrayEquals(data, ok(hsm, enc.stdout, "decrypt", "--hsm", "token.cfg").stdout);

    java.util.HashMap<String, String> wrong = new java.util.HashMap<>(env);
    wrong.put("CLAVIS_PIN", "999999");
    CliProcess.Result r = new CliProcess(dir, wrong).run("list", "--hsm", "token.cfg");
    assertError(r, CliException.FAILURE);
    assertFalse(r.stderr.contains("999999") || r.stderr.contains("123456"), r::toString);
    assertError(hsm.run("list", "--hsm", "token.cfg", "--store", "x.store"), CliException.FAILURE, "init --store x.store --hsm");
    assertError(hsm.run("list", "--hsm", "missing.cfg"), CliException.FAILURE, "missing.cfg");
  }

  @Test
  void hsm_auditVerify_passesAfterCreateRotateRevoke_andFailsOnATamperedLog() throws Exception {
    Map<String, String> env = softHsmToken();
    CliProcess hsm = new CliProcess(dir, env);
    ok(hsm, null, "create", "payments", "--hsm", "token.cfg");
    ok(hsm, null, "rotate", "payments", "--hsm", "token.cfg");
    ok(hsm, null, "revoke", "payments#1", "--reason", "superseded", "--hsm", "token.cfg");
    CliProcess.Result v = ok(hsm, null, "audit", "--verify", "--hsm", "token.cfg");
    assertTrue(v.out().matches("(?s)audit log verified: [3-9] records.*"), v::toString);
    Path log = dir.resolve("token.cfg.audit");
    assertTrue(Files.readString(log).contains("\"revoke\""), "the log is kept beside the configuration");
    String text = Files.readString(log);
    Files.writeString(log, text.replace("\"revoke\"", "\"resume\""));
    assertError(hsm.run("audit", "--verify", "--hsm", "token.cfg"), CliException.FAILURE);
    Files.writeString(log, text.substring(0, text.lastIndexOf('{'))); // the last record cut off
    assertError(hsm.run("audit", "--verify", "--hsm", "token.cfg"), CliException.FAILURE);
  }

  @Test
  void hsm_tokenRootedStore_initCreateEncryptReopenDecrypt() throws Exception {
    Map<String, String> env = softHsmToken();
    CliProcess hsm = new CliProcess(dir, env);
    CliProcess.Result init = ok(hsm, null, "init", "--store", "rooted.store", "--hsm", "token.cfg");
    assertTrue(init.out().contains("root key on the token"), init::toString);
    byte[] header = Files.readAllBytes(dir.resolve("rooted.store"));
    assertEquals(3, header[10], "the header names the PKCS#11 token key, not a password KDF");
    assertTrue(ok(hsm, null, "create", "payments", "--store", "rooted.store", "--hsm", "token.cfg").out()
        .contains("payments#1"));
    byte[] data = "rooted in the token".getBytes(StandardCharsets.UTF_8);
    CliProcess.Result enc = ok(hsm, data, "encrypt", "payments", "--store", "rooted.store", "--hsm", "token.cfg");
    // a new process opens the store again through the token
    assertArrayEquals(data, ok(hsm, enc.stdout, "decrypt", "--store", "rooted.store", "--hsm", "token.cfg").stdout);
    assertTrue(ok(hsm, null, "list", "--store", "rooted.store", "--hsm", "token.cfg").out().contains("payments"));

    // without the token: no password opens it, and the error says what does
    java.util.HashMap<String, String> pw = new java.util.HashMap<>(env);
    pw.put("CLAVIS_PASSWORD", "anything");
    assertError(new CliProcess(dir, pw).run("list", "--store", "rooted.store"), CliException.FAILURE, "--hsm");
    // and nothing is asked: without a password source the error is the same, not a prompt
    assertError(hsm.run("list", "--store", "rooted.store"), CliException.FAILURE, "rooted in a PKCS#11 token");
    // the token's own keyring is unaffected by the root key
    assertFalse(ok(hsm, null, "list", "--hsm", "token.cfg").out().contains("clavis-root"));
    // wrong PIN
    java.util.HashMap<String, String> wrong = new java.util.HashMap<>(env);
    wrong.put("CLAVIS_PIN", "999999");
    CliProcess.Result r = new CliProcess(dir, wrong).run("list", "--store", "rooted.store", "--hsm", "token.cfg");
    assertError(r, CliException.FAILURE, "PIN");
    assertFalse(r.stderr.contains("999999") || r.stderr.contains("123456"), r::toString);
    // init never overwrites, and --kdf makes no sense here
    assertError(hsm.run("init", "--store", "rooted.store", "--hsm", "token.cfg"), CliException.FAILURE, "never overwrites");
    assertError(hsm.run("init", "--store", "other.store", "--hsm", "token.cfg", "--kdf", "pbkdf2"), CliException.USAGE,
        "no password");
  }

  @Test
  void debug_printsTheStackTraceAfterTheErrorLine() {
    CliProcess.Result r = cli().run("list", "--debug");
    assertEquals(CliException.FAILURE, r.exit);
    assertTrue(r.stderr.startsWith("clavis: error: "), r::toString);
    assertTrue(r.stderr.contains("\tat "), r::toString);
  }

  @Test
  void demo_walksTheLifecycle_inAFewSeconds() {
    long t0 = System.nanoTime();
    CliProcess.Result r = ok(new CliProcess(dir, Map.of()), null, "demo");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    for (String step : new String[] {"Create a key", "Encrypt", "Rotate", "Decrypt old data", "Rewrap",
        "Two-phase rotation", "Revoke", "Destroy", "Audit"}) {
      assertTrue(r.out().contains(step), () -> step + " missing\n" + r);
    }
    assertTrue(r.out().contains("refused"), r::toString);
    assertTrue(ms < 30_000, "demo took " + ms + " ms");
  }
}
