package dev.clavis.keyring;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * The tamper-evident log of lifecycle changes and use counts: hash-chained, MAC'ed with a key
 * derived from the master key. Never holds key material.
 */
public interface AuditLog {

  /** @return every event, oldest first */
  List<AuditEvent> events();

  /**
   * Verifies the chain and every MAC.
   *
   * @return the number of events verified
   * @throws KeyringException naming the first bad record (edited, deleted, reordered or truncated)
   */
  long verify();

  /**
   * Writes the events as JSON lines, one object a line.
   *
   * @param out where the lines go; not closed
   * @throws IOException if writing to {@code out} fails
   * @throws KeyringException if the log cannot be read
   */
  void exportJsonLines(Writer out) throws IOException;
}
