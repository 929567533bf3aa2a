package dev.clavis.jdbc;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import dev.clavis.keyring.file.MasterKeyProtector;
import dev.clavis.keyring.file.MemoryMaterial;
import dev.clavis.keyring.spi.AuditRecords;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.keyring.spi.PasswordProtectedBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A keyring kept in PostgreSQL: one head row ({@code clavis_keyring}: generation, the master key's
 * protector, the engine's metadata sealed under K_meta, the manifest of every version row, the head
 * MAC), one row per key version ({@code clavis_key_version}: state, algorithm, the material wrapped
 * under K_mat, a row MAC under K_row; see {@link VersionRow}) and the append-only audit table. The
 * layout and every check are in {@code docs/postgresql.md}.
 *
 * <p>A transaction locks the head row ({@code SELECT ... FOR UPDATE}), runs the engine's step
 * against the latest committed head, writes the rows it staged, the audit records, the new head
 * (generation + 1) and a {@code NOTIFY}, and commits; a serialisation failure, a deadlock or a
 * connection lost before {@code COMMIT} runs it again. A connection lost during {@code COMMIT}
 * leaves the outcome unknown: the head is read again to tell, and the caller is never told
 * "failed" of a change that committed, nor "done" of one that did not.
 *
 * <p>Freshness is {@link Freshness}'s; material is unwrapped on first use, checked against the head
 * ({@link RowChecks}) and cached until the keyring closes or the row changes.
 */
public final class PostgresKeyBackend implements KeyBackend, PasswordProtectedBackend {

  private static final int MAX_ATTEMPTS = 6;

  /** The transaction running on a thread: its connection and what it appended to the audit table. */
  record Tx(Connection connection, DbAuditRecords.Staged audit) {}

  /** Material cached with the manifest digest of the row it came from. */
  private record Cached(byte[] digest, KeyMaterial material) {}

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private final Database db;
  private final UUID id;
  private final String name;
  private final String where;
  private final DbKeys keys;
  private final RowChecks checks;
  private final HeadChunks chunks;
  private final ReservationRows reservations;
  private final Path commitMark;
  private final Freshness freshness;
  private final DbAuditRecords audit;
  private final ReentrantLock lock = new ReentrantLock(); // guards conn: one statement at a time
  private final ThreadLocal<Tx> tx = new ThreadLocal<>();
  /** The read-only snapshot running on this thread ({@link #consistently}), or null. */
  private final ThreadLocal<SnapshotState> snapshot = new ThreadLocal<>();
  /** Test hook: runs after the audit records are read outside a transaction (a commit lands here). */
  volatile Runnable afterAuditRead = () -> { };
  private final ConcurrentHashMap<KeyRef, Cached> cache = new ConcurrentHashMap<>();
  private final AtomicLong retries = new AtomicLong();
  private Connection conn;
  private volatile HeadRow.Verified image;
  private volatile boolean closed;

  private PostgresKeyBackend(Database db, UUID id, String name, DbKeys keys, Connection conn, Duration maxStaleness,
      Path commitMark) {
    this.db = db;
    this.id = id;
    this.name = name;
    this.where = "the keyring '" + name + "' in the PostgreSQL database at " + db.location();
    this.keys = keys;
    this.conn = conn;
    this.checks = new RowChecks(keys, id, where);
    this.chunks = new HeadChunks(id, keys, where);
    this.reservations = new ReservationRows(id);
    this.commitMark = commitMark;
    this.freshness = new Freshness(db, id, maxStaleness, name);
    this.audit = new DbAuditRecords(this, id, where);
  }

  // ------------------------------------------------------------------ opening

  /**
   * Opens the keyring {@code keyring} in the database, creating the tables and the keyring if
   * {@code create} and they are absent.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/db}
   * @param connection the driver's properties; {@code clavis.*} ones are Clavis's and not passed on
   * @param keyring the keyring's name inside the database
   * @param protector what protects the master key (a password)
   * @param create whether to create what is missing
   * @param maxStaleness how long reads may be answered from the cache while the database is unreachable
   * @param commitMark this host's commit mark file, or null for the default
   *     {@code ~/.clavis/db-marks/<keyring id>.mark}
   * @return the open backend
   * @throws NoSuchKeyringException if it is absent and {@code create} is false
   * @throws dev.clavis.keyring.WrongPasswordException if the password does not open it
   * @throws StoreDamagedException if the head row or the rows were tampered with, or the schema is newer
   * @throws KeyringException if the database cannot be reached (naming host:port)
   */
  public static PostgresKeyBackend open(String jdbcUrl, java.util.Properties connection, String keyring,
      MasterKeyProtector protector, boolean create, Duration maxStaleness, Path commitMark) {
    Database db = new Database(jdbcUrl, connection);
    String where = "the keyring '" + keyring + "' in the PostgreSQL database at " + db.location();
    Connection c = db.connect();
    try {
      if (!Schema.ensure(c, where, create)) {
        throw new NoSuchKeyringException(keyring, db.hostPort());
      }
      for (int attempt = 0; ; attempt++) {
        Optional<Object[]> row = selectKeyring(c, keyring);
        byte[] master;
        UUID id;
        if (row.isPresent()) {
          id = (UUID) row.get()[0];
          master = MasterKeyRow.unwrap(id, (byte[]) row.get()[1], protector, where);
        } else if (!create) {
          throw new NoSuchKeyringException(keyring, db.hostPort());
        } else {
          id = UUID.randomUUID();
          master = new byte[MasterKeyRow.MASTER_LENGTH];
          if (!insertKeyring(c, id, keyring, protector, where, master)) {
            Arrays.fill(master, (byte) 0); // another host created it first: open theirs
            if (attempt > 2) {
              throw new KeyringException("cannot create " + where + ": it keeps being created and removed");
            }
            continue;
          }
        }
        Path mark = commitMark != null ? commitMark : defaultMark(id);
        PostgresKeyBackend b = new PostgresKeyBackend(db, id, keyring, new DbKeys(master), c, maxStaleness, mark);
        try {
          b.openChecks();
        } catch (SQLException | RuntimeException e) {
          b.close(); // wipes the master key; a database error is reported below as for any other step
          throw e;
        }
        b.freshness.start();
        return b;
      }
    } catch (SQLException e) {
      Database.closeQuietly(c);
      throw db.unreachable("cannot open " + where + " on", e);
    } catch (RuntimeException e) {
      Database.closeQuietly(c);
      throw e;
    }
  }

  private static Optional<Object[]> selectKeyring(Connection c, String keyring) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, protector FROM clavis_keyring WHERE name = ?")) {
      ps.setString(1, keyring);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? Optional.of(new Object[] {r.getObject(1, UUID.class), r.getBytes(2)}) : Optional.empty();
      }
    }
  }

  /** @return false if a keyring of that name exists already (another host won the race) */
  private static boolean insertKeyring(Connection c, UUID id, String keyring, MasterKeyProtector protector,
      String where, byte[] master) throws SQLException {
    byte[] prot = MasterKeyRow.create(id, protector, where, master);
    DbKeys k = new DbKeys(master.clone());
    boolean done = false;
    try {
      // layout 2, both documents empty: no chunks yet
      byte[] meta = HeadChunks.list(List.of());
      byte[] manifest = HeadChunks.list(List.of());
      byte[] mac = k.headMac(HeadRow.macInput(HeadRow.LABEL_V2, id, keyring, 0, prot, meta, manifest));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO clavis_keyring (id, name, generation, protector,"
          + " metadata, manifest, head_mac) VALUES (?, ?, 0, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        ps.setObject(1, id);
        ps.setString(2, keyring);
        ps.setBytes(3, prot);
        ps.setBytes(4, meta);
        ps.setBytes(5, manifest);
        ps.setBytes(6, mac);
        boolean inserted = ps.executeUpdate() == 1;
        done = inserted;
        return inserted;
      }
    } finally {
      k.wipe();
      if (!done) {
        MasterKeyRow.abandon(protector, prot); // a root key made on the token for a keyring not created
      }
    }
  }

  private static Path defaultMark(UUID id) {
    return Path.of(System.getProperty("user.home"), ".clavis", "db-marks", id + ".mark");
  }

  /** The head verified, the set of rows checked against its manifest, and the mark's directory made. */
  private void openChecks() throws SQLException {
    image = inSnapshot(conn, c -> {
      HeadRow.Verified v = selectHead(c, false).verify(keys, chunks, id, name, where, c, Map.of());
      checks.checkIndex(c, v.manifest(), v.generation());
      return v;
    });
    freshness.contact();
    try {
      Path dir = commitMark.toAbsolutePath().getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new KeyringException("cannot create the directory of the commit mark " + commitMark + ": " + e.getMessage()
          + " (set clavis.commitMark to a writable path)", e);
    }
  }

  /**
   * Whether the head is still the image's (same generation, same MAC), read without its large
   * columns (the sealed metadata document and the manifest grow with the keyring: about 1 MB at
   * 10,000 keys): {@link #adopt} keeps the image in exactly that case, so the full row is read only
   * when it moved. {@code forUpdate} locks the head row, as {@link #selectHead} does.
   *
   * @throws StoreDamagedException if the head row is gone
   */
  private boolean headUnchanged(Connection c, boolean forUpdate, HeadRow.Verified cur) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT generation, head_mac FROM clavis_keyring WHERE id = ?"
        + (forUpdate ? " FOR UPDATE" : ""))) {
      ps.setObject(1, id);
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) {
          throw new StoreDamagedException(Kind.TAMPERED, where + ": its head row (id " + id + ") is gone: it was"
              + " deleted or the keyring renamed");
        }
        byte[] mac = r.getBytes(2);
        return r.getLong(1) == cur.generation() && mac != null && MessageDigest.isEqual(mac, cur.headMac());
      }
    }
  }

  private HeadRow selectHead(Connection c, boolean forUpdate) throws SQLException {
    String sql = forUpdate
        ? "SELECT generation, protector, metadata, manifest, head_mac, 0 FROM clavis_keyring WHERE id = ? FOR UPDATE"
        : "SELECT generation, protector, metadata, manifest, head_mac,"
            + " (SELECT count(*) FROM clavis_key_version v WHERE v.keyring_id = k.id) FROM clavis_keyring k WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, id);
      try (ResultSet r = ps.executeQuery()) {
        if (!r.next()) {
          throw headRowGone();
        }
        return new HeadRow(r.getLong(1), r.getBytes(2), r.getBytes(3), r.getBytes(4), r.getBytes(5), r.getLong(6));
      }
    }
  }

  private StoreDamagedException headRowGone() {
    return new StoreDamagedException(Kind.TAMPERED, where + ": its head row (id " + id + ") is gone: it was"
        + " deleted or the keyring renamed");
  }

  // ------------------------------------------------------------------ connections

  /** @return the transaction running on this thread, or null */
  Tx currentTx() {
    return tx.get();
  }

  /**
   * Runs {@code work} on the transaction's connection when one runs on this thread, else on the
   * backend's connection (reconnecting once if it was lost).
   *
   * @throws KeyringException naming host:port if the database cannot be reached
   */
  <T> T query(String what, SqlWork<T> work) {
    Tx t = tx.get();
    if (t != null) {
      try {
        return work.run(t.connection());
      } catch (SQLException e) {
        throw new SqlFault("cannot " + what + " " + where + ": " + Database.safeMessage(e), e);
      }
    }
    ensureOpen();
    SnapshotState ss = snapshot.get();
    Connection sc = ss == null ? null : ss.connection;
    lock.lock();
    try {
      if (sc != null) {
        try { // never retried on another connection here: that would leave the snapshot
          T out = work.run(sc);
          freshness.contact();
          return out;
        } catch (SQLException e) {
          if (Database.connectionLost(e) && !ss.last) {
            throw new StaleSnapshot(true); // the kept connection died (a restart): begin again on a new one
          }
          throw db.unreachable("cannot " + what + " " + where + " on", e);
        }
      }
      for (int attempt = 0; ; attempt++) {
        Connection c = connection();
        try {
          T out = work.run(c);
          freshness.contact();
          return out;
        } catch (SQLException e) {
          if (Database.connectionLost(e)) {
            dropConnection();
            if (attempt == 0) {
              continue;
            }
          }
          throw db.unreachable("cannot " + what + " " + where + " on", e);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private Connection connection() {
    if (conn != null && freshness.quietFor(SUSPECT) && !valid(conn)) {
      // the database has not answered the poller for a while: on a network that went silent (a cut
      // cable, no reset) a statement on the old socket would wait for the driver's socketTimeout
      dropConnection();
    }
    if (conn == null) {
      conn = db.connect();
    }
    return conn;
  }

  /** How long without an answer from the database before a kept connection is checked before use. */
  static final Duration SUSPECT = Freshness.POLL.multipliedBy(2);

  /** @return whether {@code c} answers an empty query within a second */
  private static boolean valid(Connection c) {
    try {
      return c.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  private void dropConnection() {
    Database.closeQuietly(conn);
    conn = null;
  }

  // ------------------------------------------------------------------ KeyBackend

  private void ensureOpen() {
    if (closed) {
      throw new KeyringException(where + " was closed");
    }
  }

  /**
   * {@inheritDoc} Reads and verifies the head when it moved; while the database is unreachable (a
   * network fault, {@link Database#networkFault}), answers from the cache within the staleness bound.
   *
   * @throws StoreDamagedException if the head was tampered with or went back to an older generation
   * @throws KeyringException if the database is unreachable beyond the staleness bound (naming
   *     host:port), or answers with an error (never hidden behind the cache)
   */
  @Override
  public Snapshot read() {
    ensureOpen();
    HeadRow.Verified v;
    try {
      v = refresh();
    } catch (DatabaseUnreachableException e) {
      if (!freshness.fresh()) {
        throw e;
      }
      v = image; // unreachable, within the staleness bound: the cache answers
    }
    return new Snapshot(v.generation(), v.metadata());
  }

  /** Reads and verifies the head if it moved; never goes back to an older generation. */
  private HeadRow.Verified refresh() {
    return query("read", c -> inSnapshot(c, cn -> {
      HeadRow.Verified cur = image;
      SnapshotState st = snapshot.get();
      if (headUnchanged(cn, false, cur)) { // the generation and MAC only: the full head when it moved
        if (st != null) {
          st.generation = cur.generation();
        }
        return cur;
      }
      HeadRow h = selectHead(cn, false);
      if (st != null) {
        st.generation = h.generation();
        if (h.generation() < image.generation() && !st.last) {
          throw new StaleSnapshot(); // another thread here saw a later commit after it began: begin again
        }
      }
      return adopt(h, cn);
    }));
  }

  /** The snapshot of {@link #consistently} began before a head this process adopted: it begins again. */
  private static final class StaleSnapshot extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean connectionLost;

    StaleSnapshot() {
      this(false);
    }

    StaleSnapshot(boolean connectionLost) {
      super(null, null, false, false);
      this.connectionLost = connectionLost;
    }
  }

  /** The read-only snapshot running on a thread: its connection, the head it read, whether it is the last try. */
  private static final class SnapshotState {
    final Connection connection;
    final boolean last;
    long generation = -1;

    SnapshotState(Connection connection, boolean last) {
      this.connection = connection;
      this.last = last;
    }
  }

  private static final int SNAPSHOT_ATTEMPTS = 100;

  /** A connection kept for the next snapshot, so a reload does not connect anew. */
  private final java.util.concurrent.atomic.AtomicReference<Connection> spare =
      new java.util.concurrent.atomic.AtomicReference<>();

  /**
   * @param kept the spare connection, or null to connect
   * @return {@code kept} (or a new connection) in a REPEATABLE READ READ ONLY transaction, or null if
   *     it is dead (a restart, a killed backend) or the database cannot be reached
   */
  private Connection begin(Connection kept) {
    Connection c = kept;
    try {
      if (c == null) {
        c = db.connect();
      }
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      }
      return c;
    } catch (KeyringException | SQLException e) {
      Database.closeQuietly(c);
      return null;
    }
  }

  /**
   * Runs {@code reads} in one REPEATABLE READ READ ONLY transaction on a connection of their own:
   * every {@link #read()}, {@link DbAuditRecords#read} and material read on this thread inside it
   * sees one committed state, so the audit records and the head they are checked against belong to
   * one commit. It holds no lock while {@code reads} run (they take the engine's lock, which a
   * writer takes before this backend's).
   *
   * <p>A snapshot is a moment in the past: a head this process adopted after it began (another
   * thread's commit or read), or a commit mark another process on this host raised after it began,
   * is newer than it. Then it begins again on a new snapshot, as the engine re-reads a store that
   * moved on; when two snapshots in a row read the same generation (the database did not move on)
   * or after {@value #SNAPSHOT_ATTEMPTS} tries, the last one reports what it finds (a real rollback
   * stays a rollback). A kept connection found dead (the database restarted) is replaced and the
   * snapshot begun again. If no connection can be had, {@code reads} run as without a snapshot (the
   * cache answers within the staleness bound, or they fail as reads do).
   *
   * @throws KeyringException as the reads do
   */
  <T> T consistently(java.util.function.Supplier<T> reads) {
    if (tx.get() != null || snapshot.get() != null || closed) {
      return reads.get();
    }
    long previous = Long.MIN_VALUE;
    boolean last = false;
    for (int attempt = 1; ; attempt++) {
      Connection kept = spare.getAndSet(null);
      if (kept != null && freshness.quietFor(SUSPECT) && !valid(kept)) {
        // as connection(): after a silence a kept socket may be dead without a reset (a NAT that
        // forgot it), and the first statement on it would wait for the driver's socketTimeout
        Database.closeQuietly(kept);
        kept = null;
      }
      Connection c = begin(kept);
      if (c == null && kept != null) {
        c = begin(null); // the kept one was dead
      }
      if (c == null) {
        return reads.get(); // unreachable: the reads fail, or the cache answers, as without a snapshot
      }
      SnapshotState state = new SnapshotState(c, last || attempt >= SNAPSHOT_ATTEMPTS);
      snapshot.set(state);
      boolean reusable = false;
      try {
        T out = reads.get();
        reusable = true;
        return out;
      } catch (StaleSnapshot s) {
        reusable = !s.connectionLost;
      } catch (StoreDamagedException e) {
        if (state.last || e.kind() != Kind.ROLLED_BACK) {
          throw e;
        }
        reusable = true; // perhaps only older than a newer commit's mark: look again
      } finally {
        snapshot.remove();
        try {
          c.rollback();
          c.setAutoCommit(true);
        } catch (SQLException e) {
          reusable = false;
        }
        if (!reusable || closed || !spare.compareAndSet(null, c)) {
          Database.closeQuietly(c); // a failed read may have broken it; one spare is kept
        } else if (closed) {
          Database.closeQuietly(spare.getAndSet(null)); // closed meanwhile
        }
      }
      last = state.generation == previous; // the database did not move on: the next look is the last
      previous = state.generation;
    }
  }

  /**
   * Runs {@code work} in one REPEATABLE READ snapshot, so the head and the rows it reads belong to
   * one commit (another host may commit between two statements otherwise); inside a write
   * transaction, which holds the head's lock, on that transaction.
   */
  private <T> T inSnapshot(Connection c, SqlWork<T> work) throws SQLException {
    if (tx.get() != null || snapshot.get() != null) {
      return work.run(c);
    }
    c.setAutoCommit(false);
    try {
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      }
      T out = work.run(c);
      c.commit();
      c.setAutoCommit(true);
      return out;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }
  /** A head and a row read in one snapshot. */
  private record HeadAndRow(HeadRow.Verified head, VersionRow row) {}

  private HeadRow.Verified adopt(HeadRow h, Connection c) throws SQLException {
    HeadRow.Verified cur = image;
    if (h.generation() < cur.generation()) {
      throw new StoreDamagedException(Kind.ROLLED_BACK, where + " went back: this process has seen generation "
          + cur.generation() + " but the database is at generation " + h.generation() + " (restored from an older"
          + " snapshot or backup, or a replica that lost commits; the database was not changed)");
    }
    if (h.generation() == cur.generation() && MessageDigest.isEqual(h.headMac(), cur.headMac())) {
      return cur;
    }
    HeadRow.Verified v = h.verify(keys, chunks, id, name, where, c, cur.chunks());
    if (h.rowCount() != v.manifest().size() && tx.get() == null) {
      checks.checkIndex(c, v.manifest(), v.generation()); // names the row deleted or added
    }
    if (h.generation() == cur.generation()) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": its head row changed without a new generation ("
          + h.generation() + "): it was replaced (the database was not changed)");
    }
    // a row that changed is read (and checked) again at its next use; material is wiped only when
    // its version is destroyed: a state change leaves the bytes as they were, and a caller may hold them
    cache.entrySet().removeIf(e -> {
      Manifest.Entry m = v.manifest().get(e.getKey());
      if (m != null && MessageDigest.isEqual(m.digest(), e.getValue().digest())) {
        return false;
      }
      if (m == null || KeyState.DESTROYED.name().equals(m.state())) {
        MemoryMaterial.wipe(e.getValue().material());
      }
      return true;
    });
    image = v;
    return v;
  }

  /**
   * {@inheritDoc} The value the freshness thread last polled or was notified of (or this process's
   * own last commit, if newer).
   *
   * @throws StoreDamagedException if the last poll found the head row gone (deleted or renamed)
   * @throws KeyringException if the database has not answered within the staleness bound
   */
  @Override
  public long generation() {
    ensureOpen();
    if (freshness.headGone()) {
      throw headRowGone(); // the database answers: this is not the staleness bound's case
    }
    freshness.requireFresh("reading " + where);
    HeadRow.Verified v = image;
    return freshness.current(v.generation(), v.readAt());
  }

  /**
   * {@inheritDoc} Locks the head row, runs {@code work}, writes the rows, audit records and the new
   * head, and commits; retried on a conflict or a connection lost before COMMIT.
   *
   * @throws KeyringException if the database is unreachable or keeps conflicting (nothing was
   *     changed), or the outcome of a COMMIT whose connection failed cannot be told (says so)
   * @throws StoreDamagedException if the head or a row to be rewritten was tampered with
   * @throws IllegalStateException if a transaction of this backend already runs on this thread
   */
  @Override
  public <T> T transact(Transaction<T> work) {
    ensureOpen();
    if (tx.get() != null) {
      throw new IllegalStateException("a transaction of " + where + " is already running on this thread");
    }
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return attempt(work);
        } catch (Retry r) {
          if (attempt >= MAX_ATTEMPTS) {
            throw r.failure;
          }
          retries.incrementAndGet();
          pauseBeforeRetry(attempt);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** A failure before COMMIT that may be retried (nothing was committed). */
  private static final class Retry extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final KeyringException failure;

    Retry(KeyringException failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }

  private static void pauseBeforeRetry(int attempt) {
    try {
      Thread.sleep(Math.min(1000, 25L << attempt) + (long) (Math.random() * 25));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyringException("interrupted while retrying a transaction");
    }
  }

  private <T> T attempt(Transaction<T> work) {
    Connection c;
    try {
      c = connection();
    } catch (KeyringException e) {
      throw new KeyringException("cannot write to " + where + ": " + e.getMessage() + "; nothing was changed", e);
    }
    StagedRows s = new StagedRows(keys, id);
    boolean committing = false;
    Pending p = null;
    T result = null;
    try {
      c.setAutoCommit(false);
      HeadRow.Verified cur = image;
      boolean unchanged = headUnchanged(c, true, cur); // locks the head row
      HeadRow h = unchanged ? null : selectHead(c, true);
      HeadRow.Verified base;
      tx.set(new Tx(c, new DbAuditRecords.Staged()));
      base = unchanged ? cur : adopt(h, c);
      result = work.run(new Snapshot(base.generation(), base.metadata()), s);
      if (!s.any()) {
        c.rollback();
        c.setAutoCommit(true);
        s.discard();
        freshness.contact();
        return result;
      }
      p = write(c, base, s);
      committing = true;
      c.commit();
      c.setAutoCommit(true);
      published(p, s);
      return result;
    } catch (SQLException e) {
      if (committing) {
        settleFailedCommit(e, p, s); // returns only if the commit happened after all
        return result;
      }
      s.discard();
      rollbackQuietly(c);
      KeyringException k = db.unreachable("cannot write to " + where + " (nothing was changed) on", e);
      if (Database.connectionLost(e)) {
        dropConnection();
        throw new Retry(k);
      }
      if (Database.conflict(e)) {
        throw new Retry(k);
      }
      throw k;
    } catch (SqlFault f) {
      s.discard();
      rollbackQuietly(c);
      SQLException e = f.sql();
      if (Database.connectionLost(e)) {
        dropConnection();
        throw new Retry(db.unreachable("cannot write to " + where + " (nothing was changed) on", e));
      }
      if (Database.conflict(e)) {
        throw new Retry(f);
      }
      throw f;
    } catch (RuntimeException e) {
      s.discard();
      rollbackQuietly(c);
      throw e;
    } finally {
      tx.remove();
    }
  }

  /** COMMIT failed: returns if the change committed anyway, else throws (a retry when it surely did not). */
  private void settleFailedCommit(SQLException e, Pending p, StagedRows s) {
    dropConnection();
    Boolean committed;
    try {
      committed = outcome(p);
    } catch (RuntimeException damaged) {
      s.discard();
      throw damaged;
    }
    if (committed == null) {
      s.discard();
      throw new KeyringException("the outcome of a change to " + where + " is unknown: the connection to "
          + db.hostPort() + " failed during COMMIT (" + Database.safeMessage(e) + ") and the database cannot be asked"
          + " now; open the keyring again to see whether generation " + p.head.generation() + " committed",
          Database.redacted(e));
    }
    if (committed) {
      published(p, s);
      return;
    }
    s.discard();
    throw new Retry(db.unreachable("cannot write to " + where + " (COMMIT failed, nothing was changed) on", e));
  }

  /**
   * Asks the database (on a new connection) whether the commit of {@code p} happened.
   *
   * @return true, false, or null if it cannot be told now
   */
  private Boolean outcome(Pending p) {
    Connection c;
    try {
      c = db.connect();
    } catch (KeyringException e) {
      return null;
    }
    try {
      // a COMMIT the server received may still run (waiting for a synchronous standby, a slow fsync):
      // it holds the head's row lock until it ends, so waiting for that lock is waiting for the
      // outcome; a plain read would see the old head and call a commit that then lands "failed".
      // On a standby (a multi-host URL) FOR UPDATE is refused: unknown, as is a lock timeout.
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL lock_timeout = '" + OUTCOME_LOCK_WAIT.toMillis() + "ms'");
      }
      HeadRow h = selectHead(c, true);
      if (h.generation() == p.head.generation()) {
        return MessageDigest.isEqual(h.headMac(), p.head.headMac());
      }
      if (h.generation() < p.head.generation()) {
        return false;
      }
      if (p.firstAuditLine == null) {
        return null;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT line FROM clavis_audit WHERE keyring_id = ? AND seq = ?")) {
        ps.setObject(1, id);
        ps.setLong(2, p.firstAuditSeq);
        try (ResultSet r = ps.executeQuery()) {
          return r.next() && p.firstAuditLine.equals(r.getString(1));
        }
      }
    } catch (SQLException e) {
      return null;
    } finally {
      Database.closeQuietly(c);
    }
  }

  /** How long {@link #outcome} waits for a COMMIT still in flight before it calls the outcome unknown. */
  private static final java.time.Duration OUTCOME_LOCK_WAIT = java.time.Duration.ofSeconds(30);

  /** A transaction written but not yet known committed: the new head and the rows it wrote. */
  private record Pending(HeadRow.Verified head, List<VersionRow> rows, long firstAuditSeq, String firstAuditLine) {}

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // the connection is gone; the server rolls back on its own
    }
  }

  /** Writes the staged rows, the new head and the notification; COMMIT is the caller's. */
  private Pending write(Connection c, HeadRow.Verified base, StagedRows s) throws SQLException {
    // as verified, never the column as it is now
    byte[] protector = s.reprotect != null ? s.reprotect.apply(base.protector()) : base.protector();
    long next = base.generation() + 1;
    Set<KeyRef> touched = new LinkedHashSet<>(s.added.keySet());
    touched.addAll(s.erased);
    touched.addAll(s.states.keySet());
    List<VersionRow> rows = new ArrayList<>();
    for (KeyRef ref : touched) {
      Manifest.Entry e = base.manifest().get(ref);
      KeyState st = s.states.get(ref);
      String state = st != null ? st.name() : e != null ? e.state() : "UNRECORDED";
      StagedRows.Added a = s.added.get(ref);
      if (a != null) {
        rows.add(VersionRow.sealed(keys, id, ref.name(), ref.version().getAsInt(), state, a.algorithm().name(),
            a.exportable(), next, a.wrapped()));
        continue;
      }
      boolean erase = s.erased.contains(ref);
      if (e == null || !erase && e.state().equals(state)) {
        continue; // no row (nothing stored for it), or nothing changed
      }
      VersionRow old = checks.select(c, ref);
      checks.check(c, ref, old, e, base.generation()); // never rewrite a tampered row into a valid one
      rows.add(VersionRow.sealed(keys, id, ref.name(), ref.version().getAsInt(), state, old.algorithm(),
          old.exportable(), next, erase ? null : old.wrapped()));
    }
    if (!rows.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO clavis_key_version (keyring_id, name, version,"
          + " state, algorithm, exportable, generation, wrapped, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (keyring_id, name, version) DO UPDATE SET state = EXCLUDED.state,"
          + " algorithm = EXCLUDED.algorithm, exportable = EXCLUDED.exportable, generation = EXCLUDED.generation,"
          + " wrapped = EXCLUDED.wrapped, row_mac = EXCLUDED.row_mac")) {
        for (VersionRow r : rows) {
          ps.setObject(1, id);
          ps.setString(2, r.name());
          ps.setInt(3, r.version());
          ps.setString(4, r.state());
          ps.setString(5, r.algorithm());
          ps.setBoolean(6, r.exportable());
          ps.setLong(7, r.generation());
          ps.setBytes(8, r.wrapped());
          ps.setBytes(9, r.rowMac());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    reservations.write(c, s.reservations);
    Manifest manifest = base.manifest().with(rows);
    byte[] metadata = s.metadata != null ? s.metadata : base.metadata();
    // layout 2 (a layout-1 head becomes one here): only the chunks that changed are written
    HeadChunks.Written w = chunks.write(c, base.chunks(), base.generation(), metadata, manifest.encode());
    byte[] sealed = w.metadataList();
    byte[] manifestBytes = w.manifestList();
    byte[] mac = keys.headMac(HeadRow.macInput(HeadRow.LABEL_V2, id, name, next, protector, sealed, manifestBytes));
    for (Runnable r : s.beforePublish) {
      r.run();
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE clavis_keyring SET generation = ?, metadata = ?,"
        + " manifest = ?, head_mac = ?, protector = ? WHERE id = ? AND generation = ?")) {
      ps.setLong(1, next);
      ps.setBytes(2, sealed);
      ps.setBytes(3, manifestBytes);
      ps.setBytes(4, mac);
      ps.setBytes(5, protector);
      ps.setObject(6, id);
      ps.setLong(7, base.generation());
      if (ps.executeUpdate() != 1) {
        throw new SQLException("the head of " + where + " moved during the transaction", "40001");
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, Freshness.CHANNEL);
      ps.setString(2, id + ":" + next);
      ps.execute();
    }
    DbAuditRecords.Staged a = tx.get().audit();
    return new Pending(new HeadRow.Verified(next, metadata, manifest, protector, mac, System.nanoTime(),
        w.chunks()), rows,
        a.firstSeq,
        a.firstLine);
  }

  /** The commit is durable: the head and the caches follow. */
  private void published(Pending p, StagedRows s) {
    freshness.contact();
    image = p.head.readNow(); // stamped after COMMIT: a poll begun before it may still see the old head
    for (VersionRow r : p.rows) {
      StagedRows.Added a = s.added.get(r.ref());
      if (a != null) {
        cache.put(r.ref(), new Cached(r.digest(), a.material()));
        continue;
      }
      Cached old = cache.remove(r.ref());
      if (old != null && r.wrapped() == null) {
        MemoryMaterial.wipe(old.material()); // erased
      } else if (old != null) {
        cache.put(r.ref(), new Cached(r.digest(), old.material())); // a new state, the same bytes
      }
    }
  }

  /**
   * {@inheritDoc} Unwrapped on first use after its row is checked against the head, then cached.
   *
   * @throws StoreDamagedException if the row was edited, swapped, deleted, added or replayed
   * @throws KeyringException if it is not cached and the database cannot be reached
   */
  @Override
  public Optional<KeyMaterial> material(KeyRef version) {
    Cached c = cache.get(version);
    if (c != null) {
      return Optional.of(c.material());
    }
    ensureOpen();
    if (version.version().isEmpty()) {
      return Optional.empty();
    }
    return query("read key material from", cn -> load(cn, version));
  }

  private Optional<KeyMaterial> load(Connection c, KeyRef ref) throws SQLException {
    HeadRow.Verified h = image;
    Manifest.Entry e = h.manifest().get(ref);
    VersionRow row = checks.select(c, ref);
    boolean consistent = row == null ? e == null
        : e != null && MessageDigest.isEqual(row.digest(), e.digest());
    if (!consistent && tx.get() == null) {
      // the head may have moved since it was read: check the row against the head of its own snapshot
      HeadAndRow now = inSnapshot(c, cn -> new HeadAndRow(adopt(selectHead(cn, false), cn), checks.select(cn, ref)));
      h = now.head();
      row = now.row();
      e = h.manifest().get(ref);
    }
    checks.check(c, ref, row, e, h.generation());
    if (row == null || row.wrapped() == null) {
      return Optional.empty();
    }
    KeyAlgorithm alg;
    try {
      alg = KeyAlgorithm.valueOf(row.algorithm());
    } catch (IllegalArgumentException x) {
      throw new StoreDamagedException(Kind.UNSUPPORTED_VERSION, where + ": key " + ref + " has the algorithm "
          + row.algorithm() + ", which this Clavis does not know: upgrade Clavis");
    }
    int v = ref.version().getAsInt();
    byte[] raw = Bytes.open(keys.materialKey(), row.wrapped(),
        VersionRow.materialAad(id, ref.name(), v, alg, row.exportable()));
    if (raw == null) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": the wrapped material of key " + ref.name()
          + " version " + v + " fails its authentication tag (the database was not changed)");
    }
    try {
      KeyMaterial m = MemoryMaterial.of(ref, alg, row.exportable(), raw);
      Cached prev = cache.putIfAbsent(ref, new Cached(e.digest(), m));
      if (prev != null) {
        MemoryMaterial.wipe(m);
        return Optional.of(prev.material());
      }
      return Optional.of(m);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  @Override
  public byte[] auditKey() {
    return keys.auditKey();
  }

  @Override
  public Optional<Path> auditFile() {
    return Optional.empty();
  }

  @Override
  public Optional<AuditRecords> auditRecords() {
    return Optional.of(audit);
  }

  @Override
  public Optional<Path> commitMarkFile() {
    return Optional.of(commitMark);
  }

  @Override
  public String describe() {
    return where;
  }

  /** @return the keyring's id in the database */
  public UUID keyringId() {
    return id;
  }

  /**
   * {@inheritDoc}
   *
   * @throws KeyringException if the master key is wrapped by a token key (there is no password)
   */
  @Override
  public KdfParameters kdf() {
    ensureOpen();
    return MasterKeyRow.kdf(image.protector(), where);
  }

  /**
   * {@inheritDoc} The head row's protector column is replaced in the transaction that commits
   * {@code alongside}; the master key, and so every row, MAC and process that has the keyring open,
   * stay as they are. The current password is checked against the column as it is in that
   * transaction, so a password another host changed meanwhile is not overwritten unknowingly.
   *
   * @throws dev.clavis.keyring.WrongPasswordException if {@code password} is not the current one
   *     (nothing was changed)
   * @throws dev.clavis.keyring.WeakKdfException if {@code kdf} is new and below OWASP's minimums
   * @throws KeyringException if the keyring has no password (a token root), or as {@link #transact}
   */
  @Override
  public <T> T rekey(char[] password, char[] newPassword, KdfParameters kdf, Transaction<T> alongside) {
    Objects.requireNonNull(password, "password");
    kdf(); // refuses a keyring without a password before any transaction
    return transact((snapshot, changes) -> {
      StagedRows s = (StagedRows) changes;
      s.reprotect = column -> {
        byte[] master = keys.master();
        try {
          return MasterKeyRow.rewrap(id, column, password, newPassword, kdf, master, where);
        } finally {
          Arrays.fill(master, (byte) 0);
        }
      };
      return alongside == null ? null : alongside.run(snapshot, changes);
    });
  }

  /** @return how many commits left their usage rows out (the view failed; for tests and metrics) */
  long reservationRowFailures() {
    return reservations.failures();
  }

  /** @return how many head chunk rows this backend read (for tests: a reload reads only the chunks that changed) */
  long chunksFetched() {
    return chunks.fetched();
  }

  /** @return how many transactions were run again after a conflict or a lost connection (for tests and metrics) */
  public long retries() {
    return retries.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    freshness.close();
    lock.lock();
    try {
      dropConnection();
      Database.closeQuietly(spare.getAndSet(null));
    } finally {
      lock.unlock();
    }
    cache.values().forEach(c -> MemoryMaterial.wipe(c.material()));
    cache.clear();
    keys.wipe();
    chunks.wipe();
  }
}
