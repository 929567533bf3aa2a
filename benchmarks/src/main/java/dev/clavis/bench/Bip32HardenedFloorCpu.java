package dev.clavis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * Companion to {@link Bip32HardenedFloorBenchmark} for a shared, noisy machine: runs its three
 * operations in interleaved batches within one JVM and measures <em>thread CPU time</em>, so load
 * from other processes shifts all three alike and their ratios stay meaningful.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Bip32HardenedFloorCpu [rounds]
 * </pre>
 */
public final class Bip32HardenedFloorCpu {

  private static final int BATCH = 20_000;
  private static volatile Object sink;

  private Bip32HardenedFloorCpu() {}

  /**
   * Prints each operation's CPU-time throughput (median over rounds) and the child's fraction of
   * the HMAC floors.
   *
   * @param args optional number of measured rounds (default 30)
   * @throws Exception if the JDK's HmacSHA512 is missing
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Bip32HardenedFloorBenchmark b = new Bip32HardenedFloorBenchmark();
    b.setup();
    String[] names = {"jdkHmacSha512", "clavisHmacSha512", "clavisHardenedChild"};
    Supplier<?>[] ops = {
      () -> {
        try {
          return b.jdkHmacSha512();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      },
      b::clavisHmacSha512,
      b::clavisHardenedChild,
    };
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] rate = new double[ops.length][rounds];
    for (int r = -5; r < rounds; r++) { // five warm-up rounds
      for (int o = 0; o < ops.length; o++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < BATCH; i++) {
          sink = ops[o].get();
        }
        long t = mx.getCurrentThreadCpuTime() - t0;
        if (r >= 0) {
          rate[o][r] = BATCH * 1e9 / t;
        }
      }
    }
    double[] med = new double[ops.length];
    for (int o = 0; o < ops.length; o++) {
      double[] s = rate[o].clone();
      java.util.Arrays.sort(s);
      med[o] = s[rounds / 2];
      System.out.printf("%-22s %,12.0f ops/s (CPU time, median of %d interleaved rounds of %d)%n",
          names[o], med[o], rounds, BATCH);
    }
    System.out.printf("child / JDK HmacSHA512 = %.2f; child / Clavis HMAC = %.2f%n", med[2] / med[0], med[2] / med[1]);
  }
}
