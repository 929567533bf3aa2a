package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a process learns of commits made elsewhere, and how long it may trust what it knows. A
 * daemon thread holds its own connection, {@code LISTEN}s on {@value #CHANNEL} (the fast hint: the
 * payload is {@code <keyring id>:<generation>}, never material) and polls the head's generation
 * every {@link #POLL} (the guarantee: a notification is lost across reconnects and through
 * transaction-pooling PgBouncer, and a hot standby sends none). It reconnects on its own. With
 * {@code clavis.listen=false} it only polls.
 *
 * <p>Every successful contact with the database (a poll, a read, a commit) renews the lease, a
 * notification does not (anyone who can reach the database can send one);
 * {@link #requireFresh} refuses to serve the cache when the last one is older than the staleness
 * bound, saying since when the database is unreachable.
 */
final class Freshness implements AutoCloseable {

  static final String CHANNEL = "clavis_keyring";
  static final Duration POLL = Duration.ofMillis(250);
  /**
   * The poller's own network time-out (lower than the driver's {@code socketTimeout}, 30 s by
   * default): a poll is one primary-key read, and one sent just before the network went silent
   * must not keep the lease from being renewed for 30 s after the network is back.
   */
  static final Duration POLL_TIMEOUT = Duration.ofSeconds(3);

  private final Database db;
  private final UUID id;
  private final long maxStalenessNanos;
  private final Duration maxStaleness;
  private final Thread thread;
  private volatile boolean closed;
  /** A generation learnt and since when it holds (System.nanoTime); one value, so a reader never mixes two. */
  record Learnt(long generation, long since) {
    static final Learnt NOTHING = new Learnt(-1, Long.MIN_VALUE);
  }

  private volatile Learnt polled = Learnt.NOTHING;
  private volatile Learnt notified = Learnt.NOTHING;
  private volatile long contactNanos = System.nanoTime();
  private volatile Instant contactTime = Instant.now();
  private volatile String lastError = "";
  private volatile boolean headGone;
  /** The error the database answered the last poll with, when it was no network fault; else null. */
  private volatile String refused;

  Freshness(Database db, UUID id, Duration maxStaleness, String keyring) {
    this.db = db;
    this.id = id;
    this.maxStaleness = maxStaleness;
    this.maxStalenessNanos = maxStaleness.toNanos();
    this.thread = new Thread(this::run, "clavis-pg-freshness-" + keyring);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Renews the lease: the database answered just now. */
  void contact() {
    contactNanos = System.nanoTime();
    contactTime = Instant.now();
  }

  /**
   * The generation to report, from what this process read itself and what the thread learnt.
   *
   * <p>A poll counts only if its query began after the image was read: one begun before this
   * process's own commit can finish after it with the older generation, which is not news. A poll
   * begun later is the truth, lower included (a database restored to an older snapshot, which the
   * engine then refuses). A notification only ever raises the generation, and only until the next
   * poll begins: it may arrive late, so a lower one says nothing, and an older notification (this
   * process's own commit, say) must not hide what a later poll found (a restored database).
   *
   * @param image the generation of the image this process holds
   * @param imageReadAt when (System.nanoTime) that image was read or committed
   */
  static long current(long image, long imageReadAt, Learnt polled, Learnt notified) {
    long g = image;
    if (polled.generation() >= 0 && polled.since() - imageReadAt > 0) {
      g = polled.generation();
    }
    if (notified.since() - imageReadAt > 0 && (polled.generation() < 0 || notified.since() - polled.since() > 0)
        && notified.generation() > g) {
      g = notified.generation();
    }
    return g;
  }

  /** @return the generation to report for an image of {@code image} read at {@code imageReadAt} */
  long current(long image, long imageReadAt) {
    return current(image, imageReadAt, polled, notified);
  }

  /**
   * @throws KeyringException if the database has not answered within the staleness bound, or
   *     answered the last poll with an error that is no network fault (never hidden behind the cache)
   */
  void requireFresh(String where) {
    String r = refused;
    if (r != null) {
      throw new KeyringException("the PostgreSQL database at " + db.hostPort() + " answers the freshness poll with an"
          + " error: " + r + "; " + where + " does not answer from its cache while the database answers with errors");
    }
    if (System.nanoTime() - contactNanos > maxStalenessNanos) {
      throw new KeyringException("the PostgreSQL database at " + db.hostPort() + " has been unreachable since "
          + contactTime + (lastError.isEmpty() ? "" : " (" + lastError + ")") + ", longer than the staleness bound"
          + " clavis.maxStaleness=" + maxStaleness + ": " + where + " refuses to answer from its cache until the"
          + " database is back");
    }
  }

  /** @return whether the database has not answered (a poll, a read, a commit) for longer than {@code d} */
  boolean quietFor(Duration d) {
    return System.nanoTime() - contactNanos > d.toNanos();
  }

  /** @return whether the last poll found no head row (deleted, or the keyring renamed) */
  boolean headGone() {
    return headGone;
  }

  /** @return whether the cache may still be served (the lease is younger than the bound) */
  boolean fresh() {
    return System.nanoTime() - contactNanos <= maxStalenessNanos;
  }

  private void polled(long generation, long queryBegan) {
    polled = new Learnt(generation, queryBegan);
    contact();
  }

  /** A hint, not contact: anyone who can reach the database can NOTIFY, so it never renews the lease. */
  private void notified(long generation) {
    notified = new Learnt(generation, System.nanoTime());
  }

  private void run() {
    Connection c = null;
    while (!closed) {
      try {
        if (c == null) {
          c = db.connect();
          int configured = c.getNetworkTimeout();
          if (configured == 0 || configured > POLL_TIMEOUT.toMillis()) {
            c.setNetworkTimeout(Runnable::run, (int) POLL_TIMEOUT.toMillis());
          }
          if (db.listens()) {
            try (Statement s = c.createStatement()) {
              s.execute("LISTEN " + CHANNEL);
            }
          }
        }
        PGNotification[] ns = null;
        if (db.listens()) {
          ns = c.unwrap(PGConnection.class).getNotifications((int) POLL.toMillis());
        } else {
          Thread.sleep(POLL.toMillis()); // the poll alone: clavis.listen=false
        }
        if (ns != null) {
          String mine = id + ":";
          for (PGNotification n : ns) {
            String p = n.getParameter();
            if (p != null && p.startsWith(mine)) {
              try {
                notified(Long.parseLong(p.substring(mine.length())));
              } catch (NumberFormatException e) {
                // not ours to trust: the poll below decides
              }
            }
          }
        }
        long began = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM clavis_keyring WHERE id = ?")) {
          ps.setObject(1, id);
          try (ResultSet r = ps.executeQuery()) {
            if (r.next()) {
              headGone = false;
              polled(r.getLong(1), began);
            } else {
              headGone = true; // the database answered, without the head: tampering, not a network fault
            }
          }
        }
        lastError = "";
        refused = null;
      } catch (SQLException | KeyringException e) {
        lastError = e instanceof SQLException s ? Database.safeMessage(s) : e.getMessage();
        if (e instanceof SQLException s) {
          refused = Database.networkFault(s) ? null : lastError + " (SQLSTATE " + s.getSQLState() + ")";
        } else {
          refused = e instanceof DatabaseUnreachableException ? null : lastError;
        }
        Database.closeQuietly(c);
        c = null;
        pause();
      } catch (RuntimeException e) {
        lastError = String.valueOf(e);
        Database.closeQuietly(c);
        c = null;
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // close()
        closed = true;
      }
    }
    Database.closeQuietly(c);
  }

  private void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
