package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyringException;
import dev.clavis.pkcs11.TokenInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the committers of one token on one host: an exclusive {@link FileLock} on a file
 * named after the token (library, manufacturer, model, serial number and label), held from the
 * read of the head to its move. PKCS#11 has no compare-and-set, so without it two processes can
 * both pass the generation check and one of them loses its acknowledged keys.
 *
 * <p>The lock directory is, in order: the configuration's {@code lockDir}, the system property
 * {@value #LOCK_DIR_PROPERTY}, else {@code ${java.io.tmpdir}/clavis-locks-${user.name}} (created
 * 0700). Every process that writes to a token must use the same directory: processes of
 * different users sharing a token set a common {@code lockDir}. Across hosts a file lock cannot
 * help; a keyring shared by several machines needs a backend with a real compare-and-set.
 *
 * <p>A JVM cannot hold two {@code FileLock}s on one file, so the threads (and the several
 * backends) of one process queue on an in-process lock first.
 */
final class TokenCommitLock {

  /** System property naming the lock directory when the configuration has no {@code lockDir}. */
  static final String LOCK_DIR_PROPERTY = "clavis.pkcs11.lockDir";

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantLock local;

  private TokenCommitLock(Path file) {
    this.file = file;
    this.local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
  }

  /**
   * The lock of a token.
   *
   * @param configured the configuration's {@code lockDir}, or null
   */
  static TokenCommitLock of(Path configured, Path library, TokenInfo info) {
    Path dir = configured != null ? configured
        : System.getProperty(LOCK_DIR_PROPERTY) != null ? Path.of(System.getProperty(LOCK_DIR_PROPERTY))
        : Path.of(System.getProperty("java.io.tmpdir"), "clavis-locks-" + System.getProperty("user.name", "user"));
    String lib;
    try {
      lib = library.toRealPath().toString();
    } catch (IOException e) {
      lib = library.toAbsolutePath().normalize().toString();
    }
    String identity = lib + "\n" + info.manufacturer() + "\n" + info.model() + "\n" + info.serialNumber() + "\n"
        + info.label();
    return new TokenCommitLock(dir.toAbsolutePath().normalize().resolve("token-" + digest(identity) + ".lock"));
  }

  /** Creates the lock directory owner-only (0700) when it is missing; only a writer needs it. */
  private void createDirectory() throws IOException {
    Path dir = file.getParent();
    if (Files.isDirectory(dir)) {
      return;
    }
    if (dir.getParent() != null) {
      Files.createDirectories(dir.getParent());
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // another process created it first
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** @return the lock file */
  Path file() {
    return file;
  }

  /** A held lock; closing releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits for the lock: first the other threads of this process, then the other processes.
   *
   * @throws KeyringException if the lock file cannot be opened or locked
   */
  Held acquire() {
    local.lock();
    if (local.getHoldCount() > 1) {
      return local::unlock; // re-entered by this thread: the file lock is already held
    }
    FileChannel ch = null;
    try {
      createDirectory();
      ch = open();
      FileLock lock = ch.lock();
      FileChannel channel = ch;
      return () -> {
        try {
          lock.release();
          channel.close();
        } catch (IOException e) {
          // closing the channel releases the lock in any case
        } finally {
          local.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // the failure below says what went wrong
        }
      }
      local.unlock();
      throw new KeyringException("cannot lock " + file + " to commit to the token (set 'lockDir' in the PKCS#11"
          + " configuration or -D" + LOCK_DIR_PROPERTY + " to a directory every writer of the token can use): "
          + e.getMessage(), e);
    }
  }

  private FileChannel open() throws IOException {
    try {
      return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
  }

  @Override
  public String toString() {
    return "TokenCommitLock{" + file + "}";
  }
}
