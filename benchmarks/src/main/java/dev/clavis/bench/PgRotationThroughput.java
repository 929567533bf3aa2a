package dev.clavis.bench;

import dev.clavis.jdbc.PostgresBackendFactory;
import dev.clavis.jdbc.PostgresKeyBackend;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.testkit.Postgres;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable rotations per second on one PostgreSQL keyring shared by 4 JVM processes (as 4 hosts
 * would share it), with 1 writer (one thread of process 0; the other 3 hold the keyring open) and
 * with 8 writers (2 threads in each process, one {@code Keyring} per process), once on 8 distinct
 * keys and once all on the same key; then the file store's single-process figure (1 and 8 threads
 * in this JVM) for contrast. A writer rotates its key in a loop for the window; a rotation counts
 * when {@code rotate} returned (committed). The workers stay up across the scenarios and start each
 * one together on a line from this process. Serialisation retries are the backend's own count.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.PgRotationThroughput [seconds per scenario]
 * </pre>
 *
 * The cluster is the test fixture ({@code dev.clavis.testkit.Postgres}: {@code initdb} in a
 * temporary directory, {@code fsync=off}, loopback); the file store fsyncs (3 a rotation).
 */
public final class PgRotationThroughput {

  private static final String PW = "bench-password";
  private static final KdfParameters KDF = KdfParameters.argon2id(1, 8, 1).allowingWeak();
  private static final int PROCESSES = 4;

  private PgRotationThroughput() {}

  /**
   * Runs the harness, or with {@code --worker URL MARK} one worker process.
   *
   * @param args seconds per scenario (default 5), or the worker's arguments
   * @throws Exception if the fixture, a worker or a keyring fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--worker")) {
      worker(args[1], args[2]);
      return;
    }
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Postgres pg = Postgres.require();
    String url = pg.jdbcUrl(pg.createDatabase());
    Path dir = Files.createTempDirectory("pg-rotations");
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(url, props(dir.resolve("setup.mark").toString()),
        PW.toCharArray(), KDF, true))) {
      for (int i = 0; i < 8; i++) {
        k.create("k" + i, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      }
      k.create("shared", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    List<Process> workers = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    List<BufferedWriter> ins = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), PgRotationThroughput.class.getName(), "--worker",
          url, dir.resolve("w" + i + ".mark").toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
      Process w = pb.start();
      workers.add(w);
      outs.add(new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8)));
      ins.add(new BufferedWriter(new OutputStreamWriter(w.getOutputStream(), StandardCharsets.UTF_8)));
    }
    for (BufferedReader o : outs) {
      expect(o, "ready");
    }
    System.out.printf("PostgreSQL keyring, %d processes, %d s a scenario, JDK %s, load average at start %.1f%n",
        PROCESSES, seconds, Runtime.version(), load());
    run(ins, outs, new int[] {2, 2, 2, 2}, "distinct", 2, null); // warm-up: JIT and connections, not reported
    List<String> table = new ArrayList<>();
    table.add("| store | writers | keys | rotations/s | ms per rotation p50 / p99 | retries | failed | load |");
    table.add("|---|---|---|---|---|---|---|---|");
    table.add(run(ins, outs, new int[] {1, 0, 0, 0}, "distinct", seconds, "PostgreSQL, 4 processes | 1"));
    table.add(run(ins, outs, new int[] {2, 2, 2, 2}, "distinct", seconds, "PostgreSQL, 4 processes | 8 (2 a process)"));
    table.add(run(ins, outs, new int[] {2, 2, 2, 2}, "same", seconds, "PostgreSQL, 4 processes | 8 (2 a process)"));
    for (BufferedWriter in : ins) {
      in.write("quit\n");
      in.flush();
    }
    for (Process w : workers) {
      w.waitFor();
    }
    try (Keyring f = Keyrings.openFile(dir.resolve("f.clavis"), PW.toCharArray(), KDF)) {
      for (int i = 0; i < 8; i++) {
        f.create("k" + i, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      }
      f.create("shared", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      rotate(f, 2, 2, "distinct", 0, null, new AtomicLong()); // warm-up
      table.add(fileRow(f, 1, "distinct", seconds, "file store, 1 process | 1"));
      table.add(fileRow(f, 8, "distinct", seconds, "file store, 1 process | 8 threads"));
      table.add(fileRow(f, 8, "same", seconds, "file store, 1 process | 8 threads"));
    }
    table.forEach(System.out::println);
    System.exit(0);
  }

  private static Properties props(String mark) {
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, "bench");
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, mark);
    return p;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Starts one scenario in every worker at once and sums their results into a table row. */
  private static String run(List<BufferedWriter> ins, List<BufferedReader> outs, int[] threads, String keys,
      int seconds, String label) throws Exception {
    for (int i = 0; i < ins.size(); i++) {
      ins.get(i).write("run " + i + " " + threads[i] + " " + keys + " " + seconds * 1000L + "\n");
      ins.get(i).flush();
    }
    long ok = 0;
    long failed = 0;
    long retries = 0;
    List<Long> micros = new ArrayList<>();
    for (BufferedReader o : outs) {
      String[] f = expect(o, "result").split(" ");
      ok += Long.parseLong(f[1]);
      failed += Long.parseLong(f[2]);
      retries += Long.parseLong(f[3]);
      for (int i = 4; i < f.length; i++) {
        micros.add(Long.parseLong(f[i]));
      }
    }
    return label == null ? null : row(label, keys, ok, seconds, micros, retries, failed);
  }

  private static String row(String label, String keys, long ok, int seconds, List<Long> micros, long retries,
      long failed) {
    long[] m = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    double p50 = m.length == 0 ? 0 : m[m.length / 2] / 1000.0;
    double p99 = m.length == 0 ? 0 : m[Math.max(0, (int) Math.ceil(m.length * 0.99) - 1)] / 1000.0;
    return String.format("| %s | %s | %.1f | %.1f / %.1f | %d | %d | %.1f |", label,
        keys.equals("same") ? "all on one key" : "one key each", ok / (double) seconds, p50, p99, retries, failed,
        load());
  }

  private static String fileRow(Keyring f, int threads, String keys, int seconds, String label) throws Exception {
    AtomicLong failed = new AtomicLong();
    List<Long> micros = rotate(f, threads, 0, keys, seconds * 1000L, null, failed);
    return row(label, keys, micros.size(), seconds, micros, 0, failed.get());
  }

  /**
   * Rotates for {@code millis} from {@code threads} threads; {@code warmRotations} > 0 instead runs
   * that many rotations each.
   *
   * @return every committed rotation's latency in microseconds
   */
  private static List<Long> rotate(Keyring ring, int threads, int warmRotations, String keys, long millis,
      int[] keyBase, AtomicLong failed) throws InterruptedException {
    List<Long> all = java.util.Collections.synchronizedList(new ArrayList<>());
    long end = System.nanoTime() + millis * 1_000_000L;
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      String name = keys.equals("same") ? "shared" : "k" + ((keyBase == null ? 0 : keyBase[0]) + t);
      ts[t] = new Thread(() -> {
        List<Long> mine = new ArrayList<>();
        for (int i = 0; warmRotations > 0 ? i < warmRotations : System.nanoTime() < end; i++) {
          long t0 = System.nanoTime();
          try {
            ring.rotate(name, "bench");
            mine.add((System.nanoTime() - t0) / 1000);
          } catch (RuntimeException e) {
            if (failed.incrementAndGet() == 1) {
              System.err.println("a rotation failed: " + e);
            }
          }
        }
        all.addAll(mine);
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    return all;
  }

  /** A worker: opens the keyring, then runs the scenarios it is sent until "quit". */
  private static void worker(String url, String mark) throws Exception {
    PostgresKeyBackend backend = (PostgresKeyBackend) new PostgresBackendFactory().open(url, props(mark),
        PW.toCharArray(), KDF, false);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (Keyring ring = Keyrings.open(backend)) {
      System.out.println("ready");
      System.out.flush();
      for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
        String[] f = line.split(" "); // run <process> <threads> <distinct|same> <millis>
        int process = Integer.parseInt(f[1]);
        int threads = Integer.parseInt(f[2]);
        long before = backend.retries();
        AtomicLong failed = new AtomicLong();
        List<Long> micros = rotate(ring, threads, 0, f[3], Long.parseLong(f[4]), new int[] {process * 2}, failed);
        StringBuilder sb = new StringBuilder("result ").append(micros.size()).append(' ').append(failed.get())
            .append(' ').append(backend.retries() - before);
        for (long m : micros) {
          sb.append(' ').append(m);
        }
        System.out.println(sb);
        System.out.flush();
      }
    }
  }

  private static String expect(BufferedReader o, String prefix) throws Exception {
    for (String line; (line = o.readLine()) != null; ) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException("a worker exited before '" + prefix + "'");
  }
}
