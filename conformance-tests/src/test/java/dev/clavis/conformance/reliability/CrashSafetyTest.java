package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety (issue 6 §1): a child JVM ({@link CrashWorker}) rotates, imports, revokes and
 * encrypts under a usage-counted key on a live file store and is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) at a seeded random moment, again and again on the same
 * store. After every kill the store must open, every acknowledged operation must be there, every
 * acknowledged envelope of the run must still decrypt, and no usage count may read lower than the
 * uses acknowledged (over-counting is allowed).
 *
 * <p>{@code -Dclavis.crash.kills=N} (default 100) and {@code -Dclavis.crash.seed=S} reproduce a run.
 */
class CrashSafetyTest {

  @TempDir Path dir;

  private static final int KILLS = Integer.getInteger("clavis.crash.kills", 100);
  /** Crashes at each of the store's two fault points (write aside done / rename done). */
  private static final int FAULTS_PER_POINT = Integer.getInteger("clavis.crash.faults", 10);
  private static final String[] FAULT_POINTS = {"after-write", "after-rename"};
  private static final long SEED = Long.getLong("clavis.crash.seed", 20261122L);

  /** What the workers acknowledged so far, across all runs. */
  private final Map<KeyRef, Long> usesAcked = new HashMap<>();
  private final List<KeyRef> versionsAcked = new ArrayList<>();
  private final List<KeyRef> revokedAcked = new ArrayList<>();
  private final List<String[]> importsAcked = new ArrayList<>();
  private long acks;

  @Test
  void sigkillAtRandomMoments_neverLosesAnAcknowledgedOperation() throws Exception {
    Path store = dir.resolve("crash.store");
    try (Keyring k = TestStores.open(store)) {
      CrashWorker.setUp(k);
    }
    Random timing = new Random(SEED);
    long t0 = System.nanoTime();
    int killed = 0;
    Process next = spawn(store, SEED * 1_000);
    for (int run = 0; run < KILLS; run++) {
      long seed = SEED * 1_000 + run;
      int delayMs = timing.nextInt(400);
      List<String[]> runUses = new ArrayList<>();
      Process p = next;
      // Start the next worker's JVM now, so its start-up overlaps this run and its check.
      next = run + 1 < KILLS ? spawn(store, seed + 1) : null;
      boolean wasKilled = runAndKill(p, seed, delayMs, runUses);
      killed += wasKilled ? 1 : 0;
      verify(store, "run " + run + " (seed " + seed + ", killed after " + delayMs + " ms)", runUses);
    }
    int faulted = 0;
    for (String point : FAULT_POINTS) {
      for (int i = 0; i < FAULTS_PER_POINT; i++) {
        long seed = SEED * 1_000 + 500 + faulted;
        int after = timing.nextInt(30);
        List<String[]> runUses = new ArrayList<>();
        int exit = runUntilFault(store, seed, point, after, runUses);
        assertEquals(86, exit, "worker " + seed + " should have halted at " + point + " (exit 86)");
        faulted++;
        verify(store, "fault at " + point + " after " + after + " ops (seed " + seed + ")", runUses);
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.err.printf("CrashSafetyTest: %d SIGKILLs at random moments + %d halts at the store's fault points"
        + " (after-write, after-rename), %d acknowledged operations verified after each, %d ms (seed %d)%n",
        killed, faulted, acks, ms, SEED);
    assertTrue(killed >= KILLS * 9 / 10, "only " + killed + " of " + KILLS + " workers were still running when killed");
    assertTrue(acks > KILLS, "the workers acknowledged only " + acks + " operations");
  }

  /** Runs a worker armed to halt at a fault point; @return its exit code */
  private int runUntilFault(Path store, long seed, String point, int after, List<String[]> runUses) throws Exception {
    Process p = ChildJvm.start(CrashWorker.class, Map.of(), store.toString(), Long.toString(seed), point, Integer.toString(after));
    go(p);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("worker " + seed + " never reached " + point);
    }
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f[0].equals("ACK") && f.length >= 3) {
        record(f, runUses);
      }
    }
    return p.exitValue();
  }

  private static Process spawn(Path store, long seed) {
    return ChildJvm.start(CrashWorker.class, Map.of(), store.toString(), Long.toString(seed));
  }

  private static void go(Process p) throws IOException {
    p.getOutputStream().write("GO\n".getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().flush();
  }

  /** @return whether the worker was alive when the kill came */
  private boolean runAndKill(Process p, long seed, int delayMs, List<String[]> runUses) throws Exception {
    go(p);
    CountDownLatch ready = new CountDownLatch(1);
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.equals("READY")) {
            ready.countDown();
          } else {
            synchronized (lines) {
              lines.add(line);
            }
          }
        }
      } catch (IOException e) {
        // the pipe broke with the kill
      }
    });
    reader.start();
    if (!ready.await(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("worker " + seed + " did not open the store within 60 s (alive=" + p.isAlive() + ")");
    }
    Thread.sleep(delayMs);
    boolean alive = p.isAlive();
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
    p.waitFor(30, TimeUnit.SECONDS);
    reader.join(30_000);
    synchronized (lines) {
      for (String line : lines) {
        // A line without its newline was cut by the kill: BufferedReader returns it at EOF, but
        // the worker prints the whole line in one write, so a complete ACK has all its fields.
        String[] f = line.split(" ");
        if (!f[0].equals("ACK") || f.length < 3) {
          continue;
        }
        record(f, runUses);
      }
    }
    return alive;
  }

  private void record(String[] f, List<String[]> runUses) {
    acks++;
    switch (f[1]) {
      case "use":
        if (f.length < 5) {
          acks--;
          return;
        }
        usesAcked.merge(KeyRef.parse(f[2]), 1L, Long::sum);
        runUses.add(f);
        break;
      case "rotate":
      case "begin":
      case "complete":
        versionsAcked.add(KeyRef.parse(f[2]));
        break;
      case "revoke":
        revokedAcked.add(KeyRef.parse(f[2]));
        break;
      case "import":
        if (f.length < 5) {
          acks--;
          return;
        }
        importsAcked.add(f);
        break;
      default:
        fail("unknown acknowledgement " + String.join(" ", f));
    }
  }

  private void verify(Path store, String where, List<String[]> runUses) throws Exception {
    Keyring k;
    try {
      k = TestStores.open(store);
    } catch (RuntimeException e) {
      throw new AssertionError(where + ": the store does not open after the kill: " + e, e);
    }
    try (k) {
      for (KeyRef v : versionsAcked) {
        assertTrue(version(k, v) != null, where + ": acknowledged version " + v + " is missing");
      }
      for (KeyRef v : revokedAcked) {
        assertEquals(KeyState.REVOKED, version(k, v).state(), where + ": acknowledged revocation of " + v + " is lost");
      }
      for (String[] f : importsAcked) {
        KeyRef v1 = KeyRef.of(f[2], 1);
        KeyVersionInfo info = version(k, v1);
        assertTrue(info != null, where + ": acknowledged import " + f[2] + " is missing");
        assertEquals(KeyVersionInfo.Origin.IMPORTED, info.origin(), where + ": " + v1);
        byte[] m = k.exportKey(v1);
        assertArrayEquals(CrashWorker.material(Long.parseLong(f[3]), Integer.parseInt(f[4])), m,
            where + ": imported material of " + f[2] + " changed");
      }
      for (Map.Entry<KeyRef, Long> e : usesAcked.entrySet()) {
        KeyVersionInfo info = version(k, e.getKey());
        assertTrue(info != null, where + ": version " + e.getKey() + " with acknowledged uses is missing");
        assertTrue(info.usageCount() >= e.getValue(),
            where + ": " + e.getKey() + " reads " + info.usageCount() + " uses, " + e.getValue() + " were acknowledged");
      }
      // The data acknowledged in this run still decrypts (the material is durable, not just the metadata).
      HexFormat hex = HexFormat.of();
      for (int i = Math.max(0, runUses.size() - 3); i < runUses.size(); i++) {
        String[] f = runUses.get(i);
        byte[] plain = k.decrypt(hex.parseHex(f[3]), null);
        assertEquals(f[4], new String(plain, StandardCharsets.US_ASCII), where);
      }
    }
  }

  private static KeyVersionInfo version(Keyring k, KeyRef v) {
    KeyInfo info = k.find(v.name()).orElse(null);
    return info == null ? null : info.version(v.version().getAsInt()).orElse(null);
  }
}
