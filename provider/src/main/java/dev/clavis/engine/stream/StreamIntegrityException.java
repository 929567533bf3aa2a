package dev.clavis.engine.stream;

import java.io.IOException;

/**
 * A stream's segment failed authentication: the stream was altered, cut short, reordered,
 * spliced with another, or opened with other associated data. No plaintext of that segment was
 * released. An {@link IOException} because it surfaces from {@code InputStream.read}.
 */
public final class StreamIntegrityException extends IOException {

  private static final long serialVersionUID = 1L;

  /** @param message which segment and what it means; never data or key bytes */
  public StreamIntegrityException(String message) {
    super(message);
  }
}
