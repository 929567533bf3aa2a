package dev.clavis.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;

/**
 * The implementations of {@link Pkcs11GcmBench} measured in turns inside one JVM: each round runs
 * a batch of each, in a rotating order, on the same token, and each implementation's time is
 * compared with the others' of the same round. On a machine shared with other work the load moves
 * by several times between JMH forks; within a round it moves little, so the median of the
 * per-round ratios is a steadier figure than the ratio of two forks' scores. Not a JMH benchmark.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Pkcs11GcmSideBySide ROUNDS BATCH THREADS IMPLS
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Pkcs11GcmSideBySide 21 400 1 clavis,sunpkcs11-own
 * </pre>
 *
 * The first implementation is the one the ratios are for ("clavis / other": above 1.0 means
 * Clavis did more operations per second).
 */
public final class Pkcs11GcmSideBySide {

  private Pkcs11GcmSideBySide() {}

  /**
   * @param args rounds, operations per thread and batch, threads, comma-separated implementations
   * @throws Exception if an implementation fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    String[] impls = (args.length > 3 ? args[3] : "clavis,clavis-binding,sunpkcs11-own,sunpkcs11-session,iaik").split(",");
    Map<String, Pkcs11GcmBench[]> benches = new LinkedHashMap<>();
    for (String impl : impls) {
      Pkcs11GcmBench[] perThread = new Pkcs11GcmBench[threads];
      for (int t = 0; t < threads; t++) {
        perThread[t] = new Pkcs11GcmBench();
        perThread[t].impl = impl;
        perThread[t].setUp();
      }
      benches.put(impl, perThread);
    }
    Map<String, List<Double>> micros = new LinkedHashMap<>();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    for (String impl : impls) {
      micros.put(impl, new ArrayList<>());
      ratios.put(impl, new ArrayList<>());
    }
    int warmup = 3;
    for (int r = 0; r < warmup + rounds; r++) {
      Map<String, Double> round = new LinkedHashMap<>();
      for (int i = 0; i < impls.length; i++) {
        String impl = impls[(i + r) % impls.length];
        round.put(impl, run(benches.get(impl), batch));
      }
      if (r < warmup) {
        continue;
      }
      for (String impl : impls) {
        micros.get(impl).add(round.get(impl));
        ratios.get(impl).add(round.get(impl) / round.get(impls[0]));
      }
    }
    System.out.printf("%d rounds of %d operations x %d threads, AES-256-GCM encrypt 1 KiB on SoftHSM2%n", rounds, batch,
        threads);
    System.out.printf("%-20s %14s %14s %22s%n", "impl", "median us/op", "median ops/s", impls[0] + " / impl (ops/s)");
    for (String impl : impls) {
      double us = median(micros.get(impl));
      System.out.printf("%-20s %14.1f %14.0f %22.2f%n", impl, us, 1e6 / us, median(ratios.get(impl)));
    }
    for (Pkcs11GcmBench[] b : benches.values()) {
      for (Pkcs11GcmBench x : b) {
        x.tearDown();
      }
    }
    System.exit(0); // the keyring's give-back runs in the exit hook
  }

  /** @return the wall time per operation, in microseconds, of {@code batch} operations on every thread at once */
  private static double run(Pkcs11GcmBench[] perThread, int batch) throws Exception {
    CyclicBarrier start = new CyclicBarrier(perThread.length + 1);
    Thread[] workers = new Thread[perThread.length];
    Exception[] failure = new Exception[1];
    for (int t = 0; t < perThread.length; t++) {
      Pkcs11GcmBench b = perThread[t];
      workers[t] = new Thread(() -> {
        try {
          start.await();
          int sink = 0;
          for (int i = 0; i < batch; i++) {
            sink += b.encrypt1KiB().length;
          }
          if (sink != batch * (1024 + 16)) {
            throw new IllegalStateException("unexpected output length");
          }
        } catch (Exception e) {
          failure[0] = e;
        }
      });
      workers[t].start();
    }
    start.await();
    long t0 = System.nanoTime();
    for (Thread w : workers) {
      w.join();
    }
    long took = System.nanoTime() - t0;
    if (failure[0] != null) {
      throw failure[0];
    }
    return took / 1000.0 / ((double) batch * perThread.length);
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
