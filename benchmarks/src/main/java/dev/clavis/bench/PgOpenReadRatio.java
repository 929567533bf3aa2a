package dev.clavis.bench;

import dev.clavis.jdbc.PostgresBackendFactory;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.testkit.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * Open a keyring of N AES-256 keys and read every key, the PostgreSQL keyring against the file
 * store, interleaved in one JVM (the order alternates each round) so both see the same load. One
 * operation: open the backend and the engine (master key, every row checked against the head),
 * {@code list()}, then the unwrapped material of every key's version 1 through the storage SPI
 * ({@code KeyBackend.material}): the keyring API has no side-effect-free read of material (an
 * export is audited, a first encrypt reserves a usage block: one commit per key on both backends).
 * The file store holds every key in one sealed image; PostgreSQL reads and checks one row per key
 * on its first use. Wall time per phase; the cluster is the test fixture's ({@code fsync=off},
 * loopback). Then 20 rotations in the N-key keyring on each (two rounds, order swapped).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.PgOpenReadRatio [keys [rounds [light|default]]]
 * </pre>
 *
 * "light" (the default) is Argon2id t=1 m=8 KiB, so the figures are the storage's; "default" is
 * the file store's default Argon2id (t=3, m=64 MiB, p=4), the same on both.
 */
public final class PgOpenReadRatio {

  private static final char[] PW = "bench-password".toCharArray();

  private PgOpenReadRatio() {}

  /**
   * Prints each round's phases and the median ratio of PostgreSQL's total to the file store's.
   *
   * @param args keys (10000), rounds (5), KDF (light)
   * @throws Exception if the fixture or a keyring fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    KdfParameters kdf = args.length > 2 && args[2].equals("default") ? null
        : KdfParameters.argon2id(1, 8, 1).allowingWeak();
    Postgres pg = Postgres.require();
    String url = pg.jdbcUrl(pg.createDatabase());
    Path dir = Files.createTempDirectory("pg-open-read");
    Path file = dir.resolve("s.clavis");
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, "bench");
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, dir.resolve("bench.mark").toString());
    Map<String, byte[]> keys = dev.clavis.testkit.RandomKeys.aes256(n);
    KdfParameters forNew = kdf == null ? KdfParameters.defaults() : kdf;
    try (Keyring k = Keyrings.openFile(file, PW, forNew)) {
      k.importKeys(keys, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(url, p, PW, forNew, true))) {
      k.importKeys(keys, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    keys.values().forEach(b -> Arrays.fill(b, (byte) 0));
    System.out.printf("%d keys, KDF %s, JDK %s, load average %.1f%n", n, args.length > 2 ? args[2] : "light",
        Runtime.version(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("round | backend | open (wall, this thread's CPU) | list | read material | total");
    double[] ratio = new double[rounds];
    double[][] totals = new double[2][rounds];
    for (int round = -1; round < rounds; round++) { // round -1 warms the JIT up, not counted
      boolean fileFirst = (round & 1) == 0;
      double a = measure(fileFirst, file, url, p, n, round);
      double b = measure(!fileFirst, file, url, p, n, round);
      if (round >= 0) {
        double fileMs = fileFirst ? a : b;
        double pgMs = fileFirst ? b : a;
        totals[0][round] = fileMs;
        totals[1][round] = pgMs;
        ratio[round] = pgMs / fileMs;
      }
    }
    System.out.printf("median total: file %.0f ms, PostgreSQL %.0f ms; median of the rounds' ratios PostgreSQL/file"
        + " %.2f (range %.2f-%.2f)%n", median(totals[0]), median(totals[1]), median(ratio),
        Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0));
    int rot = 20;
    for (int round = 0; round < 2; round++) { // rotations in the N-key keyring: each rewrites the metadata document
      for (boolean f : new boolean[] {round == 0, round != 0}) {
        KeyBackend backend = f ? FileKeyBackend.openExisting(file, PW)
            : new PostgresBackendFactory().open(url, p, PW, null, false);
        try (Keyring ring = Keyrings.open(backend)) {
          long t = System.nanoTime();
          for (int i = 0; i < rot; i++) {
            ring.rotate("k" + (round * rot + i), "bench");
          }
          System.out.printf("%s: %d rotations in the %d-key keyring, %.1f ms each%n", f ? "file" : "PostgreSQL", rot,
              n, (System.nanoTime() - t) / 1e6 / rot);
        }
      }
    }
    System.exit(0); // the fixture's shutdown hook stops the cluster
  }

  /** @return the total wall time in ms of one open + list + read of every key */
  private static double measure(boolean file, Path store, String url, Properties p, int n, int round) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    KeyBackend backend = file ? FileKeyBackend.openExisting(store, PW)
        : new PostgresBackendFactory().open(url, p, PW, null, false);
    try (Keyring ring = Keyrings.open(backend)) {
      long t1 = System.nanoTime();
      long c1 = mx.getCurrentThreadCpuTime();
      int listed = ring.list().size();
      long t2 = System.nanoTime();
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += backend.material(KeyRef.of("k" + i, 1)).orElseThrow().algorithm().ordinal();
      }
      long t3 = System.nanoTime();
      long c3 = mx.getCurrentThreadCpuTime();
      if (listed != n || sum < 0) {
        throw new AssertionError(listed + " keys listed, " + n + " expected");
      }
      System.out.printf("%s | %s | %.0f (CPU %.0f) ms | %.0f ms | %.0f ms | %.0f (CPU %.0f) ms%n",
          round < 0 ? "warm-up" : round, file ? "file" : "PostgreSQL", (t1 - t0) / 1e6, (c1 - c0) / 1e6,
          (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6, (c3 - c0) / 1e6);
      return (t3 - t0) / 1e6;
    }
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
