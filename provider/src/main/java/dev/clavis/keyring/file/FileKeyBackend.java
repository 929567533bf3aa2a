package dev.clavis.keyring.file;

import dev.clavis.keyring.KdfLimits;
import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import dev.clavis.keyring.WrongPasswordException;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.keyring.spi.PasswordProtectedBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Cipher;

/**
 * The encrypted file store: one file holding the engine's metadata and every key's material. The
 * byte layout is {@link StoreFormat}'s; atomic replacement and locking are {@link AtomicFile}'s;
 * the master key's protection is a {@link MasterKeyProtector}'s (a password, {@link
 * PasswordProtector}, or a PKCS#11 token root). This class opens, reloads, commits and rekeys.
 *
 * <p>Key hierarchy: protector (password → KDF → K_pw, or a token root key) → a random 256-bit
 * master key, GCM-wrapped with the header's protector parameters bound. From the master key,
 * HMAC-SHA256 derives K_meta, K_key, K_mac and K_audit ({@link StoreKeys}). The header MAC
 * commits to the whole file and its generation, so records cannot be swapped, dropped, reordered
 * or rolled back unnoticed; each material record also binds its name and version as GCM
 * associated data. A migration of the KDF or a new password only re-wraps the master key.
 *
 * <p>Opening checks, in order, each with its own error and without changing the file: magic
 * (not a store), format version, KDF limits (before any work), length (truncated), trailer
 * checksum (damaged), the master key's GCM tag (wrong password), the header MAC and the blob's
 * tag (tampered).
 *
 * <p>Writes are atomic and durable, through {@link AtomicFile}: the store's real path is resolved
 * once (a symlinked store is replaced where it lives), the new file is written aside (0600),
 * forced to disk, renamed over the old one, and the directory is forced. A file lock on
 * {@code <real store>.lock} (plus a lock per real path inside the JVM) serialises writers across
 * threads and processes; the audit log {@code <real store>.audit} sits beside it. Material is
 * decrypted lazily, record by record, and cached by {@code name#version}.
 *
 * <p>About 500 lines, on purpose: what is left is the store's lifecycle (open or create, reload
 * after another writer's commit, transact and commit, rekey, stream import and export), whose
 * parts share the current image and the material cache. The layout is {@link StoreFormat}'s, the
 * master key's protection a {@link MasterKeyProtector}'s, replacement and locking {@link
 * AtomicFile}'s, staging {@link StagedChanges}' and the index bookkeeping {@link StoreImage}'s.
 */
public final class FileKeyBackend implements KeyBackend, PasswordProtectedBackend {

  private final AtomicFile atomic; // null: in memory
  private final Path file; // the real path, resolved once; null: in memory
  private final ReentrantLock memoryLock = new ReentrantLock(); // serialises writers of an in-memory store
  private final StoreKeys keys;
  private final ConcurrentHashMap<KeyRef, FileMaterial> cache = new ConcurrentHashMap<>();
  private volatile StoreImage image;
  private volatile boolean closed;

  private FileKeyBackend(AtomicFile atomic, byte[] master, StoreImage image) {
    this.atomic = atomic;
    this.file = atomic == null ? null : atomic.path();
    this.keys = new StoreKeys(master);
    this.image = image;
  }

  // ------------------------------------------------------------------ opening

  /**
   * Opens the store at {@code file}, creating it with {@code kdfForNew} if it does not exist.
   *
   * @param file the store file
   * @param password the password; not kept, the caller wipes it
   * @param kdfForNew the KDF of a store created now
   * @return the open store
   * @throws WrongPasswordException if the password does not open it
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   * @throws dev.clavis.keyring.WeakKdfException if the store is to be created with settings below
   *     OWASP's minimums that are not {@link KdfParameters#allowingWeak()}
   * @throws KeyringException if it cannot be read or written
   */
  public static FileKeyBackend open(Path file, char[] password, KdfParameters kdfForNew) {
    PasswordProtector protector = new PasswordProtector(password, kdfForNew);
    if (!Files.exists(file)) {
      // early, so a refused creation leaves no lock file either; checked again under the lock
      KdfLimits.requireStrongEnough(protector.kdfForNew(), "cannot create the key store " + file);
    }
    return open(file, protector);
  }

  /**
   * Opens the existing store at {@code file}; never creates one, so a mistyped path is an error
   * rather than a new, empty store.
   *
   * @param file the store file
   * @param password the password; not kept, the caller wipes it
   * @return the open store
   * @throws NoSuchStoreException if there is no file at {@code file}
   * @throws WrongPasswordException if the password does not open it
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   * @throws KeyringException if it cannot be read
   */
  public static FileKeyBackend openExisting(Path file, char[] password) {
    PasswordProtector protector = new PasswordProtector(password, null);
    Path f = file.toAbsolutePath().normalize();
    if (!Files.exists(f)) {
      throw new NoSuchStoreException(f);
    }
    // creation is refused if the file vanished after the check above: still no new store
    return open(f, protector, false);
  }

  /**
   * Opens the store at {@code file} whose master key {@code protector} protects, creating it if
   * it does not exist: {@code protector} chooses its parameters (for a token root, a new root key
   * on the token) and wraps a random master key made in software. A token is used only while
   * opening.
   *
   * @param file the store file
   * @param protector what protects the master key (a password or a token root)
   * @return the open store
   * @throws WrongPasswordException if a password does not open it
   * @throws KeyringException if the store has another kind of protection, or the protector cannot
   *     open it (a token lacking its root key: wrong token, or destroyed)
   * @throws StoreDamagedException if the file is not a store, truncated, damaged or tampered with
   */
  public static FileKeyBackend open(Path file, MasterKeyProtector protector) {
    return open(file, protector, true);
  }

  /**
   * Whether a file starts like a token-rooted store.
   *
   * @param file the store file
   * @return whether {@code file} starts like a token-rooted store; false if it cannot be read or is
   *     of another kind. Reads only the first bytes; verifies nothing.
   */
  public static boolean isTokenRooted(Path file) {
    return StoreFormat.startsTokenRooted(file);
  }

  /**
   * Whether bytes start like a store.
   *
   * @param head the first bytes of a file
   * @return whether {@code head} starts with the store's magic
   */
  public static boolean startsLikeStore(byte[] head) {
    return StoreFormat.hasMagic(head);
  }

  private static FileKeyBackend open(Path file, MasterKeyProtector protector, boolean create) {
    Objects.requireNonNull(protector, "protector");
    AtomicFile af = AtomicFile.of(file, "the key store");
    Path f = af.path();
    if (!af.exists()) {
      try (AtomicFile.Lock l = af.lock()) {
        if (!af.exists()) {
          if (!create) {
            throw new NoSuchStoreException(f);
          }
          StoreImage img = new StoreImage();
          byte[] m = protect(img, protector.newParameters(file.toString()), protector);
          FileKeyBackend b = new FileKeyBackend(af, m, img);
          b.writeImage(StoreFormat.assemble(img, 1, new byte[0], List.of(), b.keys), img, List.of());
          return b;
        }
      }
    }
    byte[] bytes = readFile(f);
    StoreFormat.Header h = StoreFormat.parseHeader(bytes, f.toString());
    byte[] m = unwrap(h, protector, f.toString());
    FileKeyBackend b = new FileKeyBackend(af, m, null);
    b.image = StoreFormat.openBody(h, bytes, b.keys, f.toString());
    return b;
  }

  /** Makes a random master key, wraps it with {@code protector} into {@code img}, and returns it. */
  private static byte[] protect(StoreImage img, ProtectorParameters parameters, MasterKeyProtector protector) {
    try {
      byte[] m = StoreFormat.randomBytes(StoreFormat.MASTER_LENGTH);
      rewrap(img, parameters, protector, m);
      return m;
    } catch (RuntimeException e) {
      try {
        protector.abandon(parameters);
      } catch (RuntimeException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
  }

  /** Records {@code parameters} in {@code img} and wraps {@code master} under them with a fresh IV. */
  private static void rewrap(StoreImage img, ProtectorParameters parameters, MasterKeyProtector protector,
      byte[] master) {
    img.protector = parameters;
    img.masterIv = StoreFormat.randomBytes(StoreFormat.IV);
    img.wrappedMaster = protector.wrap(parameters, img.masterIv, StoreFormat.protectorPrefix(parameters), master);
  }

  private static byte[] unwrap(StoreFormat.Header h, MasterKeyProtector protector, String where) {
    return protector.unwrap(h.protector, h.masterIv, StoreFormat.protectorPrefix(h.protector), h.wrappedMaster,
        where);
  }

  private static byte[] unwrap(StoreImage img, MasterKeyProtector protector, String where) {
    return protector.unwrap(img.protector, img.masterIv, StoreFormat.protectorPrefix(img.protector),
        img.wrappedMaster, where);
  }

  /**
   * Opens a store image read from a stream (KeyStore.load), kept in memory.
   *
   * @param bytes the store image
   * @param password the password; not kept, the caller wipes it
   * @return the store, in memory
   * @throws WrongPasswordException if the password does not open it
   * @throws StoreDamagedException if the bytes are not a store, truncated, damaged or tampered with
   */
  public static FileKeyBackend fromBytes(byte[] bytes, char[] password) {
    String where = "the key store stream";
    StoreFormat.Header h = StoreFormat.parseHeader(bytes, where);
    byte[] m = unwrap(h, new PasswordProtector(password, null), where);
    FileKeyBackend b = new FileKeyBackend(null, m, null);
    b.image = StoreFormat.openBody(h, bytes, b.keys, where);
    return b;
  }

  /**
   * A new, empty store kept in memory until written out with {@link #writeTo}.
   *
   * @param kdf the KDF it will be written with
   * @return the store, in memory
   */
  public static FileKeyBackend inMemory(KdfParameters kdf) {
    StoreImage img = new StoreImage();
    img.generation = 0;
    byte[] m = StoreFormat.randomBytes(StoreFormat.MASTER_LENGTH);
    // no password yet: writeTo wraps the master key under the password given then
    ProtectorParameters p = PasswordProtector.fresh(kdf == null ? KdfParameters.defaults() : kdf);
    byte[] placeholder = StoreFormat.randomBytes(32);
    img.protector = p;
    img.masterIv = StoreFormat.randomBytes(StoreFormat.IV);
    img.wrappedMaster = PasswordProtector.gcmWrap(placeholder, img.masterIv, StoreFormat.protectorPrefix(p), m);
    Arrays.fill(placeholder, (byte) 0);
    return new FileKeyBackend(null, m, img);
  }

  private static byte[] readFile(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      throw new KeyringException("the key store " + f + " disappeared while opening it");
    } catch (IOException e) {
      throw new KeyringException("cannot read the key store " + f + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ writing

  /**
   * Writes aside, forces, renames over the store, forces the directory (or keeps in memory);
   * {@code beforePublish} steps (the audit log's sync) run on another thread while the
   * new file is forced, so the two syncs overlap, and both finish before the rename.
   */
  private void writeImage(byte[] bytes, StoreImage img, List<Runnable> beforePublish) {
    if (file == null) {
      beforePublish.forEach(Runnable::run);
      reindex(bytes, img);
      return;
    }
    atomic.replace(bytes, beforePublish);
    reindex(bytes, img);
  }

  /** The exclusive hold of the store: its file lock, or a JVM lock for a store kept in memory. */
  private AtomicFile.Lock exclusive() {
    return atomic == null ? AtomicFile.Lock.inProcess(memoryLock) : atomic.lock();
  }

  /** Points the index of {@code img} at the records inside the newly written bytes, and publishes it. */
  private void reindex(byte[] bytes, StoreImage img) {
    img.pointInto(bytes, StoreFormat.parseHeader(bytes, "the key store just written").materialStart());
    this.image = img;
  }

  /**
   * Whether another writer replaced the file since {@code img} was read. The generation in the
   * header decides (it grows by one on every commit); file identity and times are not enough,
   * because a file system may reuse an inode number with the same size within one clock tick.
   * The header is read unauthenticated here; a reload verifies everything.
   */
  private boolean changedOnDisk(StoreImage img) {
    if (file == null) {
      return false;
    }
    try {
      return StoreFormat.readGeneration(file) != img.generation;
    } catch (IOException e) {
      throw new KeyringException("the key store " + file + " cannot be read any more: " + e.getMessage(), e);
    }
  }

  /** Re-reads the file written by another process; material already cached stays valid (same name#version). */
  private StoreImage reload() {
    byte[] bytes = readFile(file);
    StoreFormat.Header h = StoreFormat.parseHeader(bytes, file.toString());
    StoreImage img = StoreFormat.openBody(h, bytes, keys, file.toString());
    if (image != null && img.generation < image.generation) {
      // a running process never goes back: the file was replaced by an older copy
      throw new StoreDamagedException(Kind.ROLLED_BACK, "the key store " + file + " was replaced by an older copy:"
          + " this process has seen generation " + image.generation + " but the file is at generation "
          + img.generation + " (the file was not changed)");
    }
    cache.keySet().removeIf(r -> !img.index.containsKey(r));
    this.image = img;
    return img;
  }

  // ------------------------------------------------------------------ KeyBackend

  private void ensureOpen() {
    if (closed) {
      throw new KeyringException("the key store " + describe() + " was closed");
    }
  }

  @Override
  public Snapshot read() {
    ensureOpen();
    StoreImage img = image;
    if (changedOnDisk(img)) {
      synchronized (this) {
        img = image;
        if (changedOnDisk(img)) {
          img = reload();
        }
      }
    }
    return new Snapshot(img.generation, img.metadata);
  }

  @Override
  public long generation() {
    ensureOpen();
    StoreImage img = image;
    if (changedOnDisk(img)) {
      synchronized (this) {
        if (changedOnDisk(image)) {
          return reload().generation;
        }
      }
    }
    return image.generation;
  }

  @Override
  public <T> T transact(Transaction<T> tx) {
    ensureOpen();
    try (AtomicFile.Lock l = exclusive()) {
      StoreImage cur = image;
      if (changedOnDisk(cur)) {
        cur = reload();
      }
      StagedChanges s = new StagedChanges(keys);
      T result;
      try {
        result = tx.run(new Snapshot(cur.generation, cur.metadata), s);
      } catch (RuntimeException e) {
        s.discard();
        throw e;
      }
      if (!s.any()) {
        return result;
      }
      commit(cur, s);
      return result;
    }
  }

  private void commit(StoreImage cur, StagedChanges s) {
    commit(cur, s, cur);
  }

  /** Commits {@code s} over {@code cur}, with the master-key protection (parameters, IV, wrapping) of {@code protection}. */
  private void commit(StoreImage cur, StagedChanges s, StoreImage protection) {
    StoreImage next = StoreImage.protectedLike(protection);
    next.generation = cur.generation + 1;
    next.metadata = s.metadata != null ? s.metadata : cur.metadata;
    List<StoreFormat.Record> records = next.indexChanges(cur, s);
    byte[] bytes = StoreFormat.assemble(next, next.generation, next.metadata, records, keys);
    writeImage(bytes, next, s.beforePublish);
    // only now, with the file durable, do caches change
    for (KeyRef r : s.erased) {
      FileMaterial m = cache.remove(r);
      if (m != null) {
        m.wipe();
      }
    }
    cache.putAll(s.addedMaterial);
  }

  @Override
  public Optional<KeyMaterial> material(KeyRef version) {
    FileMaterial m = cache.get(version);
    if (m != null) {
      return Optional.of(m);
    }
    ensureOpen();
    StoreImage.Entry e = image.index.get(version);
    if (e == null) {
      return Optional.empty();
    }
    return Optional.of(cache.computeIfAbsent(version, r -> decryptRecord(r, e)));
  }

  private FileMaterial decryptRecord(KeyRef ref, StoreImage.Entry e) {
    return StoreFormat.decryptRecord(recordCipher.get(), keys.recordKey(), ref, e, describe());
  }

  /** One record cipher per thread: the same key for every record, so AES is keyed once. */
  private final ThreadLocal<Cipher> recordCipher = ThreadLocal.withInitial(() -> {
    try {
      return FileMaterial.cipher("AES/GCM/NoPadding");
    } catch (java.security.GeneralSecurityException x) {
      throw new KeyringException("AES/GCM is unavailable", x);
    }
  });

  @Override
  public byte[] auditKey() {
    return keys.auditKey();
  }

  @Override
  public Optional<Path> auditFile() {
    return atomic == null ? Optional.empty() : Optional.of(atomic.sibling(".audit"));
  }

  @Override
  public String describe() {
    return file == null ? "in-memory key store" : file.toString();
  }

  /** @return the writer lock file beside the store, or empty for an in-memory store */
  Optional<Path> lockFile() {
    return atomic == null ? Optional.empty() : Optional.of(atomic.lockPath());
  }

  /** @return the store file, or empty for an in-memory store */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * @return the password KDF in the header now
   * @throws KeyringException if the store is rooted in a PKCS#11 token (it has no password KDF)
   */
  public KdfParameters kdf() {
    ProtectorParameters p = image.protector;
    return p.kdf().orElseThrow(() -> new KeyringException(describe() + " is protected by " + p + ", not a password"));
  }

  /** @return the master key's protection recorded in the header now (kind, KDF, salt or root id) */
  public ProtectorParameters protector() {
    return image.protector;
  }

  /**
   * Re-derives the password key with new KDF parameters (and optionally a new password) and
   * re-wraps the master key, in place and atomically; records are not re-encrypted. The
   * password must open the store.
   *
   * @param password the current password (checked first)
   * @param newPassword the new password, or null to keep it
   * @param kdf the new KDF parameters
   * @throws WrongPasswordException if {@code password} does not open the store
   * @throws dev.clavis.keyring.WeakKdfException if {@code kdf} differs from the store's and is
   *     below OWASP's minimums without {@link KdfParameters#allowingWeak()}
   */
  public void rekey(char[] password, char[] newPassword, KdfParameters kdf) {
    rekey(password, newPassword, kdf, null);
  }

  /**
   * As {@link #rekey(char[], char[], KdfParameters)}, committing {@code alongside} (the engine's
   * audit record of this change) in the same write, so the change and its record are durable
   * together or not at all.
   *
   * @param <T> what {@code alongside} returns
   * @param password the current password
   * @param newPassword the new password, or null to keep it
   * @param kdfOrNull the new KDF parameters, or null to keep the store's own
   * @param alongside a transaction run under the store's lock, or null
   * @return what {@code alongside} returned, or null
   * @throws WrongPasswordException if {@code password} does not open the store
   * @throws dev.clavis.keyring.WeakKdfException as above
   */
  public <T> T rekey(char[] password, char[] newPassword, KdfParameters kdfOrNull, Transaction<T> alongside) {
    ensureOpen();
    try (AtomicFile.Lock l = exclusive()) {
      StoreImage cur = changedOnDisk(image) ? reload() : image;
      // null keeps the store's KDF as it is under the lock (a migration made meanwhile stays)
      KdfParameters kdf = kdfOrNull != null ? kdfOrNull : cur.protector.kdf().orElseThrow(() -> new KeyringException(
          describe() + " is protected by " + cur.protector + ", not a password"));
      if (!kdf.limitsOk()) {
        throw new IllegalArgumentException(KdfLimits.excess(kdf).orElse(kdf.toString()));
      }
      if (!cur.protector.kdf().equals(Optional.of(kdf))) {
        // a new setting is a choice and must be strong enough; keeping the store's own is not
        KdfLimits.requireStrongEnough(kdf, "cannot migrate " + describe() + " from " + cur.protector);
      }
      if (cur.generation > 0 || file != null) {
        byte[] m = unwrap(cur, new PasswordProtector(password, null), describe());
        Arrays.fill(m, (byte) 0);
      }
      StoreImage next = new StoreImage();
      next.generation = cur.generation + 1;
      rewrap(next, PasswordProtector.fresh(kdf), new PasswordProtector(newPassword != null ? newPassword : password,
          null), keys.master());
      StagedChanges s = new StagedChanges(keys);
      T result = null;
      if (alongside != null) {
        try {
          result = alongside.run(new Snapshot(cur.generation, cur.metadata), s);
        } catch (RuntimeException e) {
          s.discard();
          throw e;
        }
      }
      commit(cur, s, next);
      return result;
    }
  }

  /**
   * Writes the store to a stream under {@code password}, with fresh salt and the current KDF
   * parameters (KeyStore.store). The master key and records are unchanged.
   *
   * @param out where the store is written; not closed
   * @param password the password to protect it with
   * @throws IOException if {@code out} fails
   * @throws KeyringException if the store is token-rooted (it has no password KDF)
   */
  public void writeTo(OutputStream out, char[] password) throws IOException {
    ensureOpen();
    StoreImage cur = image;
    StoreImage copy = new StoreImage();
    copy.generation = Math.max(1, cur.generation);
    rewrap(copy, PasswordProtector.fresh(kdf()), new PasswordProtector(password, null), keys.master());
    out.write(StoreFormat.assemble(copy, copy.generation, cur.metadata, cur.records(), keys));
    out.flush();
  }

  /**
   * Removes temporary files left by a writer that died between write and rename. Runs under the
   * store's lock, so no live writer's file is touched.
   */
  public void removeStrayTemporaries() {
    if (atomic != null) {
      atomic.removeStrayTemporaries();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    cache.values().forEach(FileMaterial::wipe);
    cache.clear();
    keys.wipe();
  }
}
