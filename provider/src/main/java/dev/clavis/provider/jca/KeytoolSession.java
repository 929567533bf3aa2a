package dev.clavis.provider.jca;

import dev.clavis.keyring.spi.OwnerOnlyFiles;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.file.ProcessLock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A {@code Clavis} key store loaded from the stream of its own file (keytool's
 * {@code -keystore FILE}): the changes go to the file itself, never to a detached copy.
 *
 * <ol>
 *   <li>{@code load(stream)}: {@link StreamOrigin} tells the file; the store is opened live and
 *       must be the very store the stream held (same master key, proven by equal derived audit
 *       keys) — its generation then is the one keytool loaded.
 *   <li>Each change commits at once to the live file through a {@link GenerationGuard}: under the
 *       store's lock, onto the loaded generation only, audited in the store's own log. The first
 *       change keeps the lock until the process exits.
 *   <li>{@code store(stream)}: takes the lock (if no change did), checks the generation once more,
 *       applies a new password ({@code -storepasswd}) as a re-wrap of the master key, and hands
 *       keytool the committed file's exact bytes. keytool writes them over the file, which is then
 *       a no-op; at exit, with the lock still held, a check restores the committed bytes
 *       atomically if keytool's rewrite did not complete.
 * </ol>
 */
final class KeytoolSession implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * System property: when true ({@code keytool -J-Dclavis.keystore.verbose=true}), a load that
   * binds to a file says which file and generation on stderr.
   */
  static final String VERBOSE = "clavis.keystore.verbose";

  private final Path file;
  private final GenerationGuard guard;
  private char[] password;

  private KeytoolSession(Path file, GenerationGuard guard, char[] password) {
    this.file = file;
    this.guard = guard;
    this.password = password;
  }

  /**
   * Binds the bytes keytool read to their file.
   *
   * @param file the file the bytes came from ({@link StreamOrigin})
   * @param detached the store the bytes hold, opened in memory (closed here)
   * @param password the store password (copied)
   * @throws KeyringException if the file is not there any more, or holds another store
   */
  static KeytoolSession bind(Path file, FileKeyBackend detached, char[] password) {
    long loaded = detached.generation();
    byte[] a = detached.auditKey();
    detached.close();
    FileKeyBackend live = FileKeyBackend.openExisting(file, password);
    byte[] b = live.auditKey();
    try {
      if (!MessageDigest.isEqual(a, b)) {
        live.close();
        throw new KeyringException("the key store " + file + " is not the store keytool read (another master key):"
            + " it was replaced; nothing was written");
      }
    } finally {
      Arrays.fill(a, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
    if (Boolean.getBoolean(VERBOSE)) {
      System.err.println("clavis: key store " + file + " loaded at generation " + loaded
          + "; changes commit to it directly");
    }
    return new KeytoolSession(file, new GenerationGuard(live, loaded), password.clone());
  }

  /** @return the backend the session's keyring runs on */
  GenerationGuard backend() {
    return guard;
  }

  /** @return the store file */
  Path file() {
    return file;
  }

  /**
   * Writes the committed file's bytes to {@code out} and keeps the lock until the process exits.
   *
   * @param out where keytool collects the bytes it then writes over the file; null writes nothing
   * @param newPassword the password keytool stores under; a different one from the load password
   *     re-wraps the store's master key first
   * @throws IOException if the store changed since keytool loaded it (nothing written), or the
   *     file cannot be read
   */
  void storeTo(OutputStream out, char[] newPassword) throws IOException {
    byte[] bytes;
    try {
      guard.holdUnchanged();
      if (!sameChars(password, newPassword)) {
        guard.live().rekey(password, newPassword, guard.live().kdf());
        guard.committed();
        Arrays.fill(password, '\0');
        password = newPassword.clone();
      }
      bytes = Files.readAllBytes(file);
    } catch (KeyringException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (out == null) {
      return; // store(null, pw): every change is durable already
    }
    out.write(bytes);
    out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> restoreIfRewriteFailed(bytes), "clavis-keytool-rewrite-check"));
  }

  /** The lock is still held: only keytool's own rewrite can have touched the file. */
  private void restoreIfRewriteFailed(byte[] committed) {
    try {
      if (!Files.exists(file) || Arrays.equals(Files.readAllBytes(file), committed)) {
        return; // rewritten as committed, or deliberately removed: nothing to restore
      }
    } catch (IOException e) {
      // unreadable: restore below
    }
    Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    try {
      try (FileChannel ch = OwnerOnlyFiles.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(committed);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      System.err.println("clavis: keytool did not finish rewriting " + file + "; the committed store was restored");
    } catch (IOException | UnsupportedOperationException e) {
      System.err.println("clavis: keytool did not finish rewriting " + file + " and it could not be restored: "
          + e.getMessage());
    }
  }

  /** Constant-time comparison of two passwords. */
  static boolean sameChars(char[] a, char[] b) {
    int diff = a.length ^ b.length;
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      diff |= (i < a.length ? a[i] : 0) ^ (i < b.length ? b[i] : 0);
    }
    return diff == 0;
  }

  /**
   * Ends the session (the key store is closed or loaded again): wipes the password copy. A lock
   * taken stays held until the process exits, since the caller may still be writing the bytes
   * {@code store} gave it.
   */
  @Override
  public void close() {
    Arrays.fill(password, '\0');
  }
}
