package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code encrypt}/{@code decrypt}/{@code rewrap} with {@code --context}, {@code --in} and
 * {@code --out}, driven as a user drives them (a child JVM): the output is a streaming envelope,
 * a wrong context fails naming it, an altered stream fails and leaves no {@code --out} file.
 */
class StreamingDataCommandsTest {

  private static final String PASSWORD = "correct horse battery staple";
  @TempDir Path dir;

  private CliProcess cli() {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", PASSWORD));
  }

  private CliProcess.Result ok(byte[] stdin, String... args) {
    CliProcess.Result r = cli().run(stdin, args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    return r;
  }

  private static String error(CliProcess.Result r) {
    assertEquals(CliException.FAILURE, r.exit, r::toString);
    assertFalse(r.stderr.contains("\tat "), r::toString);
    String first = r.stderr.strip().split("\n")[0];
    assertTrue(first.startsWith("clavis: error: "), r::toString);
    return first;
  }

  @BeforeEach
  void init() {
    ok(null, "init", "--kdf", "argon2id:t=1,m=8,p=1", "--allow-weak-kdf");
    ok(null, "create", "files");
  }

  private static byte[] data(int n) {
    byte[] d = new byte[n];
    new Random(n).nextBytes(d);
    return d;
  }

  @Test
  void encrypt_writesAStreamingEnvelope_andDecryptNeedsTheSameContext() {
    byte[] d = data(700_000);
    CliProcess.Result enc = ok(d, "encrypt", "files", "--context", "tenant=acme", "--context", "table=orders");
    assertTrue(enc.stderr.contains("encrypted 700000 bytes under files#1"), enc::toString);
    assertArrayEquals(new byte[] {'C', 'L', 'S', 1}, Arrays.copyOf(enc.stdout, 4));
    assertArrayEquals(d, ok(enc.stdout, "decrypt", "--context", "table=orders", "--context", "tenant=acme").stdout);

    String wrong = error(cli().run(enc.stdout, "decrypt", "--context", "tenant=other", "--context", "table=orders"));
    assertTrue(wrong.contains("encryption context {table=orders, tenant=acme}") && wrong.contains("tenant differs"), wrong);
    assertFalse(wrong.contains("integrity"), wrong);
    String missing = error(cli().run(enc.stdout, "decrypt"));
    assertTrue(missing.contains("no context") && missing.contains("--context"), missing);
  }

  @Test
  void rewrap_keepsTheContext_andNeedsIt() {
    byte[] d = data(300_000);
    byte[] env = ok(d, "encrypt", "files", "--context", "tenant=acme").stdout;
    ok(null, "rotate", "files");
    error(cli().run(env, "rewrap"));
    CliProcess.Result re = ok(env, "rewrap", "--context", "tenant=acme");
    assertTrue(re.stderr.contains("from files#1 to files#2"), re::toString);
    ok(null, "revoke", "files#1");
    assertArrayEquals(d, ok(re.stdout, "decrypt", "--context", "tenant=acme").stdout);
    error(cli().run(env, "decrypt", "--context", "tenant=acme"));
  }

  @Test
  void inAndOutFiles_roundTrip_andTheOutputIsOwnerOnly() throws Exception {
    byte[] d = data(1_000_003);
    Files.write(dir.resolve("plain.bin"), d);
    ok(null, "encrypt", "files", "--in", "plain.bin", "--out", "plain.cls", "--aad", "backup");
    ok(null, "decrypt", "--in", "plain.cls", "--out", "again.bin", "--aad", "backup");
    assertArrayEquals(d, Files.readAllBytes(dir.resolve("again.bin")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("again.bin"))));
    String noFile = error(cli().run("decrypt", "--in", "nosuch.cls"));
    assertTrue(noFile.contains("--in nosuch.cls"), noFile);
  }

  @Test
  void truncatedOrAlteredStream_fails_andLeavesNoOutFile() throws Exception {
    byte[] d = data(3 * (256 << 10) + 5);
    byte[] env = ok(d, "encrypt", "files").stdout;
    int header = env.length - (3 * ((256 << 10) + 16) + 5 + 16);
    byte[] cut = Arrays.copyOf(env, header + 2 * ((256 << 10) + 16));
    Files.write(dir.resolve("cut.cls"), cut);
    String e = error(cli().run("decrypt", "--in", "cut.cls", "--out", "cut.bin"));
    assertTrue(e.contains("segment 1") && e.contains("cut short"), e);
    assertFalse(Files.exists(dir.resolve("cut.bin")));
    try (var left = Files.list(dir)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
    }
    byte[] flipped = env.clone();
    flipped[header + (256 << 10) + 16 + 100] ^= 1;
    String f = error(cli().run(flipped, "decrypt"));
    assertTrue(f.contains("segment 1 of the stream failed its integrity check"), f);
  }

  @Test
  void oneShotEnvelopes_ofTheJavaApi_stillDecryptAndRewrap() throws Exception {
    try (dev.clavis.keyring.Keyring k = dev.clavis.keyring.Keyrings.openFile(dir.resolve("clavis.store"),
        PASSWORD.toCharArray(), dev.clavis.keyring.KdfParameters.argon2id(1, 8, 1).allowingWeak())) {
      byte[] env = k.encrypt("files", "one shot".getBytes(StandardCharsets.UTF_8), null, Map.of("t", "1"));
      Files.write(dir.resolve("one.clv"), env);
    }
    assertEquals("one shot", ok(null, "decrypt", "--in", "one.clv", "--context", "t=1").out());
    error(cli().run("decrypt", "--in", "one.clv"));
    ok(null, "rotate", "files");
    byte[] re = ok(null, "rewrap", "--in", "one.clv", "--context", "t=1").stdout;
    assertEquals("one shot", ok(re, "decrypt", "--context", "t=1").out());
  }

  @Test
  void badContextOption_isAUsageError() {
    CliProcess.Result r = cli().run(new byte[0], "encrypt", "files", "--context", "novalue");
    assertEquals(CliException.USAGE, r.exit, r::toString);
    assertTrue(r.stderr.contains("--context takes K=V"), r::toString);
    CliProcess.Result twice = cli().run(new byte[0], "encrypt", "files", "--context", "a=1", "--context", "a=2");
    assertEquals(CliException.USAGE, twice.exit, twice::toString);
  }
}
