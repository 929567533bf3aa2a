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

  /**
   * Writes the whole log as one JSON array, for an auditor: first an object with the verification
   * result ({@code {"clavisAuditExport":1,"verification":{"verified":true,"records":N}}}, or
   * {@code "verified":false} with the {@code "error"}), then every record exactly as the log holds
   * it (see {@code docs/audit.md}). A log that fails verification is exported all the same.
   *
   * @param out where the array goes; not closed
   * @return whether the log verified
   * @throws IOException if writing to {@code out} fails
   * @throws KeyringException if the log cannot be read
   */
  default boolean exportJsonArray(Writer out) throws IOException {
    String error = null;
    long n = 0;
    try {
      n = verify();
    } catch (KeyringException e) {
      error = e.getMessage();
    }
    // read after verifying: records appended meanwhile (by another process) are left out, so the
    // export holds exactly the records the verification speaks of
    java.io.StringWriter lines = new java.io.StringWriter();
    exportJsonLines(lines);
    AuditExport.write(out, lines.toString(), n, error);
    return error == null;
  }
}
