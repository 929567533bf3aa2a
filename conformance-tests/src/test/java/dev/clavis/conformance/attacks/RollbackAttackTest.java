package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.conformance.attacks.RollbackProcesses.Result;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: copy an older store file back (one generation or several, with or without its log),
 * restore store and log together, or replace the file under a running process. Every attack runs
 * the CLI or a keyring as a separate process, as an operator or attacker would.
 */
class RollbackAttackTest {

  static final String PW = "attack-password";

  @TempDir Path dir;
  Path store;
  Path log;
  Path mark;
  /** {store, log, commit mark} after each write made by the CLI: generation 2, 3, ... */
  final List<byte[][]> copies = new ArrayList<>();

  @BeforeEach
  void history() throws Exception {
    store = dir.resolve("a.store");
    log = dir.resolve("a.store.audit");
    mark = dir.resolve("a.store.audit.head");
    try (Keyring k = Keyrings.openFile(store, PW.toCharArray(), KdfParameters.argon2id(1, 64, 1).allowingWeak())) {
      k.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    copies.add(files());
    for (String[] cmd : new String[][] {{"rotate", "pay"}, {"revoke", "pay#1"}, {"compromise", "pay#2"}}) {
      Result r = clavis(cmd);
      assertEquals(0, r.exit(), r.toString());
      copies.add(files());
    }
  }

  private byte[][] files() throws Exception {
    return new byte[][] {Files.readAllBytes(store), Files.readAllBytes(log), Files.readAllBytes(mark)};
  }

  private Result clavis(String... args) {
    List<String> a = new ArrayList<>(List.of("--store", store.toString()));
    a.addAll(List.of(args));
    return RollbackProcesses.cli(PW, a.toArray(String[]::new));
  }

  private static void assertRefusedNamingRollback(Result r) {
    assertEquals(1, r.exit(), r.toString());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, "one line: " + r.err());
    assertTrue(lines[0].startsWith("clavis: error: ") && lines[0].contains("rolled back"), r.err());
  }

  @Test
  void storeRolledBack_by1to3Generations_withTheLog_everyCommandAndAuditVerifyFail() throws Exception {
    byte[][] now = copies.get(copies.size() - 1);
    for (int back = 1; back <= 3; back++) {
      byte[] old = copies.get(copies.size() - 1 - back)[0];
      Files.write(store, old);
      assertRefusedNamingRollback(clavis("audit", "--verify"));
      Result enc = clavis("show", "pay");
      assertEquals(1, enc.exit(), "a revoked or compromised version never acts as ACTIVE again: " + enc);
      assertArrayEquals(old, Files.readAllBytes(store), "the store is left as it was");
      assertArrayEquals(now[1], Files.readAllBytes(log), "the log is left as it was");
    }
  }

  @Test
  void storeRolledBack_withItsLog_butNotTheCommitMark_isRefused() throws Exception {
    byte[][] old = copies.get(1);
    Files.write(store, old[0]);
    Files.write(log, old[1]);
    assertRefusedNamingRollback(clavis("audit", "--verify"));
  }

  @Test
  void storeRolledBack_thenTwoOrdinaryWrites_stillRefused() throws Exception {
    Files.write(store, copies.get(1)[0]);
    assertEquals(1, clavis("create", "x").exit());
    assertEquals(1, clavis("create", "y").exit());
    assertRefusedNamingRollback(clavis("audit", "--verify"));
  }

  @Test
  void storeLogAndMarkRestoredTogether_areRefusedOnlyWithAnAnchor() throws Exception {
    Path anchor = dir.resolve("elsewhere").resolve("a.anchor");
    Files.createDirectories(anchor.getParent());
    Result first = clavis("--anchor", anchor.toString(), "audit", "--verify"); // the first use creates it
    assertEquals(0, first.exit(), first.toString());
    assertTrue(Files.exists(anchor));
    byte[][] backup = copies.get(1);
    Files.write(store, backup[0]);
    Files.write(log, backup[1]);
    Files.write(mark, backup[2]);
    assertEquals(0, clavis("audit", "--verify").exit(), "without state elsewhere a whole backup is consistent");
    Result r = clavis("--anchor", anchor.toString(), "audit", "--verify");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("older than its anchor") && r.err().contains("restored"), r.err());
  }

  @Test
  void runningProcess_storeFileReplacedByAnOlderCopy_nextReloadIsRefused() throws Exception {
    Process p = RollbackProcesses.builder(LiveKeyringMain.class, Map.of(), List.of(), store.toString(), PW, "pay#1")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      assertEquals("ready", out.readLine());
      in.write("\n");
      in.flush();
      assertEquals("REVOKED", out.readLine());
      Files.write(store, copies.get(1)[0]); // pay#1 DEPRECATED there: still decrypts
      in.write("\n");
      in.flush();
      String refusal = out.readLine();
      assertTrue(refusal.startsWith("refused ROLLED_BACK") && refusal.contains("has seen generation"), refusal);
    } finally {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS) || p.destroyForcibly() == null);
    }
    assertArrayEquals(copies.get(1)[0], Files.readAllBytes(store));
  }
}
