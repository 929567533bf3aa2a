package dev.clavis.provider.jca;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which store file a {@code KeyStore.load(InputStream)} read, so that keytool's session can commit
 * to the file itself rather than to a detached copy.
 *
 * <p>keytool gives the key store only a {@code FileInputStream} (or, when it probes the type, a
 * stream wrapped around one), never the path. Two ways name the file, tried in order:
 *
 * <ol>
 *   <li>on Linux, the files this process has open ({@code /proc/self/fd}): keytool's stream is
 *       still open while {@code load} runs, so exactly one open regular file holds the very bytes
 *       that were read. Reading it again through {@code /proc/self/fd/N} reads the same inode even
 *       if another writer has renamed a new version over the path since; the path is then the
 *       link's target without its {@code " (deleted)"} mark, and the generation check of the
 *       session reports the change. This is exact, so it comes first;
 *   <li>where that finds nothing (no {@code /proc}), the system property {@value #PROPERTY}
 *       ({@code keytool -J-Dclavis.keystore.file=PATH}); the session then checks that the file
 *       holds the same store (same master key) before it commits anything to it.
 * </ol>
 *
 * A stream whose bytes no open file holds (a byte array, a network stream) has no origin: it is a
 * detached image, as before.
 */
final class StreamOrigin {

  /** The system property naming the store file keytool loads, when the file cannot be told. */
  static final String PROPERTY = "clavis.keystore.file";

  private static final String DELETED = " (deleted)";

  private StreamOrigin() {}

  /**
   * @param bytes what the stream held
   * @return the store file those bytes were read from, if it can be told
   * @throws IOException if the bytes match several different open files (name one with {@value #PROPERTY})
   */
  static Optional<Path> of(byte[] bytes) throws IOException {
    Optional<Path> open = openFileHolding(bytes);
    if (open.isPresent()) {
      return open;
    }
    String named = System.getProperty(PROPERTY);
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named).toAbsolutePath().normalize());
    }
    return Optional.empty();
  }

  /** The one file open in this process that holds exactly {@code bytes}, on Linux. */
  private static Optional<Path> openFileHolding(byte[] bytes) throws IOException {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return Optional.empty();
    }
    Set<Path> found = new LinkedHashSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(fds)) {
      for (Path fd : ds) {
        candidate(fd, bytes).ifPresent(found::add);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (found.size() > 1) {
      throw new IOException("the key store stream matches several open files " + found + "; close the others");
    }
    return found.stream().findFirst();
  }

  /** The path behind one open descriptor, if it is a regular file holding exactly {@code bytes}. */
  private static Optional<Path> candidate(Path fd, byte[] bytes) {
    try {
      if (!Files.isRegularFile(fd) || Files.size(fd) != bytes.length) {
        return Optional.empty();
      }
      String target = Files.readSymbolicLink(fd).toString();
      byte[] held;
      try (InputStream in = Files.newInputStream(fd)) {
        held = in.readNBytes(bytes.length + 1);
      }
      if (!Arrays.equals(held, bytes)) {
        return Optional.empty();
      }
      if (target.endsWith(DELETED)) {
        target = target.substring(0, target.length() - DELETED.length());
      }
      Path p = Path.of(target);
      return p.isAbsolute() ? Optional.of(p.normalize()) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      // a descriptor closed meanwhile, a socket, a pipe: not the store
      return Optional.empty();
    }
  }
}
