package dev.clavis.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PgBouncer in transaction-pooling mode in front of the {@link Postgres} test cluster, on its own
 * port of 127.0.0.1: each transaction may run on a different server connection, so session state
 * ({@code LISTEN}, session settings, named prepared statements) does not carry from one to the
 * next, which is what a keyring behind such a pooler must survive.
 *
 * <pre>{@code
 * try (PgBouncer bouncer = PgBouncer.start(Postgres.require())) {
 *   String url = bouncer.jdbcUrl(db);   // jdbc:postgresql://127.0.0.1:PORT/DB?...
 * }
 * }</pre>
 *
 * <p>PgBouncer comes from Debian's {@code pgbouncer} package (installed by
 * {@code scripts/install-test-deps.sh}). It refuses to run as root, so as root it runs as the
 * {@code postgres} user. Without it the tests fail when {@code CI} is set and are skipped otherwise.
 */
public final class PgBouncer implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

  private final Path home;
  private final int port;
  private final Process process;

  private PgBouncer(Path home, int port, Process process) {
    this.home = home;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts a PgBouncer in transaction-pooling mode for every database of the cluster.
   *
   * @param pg the cluster to pool connections to
   * @return the running pooler; close it to stop it
   * @throws org.opentest4j.AssertionFailedError when PgBouncer is missing or cannot start and {@code CI} is set
   * @throws org.opentest4j.TestAbortedException when it is missing elsewhere (the test is skipped)
   */
  public static PgBouncer start(Postgres pg) {
    if (!Files.isExecutable(BINARY)) {
      failOrSkip(BINARY + " not found");
    }
    Path home = null;
    try {
      boolean root = "root".equals(System.getProperty("user.name"));
      home = Files.createTempDirectory("clavis-pgbouncer-");
      int port = freePort();
      Files.writeString(home.resolve("userlist.txt"),
          "\"" + Postgres.USER + "\" \"" + Postgres.PASSWORD + "\"\n");
      Files.writeString(home.resolve("pgbouncer.ini"), String.join("\n",
          "[databases]",
          "* = host=" + pg.host() + " port=" + pg.port(),
          "[pgbouncer]",
          "listen_addr = 127.0.0.1",
          "listen_port = " + port,
          "unix_socket_dir =",
          "auth_type = scram-sha-256",
          "auth_file = " + home.resolve("userlist.txt"),
          "pool_mode = transaction",
          "default_pool_size = 4",
          "max_client_conn = 200",
          // the JDBC driver sends it at startup; PgBouncer refuses unknown startup parameters
          "ignore_startup_parameters = extra_float_digits",
          "logfile = " + home.resolve("pgbouncer.log"),
          ""));
      List<String> cmd = new ArrayList<>();
      if (root) {
        run(List.of("chown", "-R", "postgres:", home.toString()));
        cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
      }
      cmd.add(BINARY.toString());
      cmd.add(home.resolve("pgbouncer.ini").toString());
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(home.resolve("stdout.log").toFile()).start();
      PgBouncer bouncer = new PgBouncer(home, port, p);
      bouncer.awaitListening();
      return bouncer;
    } catch (IOException | RuntimeException e) {
      String log = home == null ? "" : " " + readQuietly(home.resolve("pgbouncer.log"))
          + readQuietly(home.resolve("stdout.log"));
      failOrSkip("PgBouncer did not start: " + e.getMessage() + log);
      throw new AssertionError("unreachable");
    }
  }

  /** @return the port PgBouncer listens on (127.0.0.1) */
  public int port() {
    return port;
  }

  /**
   * @param database a database of the cluster
   * @return a JDBC URL reaching it through PgBouncer, with the test credentials
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + Postgres.USER
        + "&password=" + Postgres.PASSWORD;
  }

  /** @return PgBouncer's log, for failure messages */
  public String log() {
    return readQuietly(home.resolve("pgbouncer.log"));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> s = Files.walk(home)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + home + ": " + e.getMessage());
    }
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("pgbouncer exited " + process.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("pgbouncer not listening on " + port + " after 20 s", e);
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void run(List<String> cmd) throws IOException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String readQuietly(Path f) {
    try {
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void failOrSkip(String problem) {
    if (System.getenv("CI") != null) {
      fail("PgBouncer is required in CI: " + problem + " (run scripts/install-test-deps.sh)");
    }
    System.err.println("SKIPPED: PgBouncer test: " + problem);
    Assumptions.abort(problem);
  }
}
