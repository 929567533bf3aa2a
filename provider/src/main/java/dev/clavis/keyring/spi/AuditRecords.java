package dev.clavis.keyring.spi;

import java.util.List;

/**
 * The storage of an audit log kept by the backend itself, in place of the log file beside a file
 * store: the PostgreSQL backend keeps each record as a row of an append-only table, written in the
 * same database transaction as the commit it records. The chain, the MACs and the checks stay the
 * engine's ({@code HashChainedAuditLog}); this only stores and returns the lines as written.
 */
public interface AuditRecords {

  /**
   * Stages records into the transaction running on this thread ({@link KeyBackend#transact}), so
   * they commit or roll back with it: no torn and no uncommitted record can exist.
   *
   * @param firstSeq the sequence number of the first line; the others follow it one by one
   * @param lines the records, each one JSON line without its newline
   * @throws IllegalStateException if no transaction of this backend runs on this thread
   * @throws dev.clavis.keyring.KeyringException if the records cannot be stored (the transaction fails)
   */
  void append(long firstSeq, List<String> lines);

  /**
   * The committed records (and, inside a transaction on this thread, the ones it staged).
   *
   * @param fromSeq the lowest sequence number wanted (1 or less: all)
   * @return the records numbered {@code fromSeq} and up, oldest first
   * @throws dev.clavis.keyring.KeyringException if they cannot be read
   */
  List<String> read(long fromSeq);

  /** @return where the records live, for messages (no secrets) */
  String describe();

  /**
   * Runs {@code reads} so that every read of these records and of the backend's head inside it
   * ({@link KeyBackend#read()}, {@link #read(long)}) sees one committed state: a commit landing
   * between two of them (another host's) cannot make the records look truncated or ahead of the
   * head. Nested calls, and calls inside a transaction of the backend, run in the outer one. The
   * default (a backend whose reads are consistent on their own) just runs them.
   *
   * @param reads the reads; may be run more than once if the backend's view has to start again
   * @return what {@code reads} returned
   * @throws dev.clavis.keyring.KeyringException as the reads do
   */
  default <T> T consistently(java.util.function.Supplier<T> reads) {
    return reads.get();
  }
}
