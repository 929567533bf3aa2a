package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One file replaced atomically and written by one writer at a time, across threads and processes:
 * the only place the file store touches the file system for writing.
 *
 * <ul>
 *   <li><b>One real path.</b> The path is resolved once, when this object is made: through every
 *       symbolic link for a file that exists ({@link Path#toRealPath}), else the real path of its
 *       directory plus its name. The lock, the temporary file and the rename all use it, so a
 *       symlinked store is replaced where it lives (the link stays a link) and two spellings of
 *       one file ({@code a/../s}, a link, a relative path) take one lock.</li>
 *   <li><b>Two locks.</b> A {@link ReentrantLock} per real path inside the JVM (a {@link FileLock}
 *       is held per process, and a second {@code lock()} on the same file in one JVM throws), then
 *       an exclusive {@link FileLock} on {@code <real>.lock} beside the file, never opened through a
 *       symbolic link (one there is refused by name).</li>
 *   <li><b>Write aside.</b> {@link #replace} writes a temporary file {@code .<name>.<random>.tmp} in
 *       the same directory, forces it, renames it over the file ({@code ATOMIC_MOVE}) and forces
 *       the directory, so a crash leaves either the old or the new file, never a mix.</li>
 *   <li><b>Owner only.</b> The lock and temporary files (hence the file itself after its first
 *       replacement) are created 0600 from their first byte on POSIX file systems.</li>
 *   <li><b>Fault points</b> for crash tests: {@code "after-write"} (temporary file forced, not yet
 *       renamed) and {@code "after-rename"} (renamed, directory not yet forced). {@link #faultHook}
 *       is called there; the system property {@code clavis.store.fault} naming a point halts the
 *       JVM there (exit code 86).</li>
 * </ul>
 *
 * <p>Hard links are not followed: a second hard link to the file keeps the old content after a
 * replacement, as with any rename-based writer.
 */
final class AtomicFile {

  /** Called at each fault point with its name (tests); null in production. */
  static volatile Consumer<String> faultHook;

  /** The exit code of a JVM halted at a fault point named by {@code clavis.store.fault}. */
  static final int FAULT_EXIT = 86;

  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Symbolic links followed to a file that does not exist yet, at most (as Linux's MAXSYMLINKS). */
  private static final int MAX_LINKS = 40;

  private final Path path;
  private final Path lockFile;
  private final ReentrantLock jvmLock;
  private final String what;

  /** Runs the audit log's sync beside the store's (daemon threads, created on demand). */
  private static final java.util.concurrent.ExecutorService SYNCER =
      java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "clavis-store-sync");
        t.setDaemon(true);
        return t;
      });

  private AtomicFile(Path realPath, String what) {
    this.path = realPath;
    this.lockFile = sibling(".lock");
    this.jvmLock = JVM_LOCKS.computeIfAbsent(realPath, p -> new ReentrantLock());
    this.what = what;
  }

  /**
   * @param file the file, existing or not; its directory must exist
   * @param what how messages name the file, e.g. {@code "the key store"}
   * @throws KeyringException if the real path cannot be resolved (a missing directory, a loop of
   *     links, a link that names a directory)
   */
  static AtomicFile of(Path file, String what) {
    return new AtomicFile(realPath(file, what), what);
  }

  /**
   * The real path of {@code file}: {@link Path#toRealPath} if it exists, else the real path of its
   * directory plus its name, following dangling links to where the file will be created.
   */
  static Path realPath(Path file, String what) {
    Path f = file.toAbsolutePath().normalize();
    try {
      for (int i = 0; i < MAX_LINKS; i++) {
        if (Files.exists(f)) {
          Path real = f.toRealPath();
          if (Files.isDirectory(real)) {
            throw new KeyringException(what + " " + file + " is a directory, not a file");
          }
          return real;
        }
        Path dir = f.getParent();
        if (!Files.isSymbolicLink(f)) {
          if (dir == null || !Files.isDirectory(dir)) {
            throw new KeyringException("cannot create " + what + " " + file + ": its directory " + dir
                + " does not exist");
          }
          return dir.toRealPath().resolve(f.getFileName());
        }
        // a dangling link: the file will be created where it points, not in place of the link
        f = dir.resolve(Files.readSymbolicLink(f)).toAbsolutePath().normalize();
      }
      throw new KeyringException(what + " " + file + " is behind more than " + MAX_LINKS
          + " symbolic links (a loop?)");
    } catch (IOException e) {
      throw new KeyringException("cannot resolve the path of " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** @return the real path, resolved once */
  Path path() {
    return path;
  }

  /** @return the file beside the real one whose name ends in {@code suffix} (e.g. {@code ".audit"}) */
  Path sibling(String suffix) {
    return path.resolveSibling(path.getFileName() + suffix);
  }

  /** @return whether the file exists now */
  boolean exists() {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Takes the JVM lock, then the file lock, waiting for both.
   *
   * @return the hold; closing it releases both
   * @throws KeyringException if the lock file cannot be created or locked
   */
  Lock lock() {
    jvmLock.lock();
    try {
      // never through a link: whoever may write the directory could point S.lock anywhere, and
      // O_CREAT would create that file as this user (or open another file for writing)
      if (Files.isSymbolicLink(lockFile)) {
        throw new KeyringException("the lock file " + lockFile + " of " + what + " " + path + " is a symbolic link;"
            + " someone who may write its directory made it: remove it (Clavis makes the lock file itself)");
      }
      // through ProcessLock: a keytool session may hold this file's lock for the whole process,
      // and then no second channel on the lock file may be opened (closing it would drop the hold)
      return new Lock(jvmLock, ProcessLock.acquire(lockFile));
    } catch (IOException | RuntimeException e) {
      jvmLock.unlock();
      if (e instanceof KeyringException) {
        throw (KeyringException) e;
      }
      throw new KeyringException("cannot lock " + what + " " + path + ": " + e.getMessage(), e);
    }
  }

  /** @return the lock file beside the real file, {@code <real>.lock} */
  Path lockPath() {
    return lockFile;
  }

  /**
   * Replaces the file with {@code bytes}: writes a temporary file beside it (0600), forces it,
   * runs {@code beforeRename} (which may wait for other durable steps), renames it over the file
   * and forces the directory. Call it holding {@link #lock()}.
   *
   * @throws KeyringException if a step fails; the previous file is then intact and the temporary
   *     file removed
   */
  void replace(byte[] bytes, Runnable beforeRename) {
    Path dir = path.getParent();
    Path tmp = dir.resolve("." + path.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    try {
      try (FileChannel ch = OwnerOnlyFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        // fdatasync: the data and the size, which is all a new file needs before the rename
        ch.force(false);
      }
      beforeRename.run();
      fault("after-write");
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new KeyringException("the file system of " + path + " cannot rename atomically; keep " + what
            + " on a local file system", e);
      }
      fault("after-rename");
      forceDirectory(dir);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new KeyringException("cannot write " + what + " " + path + ": " + e.getMessage()
          + " (the previous version is intact)", e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /**
   * As {@link #replace(byte[], Runnable)}, running {@code alongside} (the audit log's sync) on
   * another thread while the new file is written and forced, so the two syncs overlap; both
   * finish before the rename, and if a step throws, the file is not replaced.
   */
  void replace(byte[] bytes, java.util.List<Runnable> alongside) {
    java.util.concurrent.CompletableFuture<Void> side = alongside.isEmpty() ? null
        : java.util.concurrent.CompletableFuture.runAsync(() -> alongside.forEach(Runnable::run), SYNCER);
    replace(bytes, () -> {
      if (side != null) {
        try {
          side.join();
        } catch (java.util.concurrent.CompletionException e) {
          Throwable c = e.getCause();
          throw c instanceof RuntimeException ? (RuntimeException) c : new KeyringException(String.valueOf(c), c);
        }
      }
    });
  }

  /**
   * Removes temporary files left by a writer that died between write and rename. Takes the lock,
   * so no live writer's file is touched. Failures are ignored: temporary files are never read.
   */
  void removeStrayTemporaries() {
    try (Lock l = lock();
        DirectoryStream<Path> ds = Files.newDirectoryStream(path.getParent(), "." + path.getFileName() + ".*.tmp")) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | KeyringException e) {
      // harmless: they are never read, and the next writer tries again
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some platforms cannot open directories; the rename is still atomic
    }
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // the stray temporary file is removed by the next open
    }
  }

  private static void fault(String point) {
    Consumer<String> h = faultHook;
    if (h != null) {
      h.accept(point);
    }
    if (point.equals(System.getProperty("clavis.store.fault"))) {
      Runtime.getRuntime().halt(FAULT_EXIT);
    }
  }

  /**
   * The exclusive hold of a file (or, for a store kept in memory, of a JVM lock alone). Closing
   * releases the file lock, then the JVM lock. Not shared between threads.
   */
  static final class Lock implements AutoCloseable {
    private final ReentrantLock jvm;
    private final java.io.Closeable fileLock;

    private Lock(ReentrantLock jvm, java.io.Closeable fileLock) {
      this.jvm = jvm;
      this.fileLock = fileLock;
    }

    /** @return a hold of {@code jvm} alone (locked by this call), for a store that has no file */
    static Lock inProcess(ReentrantLock jvm) {
      jvm.lock();
      return new Lock(jvm, null);
    }

    @Override
    public void close() {
      try {
        if (fileLock != null) {
          fileLock.close(); // closing the channel releases its lock
        }
      } catch (IOException e) {
        // the lock goes with the channel regardless
      } finally {
        jvm.unlock();
      }
    }
  }
}
