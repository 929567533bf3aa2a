package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage counting as operators see it, tried with real processes: short-lived JVMs that use a key
 * through the {@code KeyStore} API and exit without {@code close}, parallel CLI runs, and a JVM
 * killed with SIGKILL. The count must be exact where the process exits normally, and never below
 * the truth where it does not.
 */
class UsageCountAttackTest {

  private static final String PASSWORD = "usage-attack-pw-41c7";
  private static final KdfParameters FAST_KDF = TestStores.FAST_KDF;

  private static Path newStore(Path dir, KeyPolicy policy) {
    Path f = dir.resolve("usage.clavis");
    try (Keyring k = Keyrings.openFile(f, PASSWORD.toCharArray(), FAST_KDF)) {
      k.create("pay", KeyAlgorithm.AES_256, policy);
    }
    return f;
  }

  private static KeyVersionInfo read(Path f) {
    try (Keyring k = Keyrings.openFile(f, PASSWORD.toCharArray())) {
      return k.find("pay").orElseThrow().latest();
    }
  }

  private static ProcessBuilder java(String main, String... args) {
    List<String> options = Runtime.version().feature() >= 22 ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(options, main, args));
    pb.environment().put("CLAVIS_PASSWORD", PASSWORD);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb;
  }

  private static void awaitExit(Process p, String what) throws Exception {
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), what + " did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), what + " failed: " + out);
  }

  @Test
  void usage_tenShortLivedKeyStoreJvms_countExactlyTen_nothingReserved(@TempDir Path dir) throws Exception {
    // a usage limit of 100: before the fix ten such processes counted 10,240 and hit it on the first
    Path f = newStore(dir, KeyPolicy.builder().usageLimit(100).build());
    for (int i = 0; i < 10; i++) {
      Process p = java(UsageCountWorker.class.getName(), f.toString(), "pay", "1", "exit").start();
      awaitExit(p, "KeyStore JVM " + i);
    }
    KeyVersionInfo v = read(f);
    assertEquals(10, v.uses(), "exact uses: " + v);
    assertEquals(0, v.reserved(), "nothing left reserved after normal exits: " + v);
    assertEquals(10, v.usageCount(), "the count against the limit: " + v);
  }

  @Test
  void usage_fourParallelCliEncryptions_countExactlyFour(@TempDir Path dir) throws Exception {
    Path f = newStore(dir, KeyPolicy.defaults());
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ProcessBuilder pb = java("dev.clavis.cli.Main", "--store", f.toString(), "encrypt", "pay");
      Process p = pb.start();
      p.getOutputStream().write(("plaintext " + i).getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      ps.add(p);
    }
    for (int i = 0; i < ps.size(); i++) {
      awaitExit(ps.get(i), "clavis encrypt " + i);
    }
    KeyVersionInfo v = read(f);
    assertEquals(4, v.uses(), "exact uses: " + v);
    assertEquals(0, v.reserved(), v.toString());
    assertEquals(4, v.usageCount(), v.toString());
  }

  @Test
  void usage_sigkilledJvm_keepsItsReservationCounted_neverUnder(@TempDir Path dir) throws Exception {
    Path f = newStore(dir, KeyPolicy.defaults());
    int used = 5;
    Process p = java(UsageCountWorker.class.getName(), f.toString(), "pay", Integer.toString(used), "hang").start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = r.readLine();
      assertEquals("ENCRYPTED " + used, line);
      p.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    KeyVersionInfo v = read(f);
    assertTrue(v.usageCount() >= used, "never under-counts: " + v + " after " + used + " uses");
    assertEquals(0, v.uses(), "nothing was given back, so nothing is claimed exact: " + v);
    assertEquals(v.usageCount(), v.reserved(), v.toString());
    // the killed process's block is small: a crash costs a few uses, not a thousand
    assertTrue(v.reserved() <= 64, "a short-lived process over-counts by a small block: " + v);

    // a normal process afterwards settles its own uses exactly and leaves the crashed block counted
    Process q = java(UsageCountWorker.class.getName(), f.toString(), "pay", "2", "exit").start();
    awaitExit(q, "KeyStore JVM after the crash");
    KeyVersionInfo w = read(f);
    assertEquals(2, w.uses(), w.toString());
    assertEquals(v.reserved(), w.reserved(), "the crashed reservation stays counted: " + w);
  }
}
