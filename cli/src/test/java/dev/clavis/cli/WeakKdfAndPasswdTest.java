package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code init}/{@code migrate-kdf} refuse KDF settings below OWASP's minimums unless
 * {@code --allow-weak-kdf}; {@code passwd} changes the password from a source that is never argv;
 * both changes of protection are audited. Real child processes, as a user runs the CLI.
 */
class WeakKdfAndPasswdTest {

  private static final String PASSWORD = "correct horse battery staple";
  private static final String NEW_PASSWORD = "new tiger lily 42";
  /** Tiny on purpose: these tests run the CLI, not the KDF. */
  private static final String WEAK = "argon2id:t=1,m=8,p=1";

  @TempDir Path dir;

  private CliProcess cli(String password) {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", password));
  }

  private static CliProcess.Result ok(CliProcess.Result r) {
    assertEquals(0, r.exit, r::toString);
    return r;
  }

  private static void assertError(CliProcess.Result r, String... fragments) {
    assertTrue(r.exit != 0, r::toString);
    String[] lines = r.stderr.strip().split("\n");
    assertTrue(lines[0].startsWith("clavis: error: "), r::toString);
    assertFalse(r.stderr.contains("\tat "), r::toString);
    for (String f : fragments) {
      assertTrue(lines[0].contains(f), () -> "expected '" + f + "' in the error line\n" + r);
    }
  }

  @Test
  void init_belowOwaspMinimum_isRefused_namingTheMinimumAndTheFlag_andCreatesNothing() {
    for (String weak : new String[] {WEAK, "argon2id:t=3,m=64,p=1", "argon2id:t=2,m=19455,p=1", "pbkdf2:i=1000",
        "pbkdf2:i=599999"}) {
      CliProcess.Result r = cli(PASSWORD).run("init", "--store", "w.store", "--kdf", weak);
      assertError(r, "OWASP", "--allow-weak-kdf");
      assertFalse(Files.exists(dir.resolve("w.store")), weak + " must create nothing");
    }
    // m is in KiB: the message says so, for whoever typed 64 meaning 64 MiB
    assertError(cli(PASSWORD).run("init", "--store", "w.store", "--kdf", "argon2id:t=3,m=64,p=4"), "m is in KiB");
  }

  @Test
  void init_atOwaspMinimum_isAccepted_andAllowWeakKdf_acceptsWeakWithAWarning() {
    ok(cli(PASSWORD).run("init", "--store", "owasp.store", "--kdf", "argon2id:t=2,m=19456,p=1"));
    CliProcess.Result r = ok(cli(PASSWORD).run("init", "--store", "weak.store", "--kdf", WEAK, "--allow-weak-kdf"));
    assertTrue(r.stderr.contains("warning") && r.stderr.contains("OWASP"), r::toString);
    ok(cli(PASSWORD).run("list", "--store", "weak.store"));
  }

  @Test
  void migrateKdf_toWeak_isRefusedUnlessAllowed_andEachMigrationIsAudited() {
    ok(cli(PASSWORD).run("init", "--store", "s", "--kdf", WEAK, "--allow-weak-kdf"));
    ok(cli(PASSWORD).run("create", "k", "--store", "s"));
    assertError(cli(PASSWORD).run("migrate-kdf", "--store", "s", "--kdf", "pbkdf2:i=1000"), "OWASP", "--allow-weak-kdf");
    ok(cli(PASSWORD).run("migrate-kdf", "--store", "s", "--kdf", "argon2id:t=1,m=16,p=1", "--allow-weak-kdf"));
    String audit = ok(cli(PASSWORD).run("audit", "--store", "s", "--json")).out();
    assertTrue(audit.contains("\"action\":\"migrate-kdf\""), audit);
    assertTrue(audit.contains("Argon2id(t=1, m=8 KiB, p=1)") && audit.contains("Argon2id(t=1, m=16 KiB, p=1)"), audit);
    ok(cli(PASSWORD).run("audit", "--store", "s", "--verify"));
    assertTrue(ok(cli(PASSWORD).run("list", "--store", "s")).out().contains("k"));
  }

  @Test
  void passwd_fromEnvironment_changesThePassword_andIsAudited() {
    ok(cli(PASSWORD).run("init", "--store", "s", "--kdf", WEAK, "--allow-weak-kdf"));
    ok(cli(PASSWORD).run("create", "k", "--store", "s"));
    CliProcess both = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD, "CLAVIS_NEW_PASSWORD", NEW_PASSWORD));
    CliProcess.Result r = ok(both.run("passwd", "--store", "s"));
    assertFalse(r.out().contains(NEW_PASSWORD) || r.stderr.contains(NEW_PASSWORD) || r.out().contains(PASSWORD), r::toString);
    assertError(cli(PASSWORD).run("list", "--store", "s"), "wrong password");
    assertTrue(ok(cli(NEW_PASSWORD).run("list", "--store", "s")).out().contains("k"));
    String audit = ok(cli(NEW_PASSWORD).run("audit", "--store", "s", "--json")).out();
    assertTrue(audit.contains("\"action\":\"passwd\""), audit);
    assertFalse(audit.contains(NEW_PASSWORD) || audit.contains(PASSWORD), "no password in the audit log");
    ok(cli(NEW_PASSWORD).run("audit", "--store", "s", "--verify"));
  }

  @Test
  void passwd_fromNewPasswordFile_works_andArgvPasswordsAreRefused() throws Exception {
    ok(cli(PASSWORD).run("init", "--store", "s", "--kdf", WEAK, "--allow-weak-kdf"));
    Path f = Files.writeString(dir.resolve("new.txt"), NEW_PASSWORD + "\n");
    ok(cli(PASSWORD).run("passwd", "--store", "s", "--new-password-file", f.toString()));
    ok(cli(NEW_PASSWORD).run("list", "--store", "s"));
    CliProcess.Result r = cli(NEW_PASSWORD).run("passwd", "--store", "s", "--new-password", "hunter2");
    assertError(r, "never taken on the command line");
    assertFalse(r.stderr.contains("hunter2"));
    // no source for the new password and no terminal: refused, nothing changed
    assertError(cli(NEW_PASSWORD).run("passwd", "--store", "s"), "CLAVIS_NEW_PASSWORD");
    // the same password again is not a change
    Path same = Files.writeString(dir.resolve("same.txt"), NEW_PASSWORD + "\n");
    assertError(cli(NEW_PASSWORD).run("passwd", "--store", "s", "--new-password-file", same.toString()), "current one");
    ok(cli(NEW_PASSWORD).run("list", "--store", "s"));
  }

  @Test
  void passwd_wrongCurrentPassword_changesNothing() throws Exception {
    ok(cli(PASSWORD).run("init", "--store", "s", "--kdf", WEAK, "--allow-weak-kdf"));
    byte[] before = Files.readAllBytes(dir.resolve("s"));
    CliProcess wrong = new CliProcess(dir, Map.of("CLAVIS_PASSWORD", "nope", "CLAVIS_NEW_PASSWORD", NEW_PASSWORD));
    assertError(wrong.run("passwd", "--store", "s"), "wrong password");
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("s"))));
  }
}
