package dev.clavis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Companion to {@link KeyWrapAccpBenchmark} for a shared, noisy machine: runs its benchmark
 * methods for Clavis, SunJCE and ACCP in interleaved short batches within one JVM and measures
 * <em>thread CPU time</em>, so load from other processes shifts the three alike and the ratios
 * stay meaningful. Prints ns/op (median over rounds) and Clavis's speed relative to each.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.KeyWrapCpuRatios [rounds]
 * </pre>
 */
public final class KeyWrapCpuRatios {

  private static final String[] PROVIDERS = {"Clavis", "SunJCE", "AmazonCorrettoCryptoProvider"};
  private static final String[] OPS = {"wrap", "unwrap", "getInstanceInitWrap"};
  private static final int BATCH = 2_000;
  private static volatile Object sink;

  private KeyWrapCpuRatios() {}

  /**
   * Runs every operation for 32- and 20-byte keys.
   *
   * @param args optional number of measured rounds (default 25)
   * @throws Exception if a provider refuses the setup
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf("%-20s %5s %10s %10s %10s %10s %10s%n", "ns/op, CPU time", "bytes", "Clavis", "SunJCE", "ACCP",
        "×SunJCE", "×ACCP");
    for (int keyBytes : new int[] {32, 20}) {
      KeyWrapAccpBenchmark[] b = new KeyWrapAccpBenchmark[PROVIDERS.length];
      for (int p = 0; p < b.length; p++) {
        b[p] = new KeyWrapAccpBenchmark();
        b[p].provider = PROVIDERS[p];
        b[p].keyBytes = keyBytes;
        b[p].setup();
      }
      for (String op : OPS) {
        double[][] ns = new double[PROVIDERS.length][rounds];
        for (int r = -5; r < rounds; r++) { // five warm-up rounds
          for (int p = 0; p < b.length; p++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < BATCH; i++) {
              sink = call(b[p], op);
            }
            if (r >= 0) {
              ns[p][r] = (mx.getCurrentThreadCpuTime() - t0) / (double) BATCH;
            }
          }
        }
        double[] med = new double[PROVIDERS.length];
        for (int p = 0; p < med.length; p++) {
          Arrays.sort(ns[p]);
          med[p] = ns[p][rounds / 2];
        }
        System.out.printf("KWP %-16s %5d %10.0f %10.0f %10.0f %9.2f× %9.2f×%n", op, keyBytes, med[0], med[1], med[2],
            med[1] / med[0], med[2] / med[0]);
      }
    }
    kw(mx, rounds);
  }

  /** KW (RFC 3394, no padding), which ACCP does not offer: Clavis against SunJCE only. */
  private static void kw(ThreadMXBean mx, int rounds) throws Exception {
    KeyWrapBenchmark[] b = new KeyWrapBenchmark[2];
    for (int p = 0; p < 2; p++) {
      b[p] = new KeyWrapBenchmark();
      b[p].provider = PROVIDERS[p];
      b[p].variant = "KW-32";
      b[p].setup();
    }
    for (String op : OPS) {
      double[][] ns = new double[2][rounds];
      for (int r = -5; r < rounds; r++) {
        for (int p = 0; p < 2; p++) {
          long t0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < BATCH; i++) {
            switch (op) {
              case "wrap": sink = b[p].wrap(); break;
              case "unwrap": sink = b[p].unwrap(); break;
              default: sink = b[p].getInstanceInitWrap(); break;
            }
          }
          if (r >= 0) {
            ns[p][r] = (mx.getCurrentThreadCpuTime() - t0) / (double) BATCH;
          }
        }
      }
      Arrays.sort(ns[0]);
      Arrays.sort(ns[1]);
      double c = ns[0][rounds / 2];
      double s = ns[1][rounds / 2];
      System.out.printf("KW %-17s %5d %10.0f %10.0f %10s %9.2f× %10s%n", op, 32, c, s, "-", s / c, "-");
    }
  }

  private static Object call(KeyWrapAccpBenchmark b, String op) throws Exception {
    switch (op) {
      case "wrap": return b.wrap();
      case "unwrap": return b.unwrap();
      default: return b.getInstanceInitWrap();
    }
  }
}
