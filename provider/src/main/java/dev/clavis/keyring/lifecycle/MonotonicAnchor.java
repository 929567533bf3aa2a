package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.spi.OwnerOnlyFiles;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An optional high-water mark of a store's generation and audit head, kept in a small MAC'ed file
 * outside the store (the operator places it where whoever can restore the store cannot write:
 * another volume, a host-only directory). A store and its audit log restored together from a
 * backup match each other, so only state kept elsewhere can tell that restore from the real
 * latest state: opening a store older than its anchor fails with
 * {@link StoreDamagedException.Kind#ROLLED_BACK}.
 *
 * <pre>
 * clavis-anchor 1 &lt;store id, 32 hex&gt; &lt;generation&gt; &lt;audit head&gt; &lt;HMAC-SHA256, 64 hex&gt;
 * K_anchor = HMAC-SHA256(K_audit, "clavis/v1/anchor"); id = HMAC-SHA256(K_anchor, "id")[0..16]
 * </pre>
 *
 * The file is configured with the system property {@value #PROPERTY} (the CLI's
 * {@code --anchor FILE} sets it). The first open with an anchor that does not exist yet creates
 * it at the store's generation; after every commit it is raised (never lowered, under its own
 * lock, replaced atomically). It is raised after the store is published, so a crash in between
 * leaves it one generation behind the store, which is accepted. An anchor of another store, or
 * one whose MAC fails, is refused and left as it was.
 */
final class MonotonicAnchor {

  /** The system property naming the anchor file. */
  static final String PROPERTY = dev.clavis.keyring.Keyrings.ANCHOR_PROPERTY;

  private static final String MAGIC = "clavis-anchor 1";
  private static final HexFormat HEX = HexFormat.of();
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final String store;
  private final byte[] key;
  private final String id;
  private final boolean local;

  /** A recorded mark. */
  record Mark(long generation, long auditSeq) {}

  /**
   * @param file the anchor file
   * @param auditKey the store's audit key (the anchor's MAC key is derived from it)
   * @param store the store's description, for messages
   * @param local true for the commit mark kept beside the audit log ({@link #besideLog}), false
   *     for an anchor the operator placed elsewhere
   */
  MonotonicAnchor(Path file, byte[] auditKey, String store, boolean local) {
    this.file = file.toAbsolutePath().normalize();
    this.store = store;
    this.local = local;
    this.key = hmac(auditKey, "clavis/v1/anchor".getBytes(StandardCharsets.US_ASCII));
    this.id = HEX.formatHex(Arrays.copyOf(hmac(key, "id".getBytes(StandardCharsets.US_ASCII)), 16));
  }

  /** @return the anchor the system property {@value #PROPERTY} names, if any */
  static Optional<MonotonicAnchor> configured(byte[] auditKey, String store) {
    String p = System.getProperty(PROPERTY);
    if (p == null || p.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new MonotonicAnchor(Path.of(p), auditKey, store, false));
  }

  /**
   * The commit mark beside the audit log ({@code <log>.head}): the same record, raised after every
   * commit but not forced to disk (an operating-system crash may lose its last update, which only
   * makes it lag; an empty or cut file is taken as absent). It tells a store rolled back by
   * exactly its last write, before any later write, from a crash between the log append and the
   * store's rename, which otherwise look the same (see {@link RollbackGuard}). It does not help
   * when the store, its log and this file are restored together: that takes {@link #configured}.
   */
  static MonotonicAnchor besideLog(Path auditFile, byte[] auditKey, String store) {
    return new MonotonicAnchor(auditFile.resolveSibling(auditFile.getFileName() + ".head"), auditKey, store, true);
  }

  private String what() {
    return local ? "commit mark" : "anchor";
  }

  /** @return the anchor file */
  Path file() {
    return file;
  }

  /**
   * @return the recorded mark, or empty if the file does not exist
   * @throws StoreDamagedException if it belongs to another store or fails its MAC
   */
  Optional<Mark> read() {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new KeyringException("cannot read the anchor " + file + ": " + e.getMessage(), e);
    }
    String[] f = text.split(" ");
    if (local && (f.length != 6 || !(f[0] + " " + f[1]).equals(MAGIC) || f[5].length() != 64)) {
      return Optional.empty(); // cut by a crash (it is not forced to disk): it only lags
    }
    if (f.length != 6 || !(f[0] + " " + f[1]).equals(MAGIC)) {
      throw new StoreDamagedException(Kind.TAMPERED, "the " + what() + " " + file + " of the key store " + store
          + " is not a Clavis anchor file (damaged or replaced); it was left as it was");
    }
    if (!f[2].equals(id)) {
      throw new StoreDamagedException(Kind.ROLLED_BACK, "the " + what() + " " + file + " belongs to another key store, not "
          + store + " (the anchor or the store was swapped); give each store its own anchor");
    }
    byte[] mac;
    try {
      mac = HEX.parseHex(f[5]);
    } catch (IllegalArgumentException e) {
      mac = new byte[0];
    }
    String body = MAGIC + " " + f[2] + " " + f[3] + " " + f[4];
    if (!MessageDigest.isEqual(mac, hmac(key, body.getBytes(StandardCharsets.US_ASCII)))) {
      throw new StoreDamagedException(Kind.TAMPERED, "the " + what() + " " + file + " of the key store " + store
          + " fails its MAC: it was edited or forged; it was left as it was");
    }
    try {
      return Optional.of(new Mark(Long.parseLong(f[3]), Long.parseLong(f[4])));
    } catch (NumberFormatException e) {
      throw new StoreDamagedException(Kind.TAMPERED, "the " + what() + " " + file + " is damaged");
    }
  }

  /**
   * Fails if the store state is older than the anchor.
   *
   * @throws StoreDamagedException of kind {@code ROLLED_BACK} naming both generations
   */
  void check(long generation, long auditSeq) {
    Optional<Mark> m = read();
    if (m.isPresent() && (m.get().generation() > generation || m.get().auditSeq() > auditSeq)) {
      throw new StoreDamagedException(Kind.ROLLED_BACK, "the key store " + store + " is older than its " + what() + " "
          + file + ": the store is at generation " + generation + " with audit head " + auditSeq + " but the " + what()
          + " recorded generation " + m.get().generation() + " with audit head " + m.get().auditSeq() + " — "
          + (local ? "the store file was rolled back to an older copy" : "the store (and its log) were restored from"
          + " an older copy") + " (the files were not changed)");
    }
  }

  /**
   * Raises the mark to this state (creating the file, 0600, if it does not exist); never lowers it.
   *
   * @throws StoreDamagedException if the present anchor belongs to another store or fails its MAC
   * @throws KeyringException if it cannot be written
   */
  void raise(long generation, long auditSeq) {
    if (local) {
      try {
        Optional<Mark> m = read();
        if (m.isEmpty() || m.get().generation() < generation || m.get().auditSeq() < auditSeq) {
          // no lock: writers race only to raise it; one that lowers it by a step weakens, never breaks, the check
          write(generation, auditSeq, false);
        }
      } catch (KeyringException e) {
        // the commit is done; a mark that could not be raised only lags (a bad one is reported at the next open)
      }
      return;
    }
    ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    jvm.lock();
    Path lock = file.resolveSibling(file.getFileName() + ".lock");
    try (FileChannel lc = OwnerOnlyFiles.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = lc.lock()) {
      Optional<Mark> m = read();
      if (m.isPresent() && m.get().generation() >= generation && m.get().auditSeq() >= auditSeq) {
        return;
      }
      write(Math.max(generation, m.map(Mark::generation).orElse(0L)), Math.max(auditSeq, m.map(Mark::auditSeq).orElse(0L)),
          true);
    } catch (IOException e) {
      throw new KeyringException("cannot write the " + what() + " " + file + ": " + e.getMessage(), e);
    } finally {
      jvm.unlock();
    }
  }

  /** Replaces the file atomically (a fresh temporary file, 0600, renamed over it). */
  private void write(long g, long s, boolean force) {
    try {
      String body = MAGIC + " " + id + " " + g + " " + s;
      String line = body + " " + HEX.formatHex(hmac(key, body.getBytes(StandardCharsets.US_ASCII))) + "\n";
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + Long.toHexString(RANDOM.nextLong()));
      try {
        try (FileChannel ch = OwnerOnlyFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
          while (b.hasRemaining()) {
            ch.write(b);
          }
          if (force) {
            ch.force(true);
          }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (FileAlreadyExistsException e) {
      throw new KeyringException("cannot write the " + what() + " " + file + ": a temporary file exists", e);
    } catch (IOException e) {
      throw new KeyringException("cannot write the " + what() + " " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] hmac(byte[] k, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256", "SunJCE");
      mac.init(new SecretKeySpec(k, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  void wipe() {
    Arrays.fill(key, (byte) 0);
  }
}
