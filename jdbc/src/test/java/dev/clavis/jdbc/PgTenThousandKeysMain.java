package dev.clavis.jdbc;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A side-by-side harness (not a test): open a keyring of N keys, list them and find each, on the
 * file store and on PostgreSQL, interleaved, wall time per round. Run from jdbc/ with the test
 * class path: {@code java -cp ... dev.clavis.jdbc.PgTenThousandKeysMain 10000 3}.
 */
public final class PgTenThousandKeysMain {

  private PgTenThousandKeysMain() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Postgres pg = Postgres.require();
    String url = pg.jdbcUrl(pg.createDatabase());
    Path dir = Files.createTempDirectory("pg10k");
    Path file = dir.resolve("s.clavis");
    Properties p = new Properties();
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, dir.resolve("mark").toString());
    Map<String, byte[]> keys = dev.clavis.testkit.RandomKeys.aes256(n);
    long t = System.nanoTime();
    try (Keyring k = Keyrings.openFile(file, TestStores.PASSWORD.toCharArray(), TestStores.FAST_KDF)) {
      k.importKeys(keys, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    System.out.printf("file: import %d keys %.0f ms%n", n, (System.nanoTime() - t) / 1e6);
    t = System.nanoTime();
    try (Keyring k = open(url, p)) {
      k.importKeys(keys, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
    System.out.printf("pg:   import %d keys %.0f ms%n", n, (System.nanoTime() - t) / 1e6);
    for (int round = 0; round < rounds; round++) {
      t = System.nanoTime();
      try (Keyring k = Keyrings.openFile(file, TestStores.PASSWORD.toCharArray())) {
        long o = System.nanoTime();
        int seen = k.list().size();
        for (int i = 0; i < n; i++) {
          k.find("k" + i).orElseThrow();
        }
        if (seen != n) {
          throw new AssertionError(seen + " keys");
        }
        System.out.printf("file: open %.0f ms, open + list + find %d keys %.0f ms%n", (o - t) / 1e6, n,
            (System.nanoTime() - t) / 1e6);
      }
      t = System.nanoTime();
      try (Keyring k = open(url, p)) {
        long o = System.nanoTime();
        int seen = k.list().size();
        for (int i = 0; i < n; i++) {
          k.find("k" + i).orElseThrow();
        }
        if (seen != n) {
          throw new AssertionError(seen + " keys");
        }
        System.out.printf("pg:   open %.0f ms, open + list + find %d keys %.0f ms%n", (o - t) / 1e6, n,
            (System.nanoTime() - t) / 1e6);
      }
    }
    int rot = 20;
    for (int round = 0; round < 2; round++) {
      try (Keyring k = Keyrings.openFile(file, TestStores.PASSWORD.toCharArray())) {
        t = System.nanoTime();
        for (int i = 0; i < rot; i++) {
          k.rotate("k" + i, "bench");
        }
        System.out.printf("file: %d rotations in a %d-key keyring %.1f ms each%n", rot, n,
            (System.nanoTime() - t) / 1e6 / rot);
      }
      try (Keyring k = open(url, p)) {
        t = System.nanoTime();
        for (int i = 0; i < rot; i++) {
          k.rotate("k" + i, "bench");
        }
        System.out.printf("pg:   %d rotations in a %d-key keyring %.1f ms each%n", rot, n,
            (System.nanoTime() - t) / 1e6 / rot);
      }
    }
    System.exit(0);
  }

  private static Keyring open(String url, Properties p) {
    return Keyrings.open(new PostgresBackendFactory().open(url, p, TestStores.PASSWORD.toCharArray(),
        TestStores.FAST_KDF, true));
  }
}
