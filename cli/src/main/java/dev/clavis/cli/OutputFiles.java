package dev.clavis.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code --in} and {@code --out} files of the data commands. An output file is written to a
 * temporary file beside it (created 0600 by {@link Files#createTempFile}) and moved over the
 * target only when the command succeeded, so a failed decryption leaves no partial plaintext
 * and a failed encryption no envelope without its final segment.
 */
final class OutputFiles {

  /** Writes the command's output. */
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  private OutputFiles() {}

  /** @throws CliException naming the file if it cannot be opened */
  static InputStream openInput(String file) {
    try {
      return Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new CliException("--in " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CliException("--in " + file + ": permission denied");
    } catch (IOException e) {
      throw new CliException("--in " + file + ": " + e.getMessage());
    }
  }

  /** @throws CliException naming the file if it cannot be written; the target is untouched then */
  static void write(String file, Body body) throws IOException {
    Path target = Path.of(file).toAbsolutePath();
    Path tmp;
    try {
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    } catch (IOException e) {
      throw new CliException("--out " + file + ": cannot create a file in " + target.getParent());
    }
    boolean done = false;
    try {
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        body.write(o);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
