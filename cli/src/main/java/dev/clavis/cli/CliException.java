package dev.clavis.cli;

/**
 * A failure the command line reports as one line on stderr, with the exit code it chose. Messages
 * never carry a password, a PIN or key material.
 */
class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code of a command that ran and failed (wrong password, unknown key, refused use...). */
  static final int FAILURE = 1;
  /** Exit code of a command line that could not be understood. */
  static final int USAGE = 2;

  private final int exitCode;

  CliException(String message) {
    this(message, FAILURE);
  }

  CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** @return the process exit code for this failure */
  int exitCode() {
    return exitCode;
  }

  /** @return a usage error (exit code {@value #USAGE}) */
  static CliException usage(String message) {
    return new CliException(message, USAGE);
  }
}
