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
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;

/**
 * What a rotation costs as a PostgreSQL keyring grows: a keyring of 10 keys and one of N keys in
 * one database, rotated in interleaved rounds from one process; per keyring the median rotation
 * time, the WAL bytes per rotation (the server's own count of what it wrote: load cannot blur it)
 * and the head row's size. The ratio large/small is the figure to read on a loaded machine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.PgLargeKeyringCost [N] [rounds]
 * </pre>
 */
public final class PgLargeKeyringCost {

  private static final int PER_ROUND = 10;

  private PgLargeKeyringCost() {}

  /**
   * @param args N (default 10000), rounds (default 10)
   * @throws Exception if the fixture or a keyring fails
   */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Postgres pg = Postgres.require();
    String db = pg.createDatabase();
    String url = pg.jdbcUrl(db);
    Path dir = Files.createTempDirectory("pg-large");
    char[] pw = "bench-password".toCharArray();
    int[] sizes = {10, n};
    Keyring[] rings = new Keyring[2];
    for (int s = 0; s < 2; s++) {
      Properties p = new Properties();
      p.setProperty(PostgresBackendFactory.KEYRING, "k" + sizes[s]);
      p.setProperty(PostgresBackendFactory.COMMIT_MARK, dir.resolve(s + ".mark").toString());
      rings[s] = Keyrings.open(new PostgresBackendFactory().open(url, p, pw,
          KdfParameters.argon2id(1, 8, 1).allowingWeak(), true));
      Map<String, byte[]> keys = dev.clavis.testkit.RandomKeys.aes256(sizes[s]);
      rings[s].importKeys(keys, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    double[][] ms = new double[2][rounds * PER_ROUND];
    long[] wal = new long[2];
    int at = 0;
    for (int round = -2; round < rounds; round++) {
      for (int s = 0; s < 2; s++) {
        long w0 = lsn(pg, db);
        for (int i = 0; i < PER_ROUND; i++) {
          long t = System.nanoTime();
          rings[s].rotate("k" + ((round + 2) * PER_ROUND + i) % sizes[s], "bench");
          if (round >= 0) {
            ms[s][at + i] = (System.nanoTime() - t) / 1e6;
          }
        }
        if (round >= 0) {
          wal[s] += lsn(pg, db) - w0;
        }
      }
      if (round >= 0) {
        at += PER_ROUND;
      }
    }
    int count = rounds * PER_ROUND;
    double[] median = new double[2];
    for (int s = 0; s < 2; s++) {
      Arrays.sort(ms[s]);
      median[s] = ms[s][count / 2];
      System.out.printf("%6d keys: rotation median %.2f ms (p90 %.2f), WAL %,d B per rotation, head row %s B%n",
          sizes[s], median[s], ms[s][count * 9 / 10], wal[s] / count,
          pg.psql(db, "SELECT length(metadata) + length(manifest) FROM clavis_keyring WHERE name = 'k" + sizes[s]
              + "'").strip());
    }
    System.out.printf("ratio %d keys / 10 keys: time %.2f, WAL %.1f%n", n, median[1] / median[0],
        (double) wal[1] / wal[0]);
    for (Keyring k : rings) {
      k.close();
    }
    System.exit(0);
  }

  private static long lsn(Postgres pg, String db) {
    return Long.parseLong(pg.psql(db, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").strip());
  }
}
