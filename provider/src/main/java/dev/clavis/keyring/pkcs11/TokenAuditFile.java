package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.spi.OwnerOnlyFiles;
import dev.clavis.keyring.KeyringException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The token keyring's audit log file ({@code Pkcs11Config#auditLog()}, null when the log is kept
 * in memory): created owner-only, and cut back to its size before a commit attempt when that
 * attempt lost the race, so the retry's records follow the last real one. Every appender holds
 * the commit lock, which makes the cut safe.
 */
final class TokenAuditFile {

  private final Path file;
  private final String owner;

  /**
   * @param file the log, or null when it is kept in memory
   * @param owner names the keyring in errors
   */
  TokenAuditFile(Path file, String owner) {
    this.file = file;
    this.owner = owner;
  }

  /**
   * Creates the audit log owner-only (0600) before the first append writes to it.
   *
   * @throws KeyringException if it cannot be created
   */
  void create() {
    if (file == null || Files.exists(file)) {
      return;
    }
    try {
      OwnerOnlyFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    } catch (FileAlreadyExistsException e) {
      // another process created it first
    } catch (IOException e) {
      throw new KeyringException("cannot create the audit log " + file + " of " + owner + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return the audit log's size (0 when it does not exist yet), -1 when it is kept in memory
   * @throws KeyringException if the size cannot be read
   */
  long size() {
    try {
      return file == null ? -1 : Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new KeyringException("cannot read the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes what was appended after the log had {@code size} bytes (nothing if it is in memory).
   *
   * @throws KeyringException if the file cannot be truncated
   */
  void truncate(long size) {
    if (file == null || size < 0 || !Files.exists(file)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (ch.size() > size) {
        ch.truncate(size);
        ch.force(false);
      }
    } catch (IOException e) {
      throw new KeyringException("cannot remove the audit records of a commit that lost the race from " + file + ": "
          + e.getMessage(), e);
    }
  }
}
