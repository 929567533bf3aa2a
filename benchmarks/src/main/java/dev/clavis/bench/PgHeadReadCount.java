package dev.clavis.bench;

import dev.clavis.jdbc.PostgresBackendFactory;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.testkit.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * A count that load cannot blur: how many times the PostgreSQL backend reads its head row in full
 * (sealed metadata + manifest, which grow with the keyring) at an open and in 5 rotations, from the
 * server's statement log ({@code log_min_duration_statement = 0} on the database), and what one
 * full head select costs through JDBC against its generation + MAC alone, and the open-time index
 * query with and without the wrapped material (medians of 30 interleaved).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.PgHeadReadCount [keys]
 * </pre>
 */
public final class PgHeadReadCount {

  private static final String FULL_HEAD = "SELECT generation, protector, metadata";

  private PgHeadReadCount() {}

  /**
   * Prints the head's size, the full head reads counted and the two selects' times.
   *
   * @param args keys (default 10000)
   * @throws Exception if the fixture or the keyring fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    Postgres pg = Postgres.require();
    String db = pg.createDatabase();
    String url = pg.jdbcUrl(db);
    Path dir = Files.createTempDirectory("pg-heads");
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.KEYRING, "bench");
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, dir.resolve("bench.mark").toString());
    char[] pw = "bench-password".toCharArray();
    Map<String, byte[]> keys = dev.clavis.testkit.RandomKeys.aes256(n);
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(url, p, pw,
        KdfParameters.argon2id(1, 8, 1).allowingWeak(), true))) {
      k.importKeys(keys, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    System.out.println(n + " keys; head row: " + pg.psql(db, "SELECT 'sealed metadata ' || length(metadata)"
        + " || ' B, manifest ' || length(manifest) || ' B' FROM clavis_keyring"));
    pg.psql(db, "ALTER DATABASE " + db + " SET log_min_duration_statement = 0");
    int before = count(pg.serverLog());
    try (Keyring k = Keyrings.open(new PostgresBackendFactory().open(url, p, pw, null, false))) {
      int opened = count(pg.serverLog());
      for (int i = 0; i < 5; i++) {
        k.rotate("k" + i, "bench");
      }
      int rotated = count(pg.serverLog());
      System.out.printf("full head reads: at the open %d, in 5 rotations %d%n", opened - before, rotated - opened);
    }
    pg.psql(db, "ALTER DATABASE " + db + " RESET log_min_duration_statement");
    try (Connection c = DriverManager.getConnection(url)) {
      double[] ms = medians(c, "SELECT generation, protector, metadata, manifest, head_mac FROM clavis_keyring",
          "SELECT generation, head_mac FROM clavis_keyring");
      System.out.printf("head select through JDBC, median of 30 interleaved: full %.2f ms, generation + MAC %.2f ms%n",
          ms[0], ms[1]);
      ms = medians(c, "SELECT name, version, state, algorithm, exportable, generation, wrapped, row_mac"
          + " FROM clavis_key_version", "SELECT name, version, state, row_mac FROM clavis_key_version");
      System.out.printf("open-time index of the %d rows, median of 30 interleaved: with the wrapped material %.2f ms,"
          + " without (name, version, state, MAC) %.2f ms%n", n, ms[0], ms[1]);
    }
    System.exit(0);
  }

  /** @return the median times of the two queries (every column of every row read), interleaved */
  private static double[] medians(Connection c, String a, String b) throws java.sql.SQLException {
    String[] sql = {a, b};
    double[][] ms = new double[2][30];
    long sink = 0;
    for (int round = -5; round < 30; round++) {
      for (int q = 0; q < 2; q++) {
        long t = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(sql[q]); ResultSet rs = ps.executeQuery()) {
          int cols = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int col = 1; col <= cols; col++) {
              Object o = rs.getObject(col);
              sink += o == null ? 0 : 1;
            }
          }
        }
        if (round >= 0) {
          ms[q][round] = (System.nanoTime() - t) / 1e6;
        }
      }
    }
    if (sink < 0) {
      throw new AssertionError();
    }
    Arrays.sort(ms[0]);
    Arrays.sort(ms[1]);
    return new double[] {ms[0][15], ms[1][15]};
  }

  /** @return the executions of the full head select in the server log */
  private static int count(String log) {
    int c = 0;
    for (String line : log.split("\n")) {
      if (line.contains("execute") && line.contains(FULL_HEAD)) {
        c++;
      }
    }
    return c;
  }
}
