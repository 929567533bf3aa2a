package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyringException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store's writer lock ({@code <store>.lock}) held by this process beyond one transaction.
 *
 * <p>keytool writes the bytes {@code KeyStore.store(OutputStream)} gave it to the store file
 * <i>after</i> {@code store} returns, with a plain {@code FileOutputStream}. A writer in another
 * process that committed in between would be overwritten. So a keytool session takes the lock at
 * its first change and keeps it until the process exits (the operating system releases it then);
 * other processes' writers wait for it. While it is held, {@link FileKeyBackend}'s own
 * transactions in this process do not lock again, nor open the lock file (see
 * {@link #acquire}); threads are still serialised by the backend's per-path lock.
 */
public final class ProcessLock {

  private static final ConcurrentHashMap<Path, FileLock> HELD = new ConcurrentHashMap<>();

  private ProcessLock() {}

  /**
   * Takes the writer lock of {@code backend}'s store file for this process, waiting while another
   * process holds it; does nothing if this process holds it already.
   *
   * @param backend the store whose lock is taken
   * @throws KeyringException if the backend is in memory or the lock file cannot be opened
   */
  public static void hold(FileKeyBackend backend) {
    Path lock = backend.lockFile().orElseThrow(() -> new KeyringException("an in-memory key store has no lock"));
    synchronized (HELD) {
      if (HELD.containsKey(lock)) {
        return;
      }
      try {
        FileChannel ch = openLockFile(lock);
        try {
          HELD.put(lock, lockWaiting(ch));
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
      } catch (IOException e) {
        throw new KeyringException("cannot lock the key store " + backend.describe() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Locks, waiting out a transaction of this JVM that holds the lock right now. */
  private static FileLock lockWaiting(FileChannel ch) throws IOException {
    while (true) {
      try {
        return ch.lock();
      } catch (OverlappingFileLockException e) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the store's lock", ie);
        }
      }
    }
  }

  /**
   * Whether this process holds a store's lock.
   *
   * @param backend the store
   * @return whether this process holds the lock of {@code backend}'s store
   */
  public static boolean isHeld(FileKeyBackend backend) {
    return backend.lockFile().map(HELD::containsKey).orElse(false);
  }

  /**
   * Releases a lock taken by {@link #hold}, if held.
   *
   * @param backend the store whose lock is released
   */
  public static void release(FileKeyBackend backend) {
    backend.lockFile().ifPresent(lock -> {
      synchronized (HELD) {
        FileLock l = HELD.remove(lock);
        if (l != null) {
          try {
            l.channel().close(); // releases the lock
          } catch (IOException e) {
            // the lock goes with the channel regardless
          }
        }
      }
    });
  }

  /**
   * The lock for one transaction on {@code lockFile}, released by closing it: a no-op if this
   * process holds the lock through {@link #hold}, else a new channel locked (waited for).
   *
   * <p>While a hold is in place, no other channel on the lock file may even be opened and closed:
   * the locks are POSIX record locks, and closing <i>any</i> descriptor of the file drops every
   * lock the process has on it. Hence the check and the open happen under the monitor that
   * {@link #hold} takes.
   */
  static Closeable acquire(Path lockFile) throws IOException {
    FileChannel ch;
    synchronized (HELD) {
      if (HELD.containsKey(lockFile)) {
        return () -> { };
      }
      ch = openLockFile(lockFile);
    }
    try {
      ch.lock();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return ch; // closing the channel releases its lock
  }

  /** Opens (creating owner-only, where the file system has POSIX modes) the lock file. */
  private static FileChannel openLockFile(Path lockFile) throws IOException {
    return dev.clavis.keyring.spi.OwnerOnlyFiles.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        java.nio.file.LinkOption.NOFOLLOW_LINKS); // never through a link (see AtomicFile.lock)
  }
}
