package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.spi.OwnerOnlyFiles;
import dev.clavis.keyring.KeyringException;
import dev.clavis.pkcs11.TokenInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
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
 * 0700; refused when it already exists as a link, owned by another user or writable by others,
 * since anyone may create that name first). Every process that writes to a token must use the
 * same directory: processes of different users sharing a token set a common {@code lockDir}. Across hosts a file lock cannot
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
  /** Whether the directory is the per-user default in the shared temporary directory. */
  private final boolean defaultDir;

  private TokenCommitLock(Path file, boolean defaultDir) {
    this.file = file;
    this.defaultDir = defaultDir;
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
    boolean dflt = configured == null && System.getProperty(LOCK_DIR_PROPERTY) == null;
    return new TokenCommitLock(dir.toAbsolutePath().normalize().resolve("token-" + digest(identity) + ".lock"), dflt);
  }

  /** Creates the lock directory owner-only (0700) when it is missing; only a writer needs it. */
  private void createDirectory() throws IOException {
    Path dir = file.getParent();
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      checkPrivate(dir);
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
    checkPrivate(dir);
  }

  /**
   * The default directory has a name every local user can predict, in a directory every user may
   * write ({@code /tmp}): whoever made it first, or may write it, can unlink the lock file under
   * its holder, so that the next writer locks a new file and two processes commit at once. So it
   * must be a real directory (not a link), owned by this user, that no one else may write. A
   * configured {@code lockDir} is the operator's choice (it may be shared by several users on
   * purpose) and is used as it is.
   */
  private void checkPrivate(Path dir) throws IOException {
    if (!defaultDir || !dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    if (Files.isSymbolicLink(dir)) {
      throw new IOException("the lock directory " + dir + " is a symbolic link: someone else may have made it;"
          + " remove it or set 'lockDir'");
    }
    PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    if (!a.owner().equals(me)) {
      throw new IOException("the lock directory " + dir + " belongs to " + a.owner().getName() + ", not to "
          + me.getName() + ": another user may have made it first; remove it or set 'lockDir'");
    }
    Set<PosixFilePermission> p = a.permissions();
    if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException("the lock directory " + dir + " is writable by others ("
          + PosixFilePermissions.toString(p) + "), so its lock file could be swapped under a writer; make it"
          + " rwx------ or set 'lockDir'");
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
      return OwnerOnlyFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      // not through a link (CREATE_NEW never follows one; this open must not either)
      return FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }
  }

  @Override
  public String toString() {
    return "TokenCommitLock{" + file + "}";
  }
}
