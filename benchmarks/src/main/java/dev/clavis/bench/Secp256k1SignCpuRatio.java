package dev.clavis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Companion to {@link Secp256k1SignBenchmark} for a shared, noisy machine (as
 * {@link Bip32CpuRatios}): the same benchmark method for Clavis and Bouncy Castle in interleaved
 * batches within one JVM, timed in <em>thread CPU time</em>, so load from other processes shifts
 * both alike and the ratio stays meaningful. JMH's wall-clock figures remain the primary numbers.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Secp256k1SignCpuRatio [rounds]
 * </pre>
 */
public final class Secp256k1SignCpuRatio {

  private Secp256k1SignCpuRatio() {}

  /**
   * Prints CPU-time signatures per second of both and Clavis's ratio.
   *
   * @param args optional number of measured rounds (default 20)
   * @throws Exception if a benchmark fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    String[] impls = {"clavis", "bouncycastle"};
    Secp256k1SignBenchmark[] b = new Secp256k1SignBenchmark[2];
    for (int i = 0; i < 2; i++) {
      b[i] = new Secp256k1SignBenchmark();
      b[i].impl = impls[i];
      b[i].setup();
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] ns = new double[2];
    long[] ops = new long[2];
    int sink = 0;
    for (int r = -5; r < rounds; r++) { // five warm-up rounds
      for (int i = 0; i < 2; i++) {
        int n = 200;
        long t0 = mx.getCurrentThreadCpuTime();
        for (int j = 0; j < n; j++) {
          sink += b[i].sign().length;
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (r >= 0) {
          ns[i] += t1 - t0;
          ops[i] += n;
        }
      }
    }
    double clavis = ops[0] / (ns[0] / 1e9);
    double bc = ops[1] / (ns[1] / 1e9);
    System.out.printf("secp256k1 sign (CPU time): clavis %.0f ops/s, bouncycastle %.0f ops/s, ratio %.2fx (%d)%n",
        clavis, bc, clavis / bc, sink & 1);
  }
}
