package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrency (issue 6 §3): threads × operations on one keyring, and two processes on one store
 * through its file lock. No lost update, no usage limit exceeded, no deadlock (timeouts).
 */
class ConcurrencyTest {

  static final int THREADS = 8;
  static final int OPS = 150;
  static final long LIMIT = 50;

  @TempDir Path dir;

  @Test
  void threads_encryptDecryptRotate_noLostUpdateAndLimitsHold() {
    assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
      try (Keyring k = TestStores.open(dir.resolve("threads.store"))) {
        k.create("limited", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(LIMIT).build());
        k.create("spun", KeyAlgorithm.AES_256, KeyPolicy.defaults());
        Map<KeyRef, AtomicLong> uses = new ConcurrentHashMap<>();
        AtomicLong rotations = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int id = t;
          futures.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < OPS; i++) {
              byte[] plain = ("t" + id + "-" + i).getBytes(StandardCharsets.US_ASCII);
              byte[] env = k.encrypt("limited", plain, null);
              uses.computeIfAbsent(CrashWorker.EnvelopeHeader.ref(env), r -> new AtomicLong()).incrementAndGet();
              assertArrayEquals(plain, k.decrypt(env, null));
              if (i % 10 == id % 10) {
                k.rotate("spun", "thread " + id);
                rotations.incrementAndGet();
              }
              byte[] spun = k.encrypt("spun", plain, null);
              assertArrayEquals(plain, k.decrypt(spun, null));
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get(170, TimeUnit.SECONDS);
        }
        pool.shutdown();

        long total = 0;
        KeyInfo limited = k.find("limited").orElseThrow();
        for (Map.Entry<KeyRef, AtomicLong> e : uses.entrySet()) {
          long n = e.getValue().get();
          total += n;
          assertTrue(n <= LIMIT, e.getKey() + " encrypted " + n + " times, its limit is " + LIMIT);
          KeyVersionInfo v = limited.version(e.getKey().version().getAsInt()).orElseThrow();
          assertTrue(v.usageCount() >= n, e.getKey() + " counts " + v.usageCount() + " uses, " + n + " happened");
        }
        assertEquals((long) THREADS * OPS, total);
        assertTrue(limited.versions().size() >= THREADS * OPS / LIMIT, "automatic rotations: " + limited.versions().size());
        assertEquals(1 + rotations.get(), k.find("spun").orElseThrow().versions().size(), "a rotation was lost");
        System.err.printf("ConcurrencyTest: %d threads x %d ops, %d encryptions over %d versions (limit %d each), %d rotations%n",
            THREADS, OPS, total, limited.versions().size(), LIMIT, rotations.get());
      }
    });
  }

  @Test
  void twoProcesses_throughTheFileLock_loseNoUpdate() {
    assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
      Path store = dir.resolve("procs.store");
      try (Keyring k = TestStores.open(store)) {
        k.create("shared", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(7).build());
        k.create("shared-rot", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      }
      int n = 25;
      Process a = ChildJvm.start(ConcurrencyWorker.class, Map.of(), store.toString(), "pa", Integer.toString(n));
      Process b = ChildJvm.start(ConcurrencyWorker.class, Map.of(), store.toString(), "pb", Integer.toString(n));
      String outA = drain(a);
      String outB = drain(b);
      assertEquals(0, a.waitFor(), outA);
      assertEquals(0, b.waitFor(), outB);
      assertTrue(outA.endsWith("DONE\n") && outB.endsWith("DONE\n"), outA + outB);

      Map<String, Long> uses = new ConcurrentHashMap<>();
      (outA + outB).lines().filter(l -> l.startsWith("USE ")).forEach(l -> uses.merge(l.substring(4), 1L, Long::sum));
      try (Keyring k = TestStores.open(store)) {
        for (int i = 0; i < n; i++) {
          assertTrue(k.find("pa-" + i).isPresent(), "lost pa-" + i);
          assertTrue(k.find("pb-" + i).isPresent(), "lost pb-" + i);
        }
        assertEquals(1 + 2 * n, k.find("shared-rot").orElseThrow().versions().size(), "a rotation was lost");
        KeyInfo shared = k.find("shared").orElseThrow();
        long total = 0;
        for (Map.Entry<String, Long> e : uses.entrySet()) {
          total += e.getValue();
          assertTrue(e.getValue() <= 7, e.getKey() + " encrypted " + e.getValue() + " times over its limit of 7");
          KeyVersionInfo v = shared.version(KeyRef.parse(e.getKey()).version().getAsInt()).orElseThrow();
          assertTrue(v.usageCount() >= e.getValue(), e.getKey() + " counts " + v.usageCount() + " < " + e.getValue());
        }
        assertEquals(2L * n, total);
      }
    });
  }

  private static String drain(Process p) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    return out.toString(StandardCharsets.US_ASCII);
  }
}
