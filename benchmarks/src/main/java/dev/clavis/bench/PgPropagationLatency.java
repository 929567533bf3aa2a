package dev.clavis.bench;

import dev.clavis.jdbc.PostgresBackendFactory;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.testkit.Postgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Properties;

/**
 * How long a rotation committed by one process takes to be <em>used</em> by another: process A
 * (this JVM) rotates a key; process B (a child JVM with its own keyring and connections, as
 * another host) looks at the key's primary version every millisecond ({@code find}, read-only)
 * and, when it changes, encrypts under it once; it reports, with its {@code System.nanoTime()}
 * (one clock on one Linux host), when it saw the new primary and when that first encrypt returned
 * (it includes the commit reserving B's first usage block of the version), and the envelope's
 * version is checked. The latencies run from {@code rotate} returning on A (the commit
 * acknowledged). Twice: with B's {@code LISTEN} hint (the default) and with
 * {@code clavis.listen=false} (the generation poll alone, as through transaction-pooling
 * PgBouncer), to show the poll's bound. Between rotations A waits a random 0-100 ms, so the
 * rotations fall at random points of B's 250 ms poll.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.PgPropagationLatency [rotations per mode]
 * </pre>
 */
public final class PgPropagationLatency {

  private static final String PW = "bench-password";
  private static final KdfParameters KDF = KdfParameters.argon2id(1, 8, 1).allowingWeak();
  private static final byte[] AAD = "propagation".getBytes(StandardCharsets.UTF_8);

  private PgPropagationLatency() {}

  /**
   * Runs the harness, or with {@code --user URL MARK LISTEN} process B.
   *
   * @param args rotations per mode (default 200), or B's arguments
   * @throws Exception if the fixture, B or a keyring fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--user")) {
      user(args[1], args[2], args[3]);
      return;
    }
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Postgres pg = Postgres.require();
    String url = pg.jdbcUrl(pg.createDatabase());
    Path dir = Files.createTempDirectory("pg-propagation");
    System.out.printf("%d rotations a mode, JDK %s, load average at start %.1f%n", n, Runtime.version(), load());
    System.out.println("| B's hint | on B | rotations | p50 ms | p90 ms | p99 ms | max ms | load |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    try (Keyring a = Keyrings.open(new PostgresBackendFactory().open(url, props(dir.resolve("a.mark").toString(),
        "true"), PW.toCharArray(), KDF, true))) {
      a.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      for (String listen : new String[] {"true", "false"}) {
        measure(a, url, dir, listen, n);
      }
    }
    System.exit(0);
  }

  private static void measure(Keyring a, String url, Path dir, String listen, int n) throws Exception {
    Process b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), PgPropagationLatency.class.getName(), "--user", url,
        dir.resolve("b-" + listen + ".mark").toString(), listen).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
    next(out, -1); // ready: B encrypts under the current version
    SecureRandom r = new SecureRandom();
    long[] seenMicros = new long[n];
    long[] usedMicros = new long[n];
    for (int i = 0; i < n; i++) {
      int v = a.rotate("orders", "propagation").version();
      long acknowledged = System.nanoTime();
      long[] t = next(out, v);
      seenMicros[i] = (t[0] - acknowledged) / 1000;
      usedMicros[i] = (t[1] - acknowledged) / 1000;
      Thread.sleep(r.nextInt(100));
    }
    b.getOutputStream().close(); // B stops when its standard input closes
    b.waitFor();
    String hint = listen.equals("true") ? "LISTEN/NOTIFY + 250 ms poll" : "poll only (clavis.listen=false)";
    row(hint, "seen (find)", seenMicros);
    row(hint, "used (first encrypt returned)", usedMicros);
  }

  private static void row(String hint, String what, long[] micros) {
    long[] s = micros.clone();
    Arrays.sort(s);
    System.out.printf("| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", hint, what, s.length, pct(s, 0.50),
        pct(s, 0.90), pct(s, 0.99), s[s.length - 1] / 1000.0, load());
  }

  private static double pct(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)] / 1000.0;
  }

  /**
   * @return B's nanoTimes of its first sight of {@code version} as the primary and of its first
   *     envelope under it (any version if negative)
   */
  private static long[] next(BufferedReader out, int version) throws Exception {
    for (String line; (line = out.readLine()) != null; ) {
      String[] f = line.split(" "); // v <version> <seen nanoTime> <used nanoTime>
      if (f[0].equals("v") && (version < 0 || Integer.parseInt(f[1]) >= version)) {
        if (version >= 0 && Integer.parseInt(f[1]) != version) {
          throw new IllegalStateException("process B encrypted under version " + f[1] + ", expected " + version);
        }
        return new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
      }
    }
    throw new IllegalStateException("process B exited");
  }

  private static Properties props(String mark, String listen) {
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, "bench");
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, mark);
    p.setProperty(PostgresBackendFactory.LISTEN, listen);
    return p;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Process B: encrypts every millisecond, prints each new version's first envelope time, until stdin closes. */
  private static void user(String url, String mark, String listen) throws Exception {
    Thread stop = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // nothing is sent: only the end matters
        }
      } catch (java.io.IOException e) {
        // the parent is gone
      }
      System.exit(0);
    });
    stop.setDaemon(true);
    stop.start();
    try (Keyring b = Keyrings.open(new PostgresBackendFactory().open(url, props(mark, listen), PW.toCharArray(),
        KDF, false))) {
      byte[] msg = "m".getBytes(StandardCharsets.UTF_8);
      int last = -1;
      while (true) {
        // a read-only watch: an encrypt every millisecond would reserve usage blocks (commits), and
        // this process would learn of the rotation through its own writes, not through the hint or the poll
        int primary = b.find("orders").orElseThrow().primary().orElseThrow().version();
        if (primary != last) {
          long seen = System.nanoTime();
          byte[] env = b.encrypt("orders", msg, AAD); // the first use: reserves this process's first block
          long used = System.nanoTime();
          // "CLV" format | u8 n | name | u32 version ... (docs/envelope.md)
          int v = ByteBuffer.wrap(env, 5 + env[4], 4).getInt();
          System.out.println("v " + v + " " + seen + " " + used);
          System.out.flush();
          last = primary;
        }
        Thread.sleep(1);
      }
    }
  }
}
