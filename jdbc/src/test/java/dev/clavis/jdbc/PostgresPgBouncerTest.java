package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.testkit.PgBouncer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts' keyrings behind a transaction-pooling PgBouncer, where {@code LISTEN} does not
 * deliver and consecutive transactions of one connection may run on different server
 * connections: every operation still works, and a rotation on one is used by the other within a
 * second (the generation poll is the guarantee, not the notification).
 */
class PostgresPgBouncerTest {

  private static final byte[] AAD = "pgbouncer".getBytes(StandardCharsets.UTF_8);

  private static PgKeyrings pgk;
  private static PgBouncer bouncer;

  @TempDir
  Path marks;

  @BeforeAll
  static void pooler(@TempDir Path dir) {
    pgk = new PgKeyrings(dir);
    bouncer = PgBouncer.start(pgk.pg);
  }

  @AfterAll
  static void stop() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  private Keyring throughPooler(String host) {
    Properties p = pgk.props("main");
    p.setProperty(PostgresBackendFactory.COMMIT_MARK, marks.resolve(host + ".mark").toString());
    return Keyrings.open((PostgresKeyBackend) new PostgresBackendFactory().open(bouncer.jdbcUrl(pgk.db), p,
        TestStores.PASSWORD.toCharArray(), PgKeyrings.kdf(), true));
  }

  @Test
  void behindATransactionPoolerEveryOperationWorksAndARotationIsUsedElsewhereWithinASecond() throws Exception {
    int n = 25;
    long[] micros = new long[n];
    try (Keyring a = throughPooler("a"); Keyring b = throughPooler("b")) {
      a.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      PostgresKeyRingAssertions.versions(b, "orders", 1);
      for (int i = 0; i < n; i++) {
        a.rotate("orders", "behind pgbouncer");
        long t0 = System.nanoTime();
        int want = i + 2;
        while (b.find("orders").orElseThrow().versions().stream()
            .noneMatch(v -> v.version() == want && v.state() == KeyState.ACTIVE)) {
          if (System.nanoTime() - t0 > 5_000_000_000L) {
            throw new AssertionError("version " + want + " not active on b after 5 s; PgBouncer log:\n"
                + bouncer.log());
          }
          Thread.sleep(1);
        }
        micros[i] = (System.nanoTime() - t0) / 1000;
        byte[] plain = ("rotation " + i).getBytes(StandardCharsets.UTF_8);
        byte[] byA = a.encrypt("orders", plain, AAD);
        assertArrayEquals(plain, b.decrypt(byA, AAD), "a's envelope under its newest version opens on b");
        byte[] byB = b.encrypt("orders", plain, AAD);
        assertArrayEquals(plain, a.decrypt(byB, AAD));
      }
      b.revoke(KeyRef.of("orders", 1), "pooled revoke");
      long t0 = System.nanoTime();
      while (a.find("orders").orElseThrow().versions().get(0).state() != KeyState.REVOKED) {
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "b's revoke not seen by a after 5 s");
        Thread.sleep(5);
      }
      assertEquals(n + 1, a.find("orders").orElseThrow().versions().size());
    }
    Arrays.sort(micros);
    long p99 = micros[(int) Math.ceil(n * 0.99) - 1];
    System.out.printf("through PgBouncer (transaction pooling): new version active elsewhere p50 %.1f ms,"
        + " p99 %.1f ms%n", micros[n / 2] / 1000.0, p99 / 1000.0);
    assertTrue(p99 < 1_000_000, "p99 " + p99 + " us behind PgBouncer");
  }
}
