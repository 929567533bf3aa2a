package dev.clavis.conformance.argon2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.clavis.engine.argon2.Argon2Type;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against the {@code argon2} command-line tool (Debian package {@code argon2},
 * the C reference implementation): {@code echo -n PW | argon2 SALT -id -t T -k M -p P -l L -r}.
 * The tool takes the salt as an argument and has no secret or associated data, so salts are
 * printable and those inputs are left out. Without the tool the test fails when the environment
 * variable {@code CI} is set and is skipped with a printed reason otherwise
 * ({@code scripts/install-test-deps.sh} installs it).
 */
class Argon2CliDifferentialTest {

  private static final int CASES = 25;
  private static final String PRINTABLE =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.,:;+=/%@^~";

  private static String cli;

  @BeforeAll
  static void findCli() {
    cli = onPath("argon2");
    if (cli == null) {
      String reason = "the argon2 command-line tool is not installed (run scripts/install-test-deps.sh)";
      if (System.getenv("CI") != null) {
        fail(reason + "; it is required when CI is set");
      }
      System.err.println("SKIP Argon2CliDifferentialTest: " + reason);
      assumeTrue(false, reason);
    }
  }

  @Test
  void generateSecret_randomParameters_equalsArgon2Cli() throws Exception {
    long seed = Long.getLong("clavis.argon2.seed", new SecureRandom().nextLong());
    System.err.println("Argon2CliDifferentialTest seed " + seed);
    Random random = new Random(seed);
    for (int n = 0; n < CASES; n++) {
      Argon2Type type = Argon2Type.values()[random.nextInt(3)];
      int t = 1 + random.nextInt(4);
      int p = 1 + random.nextInt(4);
      int m = 8 * p + random.nextInt(4096 - 8 * p + 1);
      int tagLength = 4 + random.nextInt(61);
      // The tool reads at most 127 password bytes from stdin; any byte value is fine.
      byte[] password = new byte[1 + random.nextInt(64)];
      random.nextBytes(password);
      String salt = printable(random, 8 + random.nextInt(25));
      String id = "case " + n + " (seed " + seed + "): " + type.algorithm() + " t=" + t + " m=" + m
          + " p=" + p + " T=" + tagLength + " salt=" + salt;
      byte[] saltBytes = salt.getBytes(StandardCharsets.US_ASCII);
      String expected = runCli(type, password, salt, t, m, p, tagLength, id);
      byte[] actual = Argon2Vectors.clavis(type.algorithm(), password, saltBytes, null, null, t, m, p, tagLength);
      assertEquals(expected, Argon2Vectors.HEX.formatHex(actual), id);
    }
  }

  @Test
  void cli_saltOf7Characters_isRejectedLikeClavis() throws Exception {
    // Both sides refuse a 7-byte salt: the tool's and Clavis's minimum is 8.
    Process process = new ProcessBuilder(cli, "1234567", "-id", "-t", "1", "-k", "64", "-r")
        .redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write("password".getBytes(StandardCharsets.US_ASCII));
    }
    process.getInputStream().readAllBytes();
    assertEquals(false, process.waitFor() == 0, "argon2 accepted a 7-byte salt");
    String message = Argon2Vectors.rejection("Argon2id", "password".getBytes(StandardCharsets.US_ASCII),
        "1234567".getBytes(StandardCharsets.US_ASCII), 1, 64, 1, 32);
    assertEquals(true, message.startsWith("Argon2 salt is too short: 7 bytes"), message);
  }

  private static String runCli(Argon2Type type, byte[] password, String salt, int t, int m, int p,
      int tagLength, String id) throws IOException, InterruptedException {
    String flag = type == Argon2Type.ARGON2D ? "-d" : type == Argon2Type.ARGON2I ? "-i" : "-id";
    List<String> command = List.of(cli, salt, flag, "-t", Integer.toString(t), "-k",
        Integer.toString(m), "-p", Integer.toString(p), "-l", Integer.toString(tagLength), "-r");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(password);
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      fail(id + ": argon2 failed: " + out);
    }
    return out;
  }

  private static String printable(Random random, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(PRINTABLE.charAt(random.nextInt(PRINTABLE.length())));
    }
    return sb.toString();
  }

  private static String onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.isFile() && f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }
}
