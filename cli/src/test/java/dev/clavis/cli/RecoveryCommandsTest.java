package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clavis backup --shares N --threshold M --out DIR} and {@code clavis restore --shares
 * a,b --out STORE}, as an operator runs them (the happy path in a real child process): the
 * restored store opens with its password, its audit log verifies, and data encrypted before the
 * backup decrypts; each bad input is one clear error and changes nothing.
 */
class RecoveryCommandsTest {

  private static final String PASSWORD = "recovery pw 9";
  private static final String WEAK = "argon2id:t=1,m=64,p=1";

  @TempDir Path dir;
  private String store;
  private InProcess cli;
  private String pwFiles;

  @BeforeEach
  void init() throws Exception {
    store = dir.resolve("s.store").toString();
    cli = new InProcess(Map.of("CLAVIS_PASSWORD", PASSWORD));
    ok(null, "init", "--store", store, "--kdf", "argon2id:t=1,m=8,p=1", "--allow-weak-kdf");
    ok(null, "create", "payments", "--store", store);
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      Path f = dir.resolve("custodian" + i + ".pw");
      Files.writeString(f, "passphrase of custodian " + i + "\n");
      sb.append(i > 1 ? "," : "").append(f);
    }
    pwFiles = sb.toString();
  }

  private CliProcess.Result ok(byte[] in, String... args) {
    CliProcess.Result r = cli.run(in, args);
    assertEquals(0, r.exit, () -> String.join(" ", args) + "\n" + r);
    return r;
  }

  private CliProcess.Result fails(String expected, String... args) {
    CliProcess.Result r = cli.run((byte[]) null, args);
    assertNotEquals(0, r.exit, r.toString());
    assertTrue(r.stderr.contains(expected), () -> "wanted '" + expected + "' in\n" + r);
    assertEquals(1, r.stderr.lines().filter(l -> l.startsWith("clavis: error:")).count(), r.stderr);
    assertFalse(r.stderr.contains("Exception"), r.stderr);
    return r;
  }

  private Path backup(String out) {
    ok(null, "backup", "--store", store, "--shares", "3", "--threshold", "2", "--out", dir.resolve(out).toString(),
        "--passphrase-files", pwFiles, "--kdf", WEAK, "--allow-weak-kdf");
    return dir.resolve(out);
  }

  private String share(Path b, int x) {
    return b.resolve("share-" + x + "-of-3.clshare").toString();
  }

  @Test
  void backupThenRestoreFromTwoOfThree_asRealProcesses_opensVerifiesAndDecrypts() throws Exception {
    byte[] env = ok("before the backup".getBytes(StandardCharsets.UTF_8), "encrypt", "payments", "--store", store).stdout;
    CliProcess real = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD));
    CliProcess.Result b = real.run((byte[]) null, "backup", "--store", store, "--shares", "3", "--threshold", "2",
        "--out", dir.resolve("bk").toString(), "--passphrase-files", pwFiles, "--kdf", WEAK, "--allow-weak-kdf", "--json");
    assertEquals(0, b.exit, b.toString());
    assertTrue(b.out().contains("\"threshold\":2"), b.out());
    Path bk = dir.resolve("bk");
    String restored = dir.resolve("restored").resolve("r.store").toString();
    // custodians 3 and 1, passphrases from the environment this time
    Map<String, String> env2 = new HashMap<>(Map.of("CLAVIS_PASSWORD", PASSWORD,
        "CLAVIS_SHARE_PASSPHRASE_1", "passphrase of custodian 1", "CLAVIS_SHARE_PASSPHRASE_3", "passphrase of custodian 3"));
    CliProcess.Result r = new CliProcess(dir, env2).run((byte[]) null, "restore", "--shares",
        share(bk, 3) + "," + share(bk, 1), "--out", restored);
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out().contains("opens with its own password"), r.out());
    CliProcess.Result v = real.run((byte[]) null, "audit", "--verify", "--store", restored);
    assertEquals(0, v.exit, v.toString());
    CliProcess.Result d = real.run(env, "decrypt", "--store", restored);
    assertEquals(0, d.exit, d.toString());
    assertEquals("before the backup", d.out());
  }

  @Test
  void badQuorums_areUsageErrors_andWriteNothing() {
    fails("larger than the number of shares", "backup", "--store", store, "--shares", "2", "--threshold", "3", "--out",
        dir.resolve("x").toString(), "--passphrase-files", pwFiles);
    fails("below 2", "backup", "--store", store, "--shares", "3", "--threshold", "1", "--out",
        dir.resolve("x").toString(), "--passphrase-files", pwFiles);
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void passphrase_onTheCommandLine_isRefused() {
    fails("never taken on the command line", "backup", "--store", store, "--passphrase", "x");
  }

  @Test
  void restore_badInputs_eachSayWhat_andRestoreNothing() throws Exception {
    Path bk = backup("bk");
    Path other = backup("other");
    String target = dir.resolve("t.store").toString();
    fails("needs 2 of its 3 shares; 1 given", "restore", "--shares", share(bk, 1), "--out", target,
        "--passphrase-files", dir.resolve("custodian1.pw").toString());
    fails("belongs to backup", "restore", "--shares", share(bk, 1) + "," + share(other, 2), "--out", target,
        "--passphrase-files", pwFiles.substring(0, pwFiles.lastIndexOf(',')));
    fails("given twice", "restore", "--shares", share(bk, 1) + "," + share(bk, 1), "--out", target);
    String swapped = dir.resolve("custodian2.pw") + "," + dir.resolve("custodian1.pw");
    fails("wrong passphrase", "restore", "--shares", share(bk, 1) + "," + share(bk, 2), "--out", target,
        "--passphrase-files", swapped);
    byte[] s = Files.readAllBytes(Path.of(share(bk, 2)));
    s[100] ^= 4;
    Path tampered = dir.resolve("tampered.clshare");
    Files.write(tampered, s);
    fails("damaged or was altered", "restore", "--shares", share(bk, 1) + "," + tampered, "--from",
        bk.resolve("backup.clbk").toString(), "--out", target, "--passphrase-files", pwFiles.substring(0,
            pwFiles.lastIndexOf(',')));
    assertFalse(Files.exists(Path.of(target)));
    assertFalse(Files.exists(Path.of(target + ".audit")));
    // an existing store is kept without --force
    fails("never replaces a store without --force", "restore", "--shares", share(bk, 1) + "," + share(bk, 2), "--out",
        store, "--passphrase-files", pwFiles.substring(0, pwFiles.lastIndexOf(',')));
    ok(null, "list", "--store", store);
  }

  @Test
  void backupOfAPlainToken_isRefusedClearly() {
    fails("never leave it", "backup", "--hsm", dir.resolve("none.cfg").toString(), "--shares", "3", "--threshold", "2",
        "--out", dir.resolve("x").toString());
  }
}
