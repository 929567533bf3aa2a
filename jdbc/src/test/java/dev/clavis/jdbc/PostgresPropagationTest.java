package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import java.util.Properties;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a rotation committed through one backend takes to be seen through another (each with
 * its own connections, as two hosts): p50 and p99 over 40 rotations, printed; p99 under a second.
 * With {@code clavis.listen=false} the poll alone must keep that bound.
 */
class PostgresPropagationTest {

  @TempDir
  Path marks;

  @Test
  void aRotationIsSeenByAnotherBackendWithinASecond() throws Exception {
    PgKeyrings pgk = new PgKeyrings(marks);
    try (Keyring a = pgk.keyring("main"); Keyring b = pgk.keyring("main")) {
      measure(a, b, 40, "LISTEN/NOTIFY");
    }
  }

  @Test
  void withoutListenThePollAloneShowsARotationWithinASecond() throws Exception {
    PgKeyrings pgk = new PgKeyrings(marks);
    Properties p = pgk.props("main");
    p.setProperty(PostgresBackendFactory.LISTEN, "false");
    try (Keyring a = pgk.keyring("main");
        Keyring b = Keyrings.open(pgk.backend("main", p, dev.clavis.keyring.TestStores.PASSWORD, false))) {
      measure(a, b, 12, "poll only");
    }
  }

  @Test
  void aMalformedListenPropertyIsRefusedNamingIt() {
    PgKeyrings pgk = new PgKeyrings(marks);
    Properties p = pgk.props("main");
    p.setProperty(PostgresBackendFactory.LISTEN, "no");
    KeyringException e = assertThrows(KeyringException.class,
        () -> pgk.backend("main", p, dev.clavis.keyring.TestStores.PASSWORD, true));
    assertTrue(e.getMessage().contains("clavis.listen must be true or false, got 'no'"), e.getMessage());
  }

  private static void measure(Keyring a, Keyring b, int n, String hint) throws Exception {
    long[] micros = new long[n];
    a.create("orders", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    PostgresKeyRingAssertions.versions(b, "orders", 1);
    for (int i = 0; i < n; i++) {
      a.rotate("orders", "propagation");
      long t0 = System.nanoTime();
      int want = i + 2;
      while (b.find("orders").orElseThrow().versions().size() != want) {
        if (System.nanoTime() - t0 > 5_000_000_000L) {
          throw new AssertionError("rotation " + want + " not seen after 5 s");
        }
        Thread.sleep(1);
      }
      micros[i] = (System.nanoTime() - t0) / 1000;
    }
    Arrays.sort(micros);
    long p50 = micros[n / 2];
    long p99 = micros[(int) Math.ceil(n * 0.99) - 1];
    System.out.printf("PostgreSQL propagation (%s) over %d rotations: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", hint,
        n, p50 / 1000.0, p99 / 1000.0, micros[n - 1] / 1000.0);
    assertTrue(p99 < 1_000_000, "p99 " + p99 + " us");
  }
}
