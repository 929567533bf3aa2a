package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staleness lease of {@link Freshness} against a real server: only a successful poll renews
 * it. A notification is a hint anyone with access to the database can send ({@code NOTIFY}), so it
 * must never keep a cache being served while the head cannot be read.
 */
class FreshnessLeaseTest {

  @TempDir Path marks;

  @Test
  void spoofedNotifications_withoutASuccessfulPoll_neverRenewTheStalenessLease() throws Exception {
    PgKeyrings pgk = new PgKeyrings(marks);
    UUID real;
    try (PostgresKeyBackend b = pgk.backend("main")) {
      real = b.keyringId();
    }
    UUID unreadable = UUID.randomUUID(); // no head row: every poll finds nothing
    Database db = new Database(pgk.url, new java.util.Properties());
    try (Freshness polled = new Freshness(db, real, Duration.ofMillis(500), "real");
        Freshness spoofed = new Freshness(db, unreadable, Duration.ofMillis(500), "spoofed");
        Connection spoofer = DriverManager.getConnection(pgk.url);
        PreparedStatement notify = spoofer.prepareStatement("SELECT pg_notify(?, ?)")) {
      polled.start();
      spoofed.start();
      long end = System.nanoTime() + 2_500_000_000L;
      long checkFrom = System.nanoTime() + 1_000_000_000L;
      for (long g = 1; System.nanoTime() < end; g++) {
        for (UUID id : new UUID[] {real, unreadable}) {
          notify.setString(1, Freshness.CHANNEL);
          notify.setString(2, id + ":" + g);
          notify.execute();
        }
        if (System.nanoTime() > checkFrom) {
          assertTrue(polled.fresh(), "a keyring whose head is polled stays fresh (the control)");
          assertFalse(spoofed.fresh(), "notifications alone renewed the staleness lease");
        }
        Thread.sleep(40);
      }
    }
  }
}
