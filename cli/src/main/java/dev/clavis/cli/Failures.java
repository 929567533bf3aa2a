package dev.clavis.cli;

import dev.clavis.keyring.KeyringException;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * Turns a failure into the one line users see on stderr, {@code clavis: error: ...}, and its exit
 * code: {@value CliException#FAILURE} when the command ran and failed, {@value CliException#USAGE}
 * when the command line was wrong (then, and only then, a second line points at the help).
 * Messages are words, never Java exception class names.
 */
final class Failures {

  /** A qualified Java exception name as some libraries put it in messages: {@code java.io.FooException: }. */
  private static final Pattern QUALIFIED_EXCEPTION = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)(?::\\s*)?");

  private Failures() {}

  /**
   * Prints the error line (and with {@code debug} the stack trace) and returns the exit code.
   *
   * @param err where the line goes
   * @param t the failure
   * @param debug whether {@code --debug} asked for the stack trace
   * @return the exit code
   */
  static int report(PrintStream err, Throwable t, boolean debug) {
    int code = t instanceof CliException ? ((CliException) t).exitCode() : CliException.FAILURE;
    err.println("clavis: error: " + oneLine(message(t)));
    if (code == CliException.USAGE) {
      err.println("clavis: run 'clavis help' for usage");
    }
    if (debug) {
      t.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** @return the message users see: the exception's own (which names key, version and state), or what kind of failure it was */
  static String message(Throwable t) {
    if (t instanceof UncheckedIOException && t.getCause() != null) {
      return message(t.getCause());
    }
    if (t instanceof IOException) {
      return describe((IOException) t);
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory (run java with a larger -Xmx)";
    }
    if (t instanceof StackOverflowError) {
      return "the input nests too deeply";
    }
    String m = t.getMessage();
    if (m != null && !m.isBlank()) {
      return m;
    }
    Throwable c = t.getCause();
    if (c != null && c != t) {
      return message(c);
    }
    return t instanceof KeyringException ? "the keyring refused the operation (run with --debug for details)"
        : "unexpected failure (run with --debug for details)";
  }

  /** @return an I/O failure in words: what went wrong with which file */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file: " + ((NoSuchFileException) e).getFile();
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + ((AccessDeniedException) e).getFile();
    }
    if (e instanceof FileAlreadyExistsException) {
      return "file exists: " + ((FileAlreadyExistsException) e).getFile();
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory: " + ((NotDirectoryException) e).getFile();
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty: " + ((DirectoryNotEmptyException) e).getFile();
    }
    if (e instanceof FileSystemLoopException) {
      return "symbolic links loop at " + ((FileSystemLoopException) e).getFile();
    }
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      return (f.getReason() == null ? "file system error" : f.getReason()) + (f.getFile() == null ? "" : ": " + f.getFile());
    }
    if (e instanceof EOFException) {
      return "the input ended early" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "input/output error" : "input/output error: " + m;
  }

  /** One line, and no qualified exception class names a library may have put in a message. */
  static String oneLine(String s) {
    return QUALIFIED_EXCEPTION.matcher(s.replaceAll("[\\r\\n]+", " ")).replaceAll("").trim();
  }
}
