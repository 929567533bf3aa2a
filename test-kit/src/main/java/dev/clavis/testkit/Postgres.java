package dev.clavis.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL cluster for the tests of this JVM: {@code initdb} in a temporary
 * directory, its own port on 127.0.0.1, password authentication (SCRAM), stopped and deleted when
 * the JVM exits. No mock: the tests talk to a real server.
 *
 * <pre>{@code
 * Postgres pg = Postgres.require();
 * String db = pg.createDatabase();          // a fresh database for one test
 * String url = pg.jdbcUrl(db);              // jdbc:postgresql://127.0.0.1:PORT/DB?user=...&password=...
 * pg.psql(db, "SELECT count(*) FROM t");    // psql as a process
 * pg.restart();                             // a database restart, e.g. under load
 * }</pre>
 *
 * <p>The server binaries are the newest {@code /usr/lib/postgresql/N/bin} (Debian's packages,
 * installed by {@code scripts/install-test-deps.sh}); {@code -Dclavis.postgres.bin=DIR} or
 * {@code CLAVIS_POSTGRES_BIN} overrides. The server refuses to run as root, so when the tests
 * run as root the cluster belongs to the {@code postgres} user the package creates and every
 * server command runs through {@code runuser}. {@code fsync} is off: the tests stop processes,
 * never the machine, so the operating system's buffers keep every committed transaction.
 *
 * <p>Without PostgreSQL the tests fail when {@code CI} is set and are skipped otherwise.
 */
public final class Postgres {

  /** The superuser of the test cluster (a test value). */
  public static final String USER = "clavis";
  /** Its password (a test value, not a secret). */
  public static final String PASSWORD = "clavis-test";

  private static final String SERVICE_USER = "postgres";
  private static Postgres cluster;
  private static String unavailable;

  private final Path bin;
  private final Path home;
  private final Path data;
  private final int port;
  private final boolean asServiceUser;
  private boolean running;
  /** Addresses listened on besides 127.0.0.1 ({@link #allowHost}). */
  private final java.util.Set<String> listenAlso = new java.util.LinkedHashSet<>();

  private Postgres(Path bin, Path home, int port, boolean asServiceUser) {
    this.bin = bin;
    this.home = home;
    this.data = home.resolve("data");
    this.port = port;
    this.asServiceUser = asServiceUser;
  }

  /**
   * The cluster of this JVM, created and started on first use.
   *
   * @return the running cluster
   * @throws org.opentest4j.AssertionFailedError when PostgreSQL cannot start and {@code CI} is set
   * @throws org.opentest4j.TestAbortedException when it cannot start elsewhere (the test is skipped)
   */
  public static synchronized Postgres require() {
    if (cluster == null && unavailable == null) {
      try {
        cluster = create();
      } catch (IOException | RuntimeException e) {
        unavailable = e.getMessage();
      }
    }
    if (cluster == null) {
      failOrSkip(unavailable);
    }
    return cluster;
  }

  /** @return the TCP port the server listens on (127.0.0.1) */
  public int port() {
    return port;
  }

  /** @return {@code 127.0.0.1} */
  public String host() {
    return "127.0.0.1";
  }

  /**
   * @param database a database of this cluster
   * @return its JDBC URL with the user and password as URL parameters
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database + "?user=" + USER + "&password=" + PASSWORD;
  }

  /**
   * @param database a database of this cluster
   * @param host the address to reach the server at (one given to {@link #allowHost}, or 127.0.0.1)
   * @return its JDBC URL through that address, with the user and password as URL parameters
   */
  public String jdbcUrl(String database, String host) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=" + USER + "&password=" + PASSWORD;
  }

  /**
   * @param database a database of this cluster
   * @return its JDBC URL without credentials (for tests of {@code PGUSER}/{@code PGPASSWORD})
   */
  public String jdbcUrlWithoutCredentials(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  /**
   * Creates a fresh, empty database.
   *
   * @return its name ({@code t_} and 12 random hex digits)
   * @throws IllegalStateException if {@code createdb} fails
   */
  public String createDatabase() {
    byte[] r = new byte[6];
    new SecureRandom().nextBytes(r);
    String name = "t_" + HexFormat.of().formatHex(r);
    client("createdb", "-h", host(), "-p", Integer.toString(port), "-U", USER, name);
    return name;
  }

  /**
   * Runs one SQL text with {@code psql} as a process (unaligned, tuples only, stop on error).
   *
   * @param database the database
   * @param sql the statements
   * @return what psql printed, trimmed
   * @throws IllegalStateException if psql fails, with its error output
   */
  public String psql(String database, String sql) {
    return client("psql", "-X", "-q", "-h", host(), "-p", Integer.toString(port), "-U", USER, "-d", database,
        "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", sql).trim();
  }

  /** Stops the server (fast shutdown: sessions are disconnected). */
  public synchronized void stop() {
    server("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    running = false;
  }

  /** Stops the server at once, as a crash would ({@code -m immediate}: recovery runs at the next start). */
  public synchronized void kill() {
    server("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    running = false;
  }

  /** Starts the server again on the same port and data directory. */
  public synchronized void start() {
    server("pg_ctl", "-D", data.toString(), "-l", home.resolve("server.log").toString(), "-w", "-t", "60",
        "-o", "-p " + port + " -k " + home + " -c listen_addresses=" + listenAddresses()
            + " -c fsync=off -c max_connections=300",
        "start");
    running = true;
  }

  /**
   * Lets clients of another network reach the server: it listens also on {@code address} (a local
   * address, e.g. the root end of a test network namespace's link) and accepts password (SCRAM)
   * logins from {@code clientCidr}. Restarts the server, which breaks every open connection. An
   * address that later vanishes is skipped by the server at its next start, with a warning in its log.
   *
   * @param address a local address to listen on
   * @param clientCidr the clients allowed, e.g. {@code 10.213.4.0/30}
   * @throws IllegalArgumentException if either is not a plain address (or address/bits)
   * @throws IllegalStateException if pg_hba.conf cannot be written or the server does not start again
   */
  public synchronized void allowHost(String address, String clientCidr) {
    if (!address.matches("[0-9.]+|[0-9a-fA-F:]+") || !clientCidr.matches("[0-9.]+/[0-9]+|[0-9a-fA-F:]+/[0-9]+")) {
      throw new IllegalArgumentException("not an address and a CIDR: " + address + ", " + clientCidr);
    }
    try {
      Files.writeString(data.resolve("pg_hba.conf"), "host all all " + clientCidr + " scram-sha-256\n",
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot allow " + clientCidr + " in pg_hba.conf: " + e.getMessage(), e);
    }
    listenAlso.add(address);
    restart();
  }

  private String listenAddresses() {
    List<String> all = new ArrayList<>(List.of("127.0.0.1"));
    all.addAll(listenAlso);
    return String.join(",", all);
  }

  /** Restarts the server: every open connection is broken. */
  public void restart() {
    stop();
    start();
  }

  /** @return the server's log so far (for a failing test's message) */
  public String serverLog() {
    try {
      return Files.readString(home.resolve("server.log"));
    } catch (IOException e) {
      return "(no server log: " + e.getMessage() + ")";
    }
  }

  private static Postgres create() throws IOException {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(
        "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"));
    boolean root = "root".equals(System.getProperty("user.name"));
    Path home = Files.createTempDirectory("clavis-pg-");
    Files.writeString(home.resolve("pwfile"), PASSWORD + "\n");
    Postgres pg = new Postgres(bin, home, freePort(), root);
    if (root) {
      run(List.of("chown", "-R", SERVICE_USER + ":", home.toString()), Map.of());
    }
    pg.server("initdb", "-D", pg.data.toString(), "-U", USER, "--pwfile=" + home.resolve("pwfile"),
        "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync");
    pg.start();
    Runtime.getRuntime().addShutdownHook(new Thread(pg::destroy, "clavis-postgres-stop"));
    return pg;
  }

  private void destroy() {
    try {
      if (running) {
        kill();
      }
    } catch (RuntimeException e) {
      System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
    }
    try (Stream<Path> s = Files.walk(home)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + home + ": " + e.getMessage());
    }
  }

  private static Optional<Path> binaries() throws IOException {
    String override = System.getProperty("clavis.postgres.bin", System.getenv("CLAVIS_POSTGRES_BIN"));
    if (override != null) {
      return Optional.of(Path.of(override)).filter(p -> Files.isExecutable(p.resolve("initdb")));
    }
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(base)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparingInt(b -> major(b.getParent())));
    }
  }

  private static int major(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A server command ({@code initdb}, {@code pg_ctl}), as the service user when the tests run as root. */
  private String server(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asServiceUser) {
      cmd.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of());
  }

  /** A client command; the password comes through {@code PGPASSWORD}, never the command line. */
  private String client(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    return run(cmd, Map.of("PGPASSWORD", PASSWORD, "PGCONNECT_TIMEOUT", "10"));
  }

  private static String run(List<String> cmd, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd.get(cmd.size() - 1) + " timed out: " + String.join(" ", cmd));
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text.trim());
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + cmd.get(0), e);
    }
  }

  /** Fails in CI, skips elsewhere: a missing PostgreSQL must not pass unnoticed where it must be. */
  private static void failOrSkip(String problem) {
    if (System.getenv("CI") != null) {
      fail("PostgreSQL is required in CI: " + problem + " (run scripts/install-test-deps.sh)");
    }
    System.err.println("SKIPPED: PostgreSQL test: " + problem);
    Assumptions.abort(problem);
  }
}
