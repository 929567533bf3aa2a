package dev.clavis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Companion to {@link Bip32Benchmark} for a shared, noisy machine: runs the same benchmark methods
 * for the three implementations in interleaved short batches within one JVM and measures
 * <em>thread CPU time</em>, so load from other processes shifts all three alike and the ratios
 * stay meaningful. JMH's wall-clock figures remain the primary numbers.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Bip32CpuRatios [rounds]
 * </pre>
 */
public final class Bip32CpuRatios {

  private static final String[] IMPLS = {"clavis", "bitcoinj", "bouncycastle"};

  private interface Op {
    void run(Bip32Benchmark b, Blackhole bh);
  }

  private Bip32CpuRatios() {}

  /**
   * Runs every workload and prints CPU-time throughput and Clavis's ratio to each competitor.
   *
   * @param args optional number of measured rounds (default 20)
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Blackhole bh = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    Map<String, Bip32Benchmark> benches = new LinkedHashMap<>();
    for (String impl : IMPLS) {
      Bip32Benchmark b = new Bip32Benchmark();
      b.impl = impl;
      b.setup();
      benches.put(impl, b);
    }
    Map<String, Op> ops = new LinkedHashMap<>();
    ops.put("hardenedPrivateChild", (b, h) -> h.consume(b.hardenedPrivateChild()));
    ops.put("nonHardenedPrivateChild", (b, h) -> h.consume(b.nonHardenedPrivateChild()));
    ops.put("publicChildFromXpub", (b, h) -> h.consume(b.publicChildFromXpub()));
    ops.put("publicKeyOfPrivateKey", (b, h) -> h.consume(b.publicKeyOfPrivateKey()));
    ops.put("pathPrivateOnly", Bip32Benchmark::pathPrivateOnly);
    ops.put("pathWithPublicKeys", Bip32Benchmark::pathWithPublicKeys);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf("%-26s %14s %14s %14s %9s %9s%n", "benchmark (keys/s, CPU time)", "clavis", "bitcoinj",
        "bouncycastle", "×bitcoinj", "×BC");
    for (Map.Entry<String, Op> e : ops.entrySet()) {
      boolean path = e.getKey().startsWith("path");
      Map<String, double[]> acc = new LinkedHashMap<>();
      for (int r = -3; r < rounds; r++) { // three warm-up rounds
        for (String impl : IMPLS) {
          Bip32Benchmark b = benches.get(impl);
          int n = batch(e.getKey(), impl);
          long t0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < n; i++) {
            e.getValue().run(b, bh);
          }
          long t1 = mx.getCurrentThreadCpuTime();
          if (r >= 0) {
            double[] a = acc.computeIfAbsent(impl, k -> new double[2]);
            a[0] += n * (path ? 1000 : 1);
            a[1] += (t1 - t0) / 1e9;
          }
        }
      }
      double c = rate(acc.get("clavis"));
      double j = rate(acc.get("bitcoinj"));
      double bc = rate(acc.get("bouncycastle"));
      System.out.printf("%-26s %14.0f %14.0f %14.0f %9.2f %9.2f%n", e.getKey(), c, j, bc, c / j, c / bc);
    }
  }

  private static double rate(double[] a) {
    return a[0] / a[1];
  }

  /** Batch sizes of roughly 50-200 ms per implementation. */
  private static int batch(String op, String impl) {
    boolean slow = impl.equals("bitcoinj");
    switch (op) {
      case "hardenedPrivateChild":
      case "nonHardenedPrivateChild":
        return slow ? 1000 : 20000;
      case "publicChildFromXpub":
      case "publicKeyOfPrivateKey":
        return 1000;
      default:
        return slow ? 1 : 5;
    }
  }
}
