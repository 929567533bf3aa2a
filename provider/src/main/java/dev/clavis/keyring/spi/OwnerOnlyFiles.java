package dev.clavis.keyring.spi;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Opens files that hold secrets or describe them (stores, audit logs, lock and temporary files)
 * so that a file this call creates is readable and writable by its owner alone (POSIX 0600) from
 * its first byte: the mode is given to {@code open(2)}, not set afterwards, so no other user can
 * open it in between, whatever the umask. On file systems without POSIX permissions (Windows)
 * the file inherits its directory's access rules.
 *
 * <p>An existing file is opened as it is; its permissions are not changed.
 */
public final class OwnerOnlyFiles {

  private static final Set<PosixFilePermission> OWNER_RW =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions.asFileAttribute(OWNER_RW);

  private OwnerOnlyFiles() {}

  /**
   * As {@link FileChannel#open(Path, OpenOption...)}, creating the file 0600 on POSIX file systems.
   *
   * @param file the file to open
   * @param options as for {@link FileChannel#open(Path, OpenOption...)}
   * @return the open channel
   * @throws IOException as {@link FileChannel#open(Path, Set, FileAttribute[])}
   */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> opts = Set.of(options);
    if (isPosix(file)) {
      return FileChannel.open(file, opts, OWNER_ONLY);
    }
    return FileChannel.open(file, opts);
  }

  /**
   * Whether a file's file system has POSIX permissions.
   *
   * @param file any path on the file system
   * @return whether {@code file}'s file system has POSIX permissions
   */
  public static boolean isPosix(Path file) {
    return file.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
