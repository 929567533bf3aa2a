package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The habits operators expect of a CLI, on a real store (in this JVM, for speed): {@code --json}
 * from every changing command, durations in years, {@code 0s}, errors in words, {@code --verbose}
 * without secrets, {@code demo --keep} that says how to open what it kept.
 */
class OperatorHabitsTest {

  private static final String PASSWORD = "operator habits pw 7";
  private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b\\w*(Exception|Error)\\b");

  @TempDir Path dir;

  private String store;
  private InProcess cli;

  @BeforeEach
  void init() {
    store = dir.resolve("s.store").toString();
    cli = new InProcess(Map.of("CLAVIS_PASSWORD", PASSWORD));
    ok("init", "--store", store, "--kdf", "argon2id:t=1,m=8,p=1", "--allow-weak-kdf");
  }

  private CliProcess.Result ok(String... args) {
    return ok(null, args);
  }

  private CliProcess.Result ok(byte[] stdin, String... args) {
    CliProcess.Result r = cli.run(stdin, args);
    assertEquals(0, r.exit, () -> String.join(" ", args) + "\n" + r);
    return r;
  }

  private String json(String... args) {
    String out = ok(args).out().strip();
    assertTrue(out.startsWith("{") || out.startsWith("["), () -> String.join(" ", args) + " printed no JSON: " + out);
    assertEquals(1, out.lines().count(), out);
    return out;
  }

  @Test
  void json_onEveryChangingCommand_printsTheVersionsItCreatedOrMoved() throws Exception {
    assertEquals("{\"name\":\"k\",\"version\":1,\"state\":\"ACTIVE\",\"algorithm\":\"AES_256\"}",
        json("create", "k", "--store", store, "--json"));
    assertEquals("{\"name\":\"k\",\"version\":2,\"state\":\"ACTIVE\"}", json("--json", "rotate", "k", "--store", store));
    assertEquals("{\"name\":\"k\",\"version\":3,\"state\":\"PRE_ACTIVE\"}", json("rotate", "k", "--begin", "--store", store, "--json"));
    assertEquals("{\"name\":\"k\",\"version\":3,\"state\":\"ACTIVE\"}", json("rotate", "k", "--complete", "--store", store, "--json"));
    assertEquals("[{\"name\":\"k\",\"version\":1,\"state\":\"SUSPENDED\",\"previous\":\"DEPRECATED\"}]",
        json("suspend", "k#1", "--store", store, "--json"));
    assertEquals("[{\"name\":\"k\",\"version\":1,\"state\":\"DEPRECATED\",\"previous\":\"SUSPENDED\"}]",
        json("resume", "k#1", "--store", store, "--json"));
    assertEquals("[{\"name\":\"k\",\"version\":1,\"state\":\"COMPROMISED\",\"previous\":\"DEPRECATED\"}]",
        json("compromise", "k#1", "--store", store, "--json"));
    assertEquals("[{\"name\":\"k\",\"version\":2,\"state\":\"REVOKED\",\"previous\":\"DEPRECATED\"}]",
        json("revoke", "k#2", "--store", store, "--json"));
    assertEquals("[{\"name\":\"k\",\"version\":2,\"state\":\"DESTROYED\",\"previous\":\"REVOKED\"}]",
        json("destroy", "k#2", "--now", "--store", store, "--json"));
    // a day is below the store's 7-day minimum deletion window: only forced
    String scheduled = json("destroy", "k", "--after", "1d", "--force", "--store", store, "--json");
    assertTrue(scheduled.contains("\"state\":\"PENDING_DESTRUCTION\"") && scheduled.contains("\"destroyAt\":\"20"), scheduled);
    assertTrue(json("cancel-destroy", "k", "--store", store, "--json").contains("\"previous\":\"PENDING_DESTRUCTION\""));
    Files.write(dir.resolve("k.bin"), new byte[32]);
    assertEquals("{\"name\":\"byok\",\"version\":1,\"state\":\"ACTIVE\",\"algorithm\":\"AES_256\"}",
        json("import", "byok", "--key-file", dir.resolve("k.bin").toString(), "--store", store, "--json"));
    assertTrue(json("audit", "--verify", "--store", store, "--json").startsWith("{\"verified\":true,\"records\":"));
    assertTrue(json("migrate-kdf", "--kdf", "argon2id:t=1,m=16,p=1", "--allow-weak-kdf", "--store", store, "--json")
        .contains("\"kdf\":\"Argon2id(t=1, m=16 KiB, p=1)\""));
    Path pw = Files.writeString(dir.resolve("new.txt"), "another password 8\n");
    assertTrue(json("passwd", "--new-password-file", pw.toString(), "--store", store, "--json").contains("\"passwordChanged\":true"));
  }

  @Test
  void durations_acceptYears_andZeroPrintsAs0s() {
    // a zero deletion window needs a store whose minimum allows it
    ok("store-policy", "--min-deletion-window", "0s", "--force", "--store", store);
    ok("create", "k", "--lifetime", "1y", "--rotation-period", "2y", "--deletion-window", "0s", "--store", store);
    String show = ok("show", "k", "--json", "--store", store).out();
    assertTrue(show.contains("\"versionLifetime\":\"365d\"") && show.contains("\"rotationPeriod\":\"730d\""), show);
    assertTrue(show.contains("\"deletionWindow\":\"0s\""), show);
    assertFalse(show.contains("PT0S") || ok("show", "k", "--store", store).out().contains("PT0S"), show);
  }

  @Test
  void errors_nameTheProblemInWords_neverAJavaExceptionClass() throws Exception {
    Files.createDirectories(dir.resolve("a-directory"));
    for (String[] argv : new String[][] {
        {"import", "k", "--key-file", dir.resolve("missing.bin").toString(), "--store", store},
        {"list", "--store", store, "--password-file", dir.resolve("missing.txt").toString()},
        {"list", "--store", dir.resolve("a-directory").toString()},
        {"derive", "--seed-file", dir.resolve("missing.seed").toString(), "--path", "m/0"},
        {"list", "--hsm", dir.resolve("missing.cfg").toString()}}) {
      CliProcess.Result r = cli.run(argv);
      assertTrue(r.exit != 0, r::toString);
      String line = r.stderr.lines().filter(l -> l.startsWith("clavis: error: ")).findFirst().orElseThrow();
      assertFalse(EXCEPTION_NAME.matcher(line).find(), () -> String.join(" ", argv) + ": " + line);
    }
    CliProcess.Result missing = cli.run("list", "--store", store, "--password-file", dir.resolve("missing.txt").toString());
    assertTrue(missing.stderr.contains("no such file"), missing::toString);
  }

  @Test
  void verbose_logsWhatTheKeyringDoes_onStderr_withoutSecrets() {
    ok("create", "k", "--store", store);
    byte[] plaintext = "the plaintext 4111-1111".getBytes(StandardCharsets.UTF_8);
    CliProcess.Result r = ok(plaintext, "encrypt", "k", "--store", store, "--verbose");
    assertTrue(r.stderr.contains("FINE dev.clavis.cli") && r.stderr.contains("opening file store"), r::toString);
    // encrypt streams (issue 14): the log names the stream call, never the data
    assertTrue(r.stderr.contains("keyring newEncryptingStream(k, "), r::toString);
    assertFalse(r.stderr.contains(PASSWORD) || r.stderr.contains("4111"), r::toString);
    assertTrue(r.stderr.lines().filter(l -> !l.isEmpty()).allMatch(l -> l.startsWith("clavis: ")), r::toString);
    CliProcess.Result quiet = ok(plaintext, "encrypt", "k", "--store", store);
    assertFalse(quiet.stderr.contains("FINE"), quiet::toString);
  }

  @Test
  void demoKeep_saysHowToOpenTheKeptStore_andThatWorks() throws Exception {
    CliProcess.Result r = new InProcess(Map.of()).run("demo", "--keep");
    assertEquals(0, r.exit, r::toString);
    var m = Pattern.compile("clavis list --store (\\S+) --password-file (\\S+)").matcher(r.out());
    assertTrue(m.find(), r::toString);
    Path kept = Path.of(m.group(1));
    try {
      CliProcess.Result list = new InProcess(Map.of()).run("list", "--store", m.group(1), "--password-file", m.group(2));
      assertEquals(0, list.exit, list::toString);
      assertTrue(list.out().contains("payments"), list::toString);
      if (Files.getFileStore(kept).supportsFileAttributeView("posix")) {
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(Path.of(m.group(2)))));
      }
    } finally {
      try (var s = Files.walk(kept.getParent())) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
