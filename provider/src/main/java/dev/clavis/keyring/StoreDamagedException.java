package dev.clavis.keyring;

/**
 * A key store file could not be opened because of what it holds, not because of the password:
 * {@link #kind()} says which case. The file (and its audit log) was not changed.
 */
public class StoreDamagedException extends KeyringException {
  private static final long serialVersionUID = 1L;

  /** Why the store could not be opened. */
  public enum Kind {
    /** The file is not a Clavis key store (another format, or empty). */
    NOT_A_STORE,
    /** A Clavis store of a newer format than this Clavis reads. */
    UNSUPPORTED_VERSION,
    /** The file ends before its header says it should. */
    TRUNCATED,
    /** A checksum does not match: bytes were changed by accident or on purpose. */
    DAMAGED,
    /** The checksums match but the authenticated content does not: a deliberate modification or a swapped or rolled-back record. */
    TAMPERED,
    /** The header asks for KDF work beyond the configured limits (a forged header cannot make opening slow). */
    KDF_LIMITS,
    /**
     * The store and its audit log do not match: the store file is older than its log (rolled
     * back), the log is older than its store (truncated, deleted, replayed), the two belong to
     * different stores (swapped), or the store is older than what this process or its monotonic
     * anchor already saw (restored from a backup).
     */
    ROLLED_BACK
  }

  /** Which damage was found. */
  private final Kind kind;

  /**
   * @param kind the case
   * @param message says which store, what was found and what to do next
   */
  public StoreDamagedException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** @return the case */
  public Kind kind() {
    return kind;
  }
}
