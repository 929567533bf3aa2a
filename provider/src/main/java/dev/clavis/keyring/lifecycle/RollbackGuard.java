package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The rule that binds a store to its audit log, checked at every open, every reload and every
 * write. The store's authenticated metadata records the log's head (record count {@code H} and
 * the chain hash of record {@code H}) at generation {@code G}; every log record carries the
 * generation its transaction was to commit.
 *
 * <ul>
 *   <li>The log is never behind: it holds at least {@code H} records, and record {@code H} has
 *       the recorded hash (and a valid MAC under this store's key).
 *   <li>The log may be ahead only by the records of <i>one</i> transaction that did not commit:
 *       the engine syncs its records before the store file is published, so a crash (or a failed
 *       rename) between the two leaves them. They are chained to record {@code H}, all carry one
 *       generation, and it is at most {@code G + 1}. At the next write they are kept and marked
 *       not committed by an {@code audit-uncommitted} record.
 *   <li>Bytes after the last newline are a torn append (never a whole record) and are dropped at
 *       the next write, recorded by an {@code audit-repair} record; a damaged record inside the
 *       recorded chain stays an error ({@link HashChainedAuditLog#verify()}).
 * </ul>
 *
 * Anything else means the store file is older than its log (rolled back), the log is older than
 * its store (truncated, deleted, replayed), or the two do not belong together (swapped): a
 * {@link StoreDamagedException} of kind {@link Kind#ROLLED_BACK} that says which. The files are
 * left as they were. A store rolled back by exactly its last write before any later write looks
 * the same as that crash; the optional {@link MonotonicAnchor} tells the two apart.
 */
final class RollbackGuard {

  private static final HexFormat HEX = HexFormat.of();

  /** An authenticated record: its sequence number, generation, previous hash (hex) and hash. */
  record Rec(long seq, long gen, String prev, byte[] hash) {}

  /**
   * What the log holds beyond the store's head.
   *
   * @param logHead the last complete record of the log (where the next append chains)
   * @param uncommittedFrom the first record of a transaction that did not commit, 0 if none
   * @param uncommittedGen the generation those records were written for
   * @param completeEnd the offset after the last complete record
   * @param tornBytes bytes after it (a torn append), 0 if none
   */
  record Verdict(HashChainedAuditLog.Head logHead, long uncommittedFrom, long uncommittedGen, long completeEnd,
      long tornBytes) {
    boolean needsRepair() {
      return uncommittedFrom > 0 || tornBytes > 0;
    }
  }

  private RollbackGuard() {}

  /**
   * @param store the store's description for messages
   * @param log the log's file name for messages
   * @param generation the store's generation {@code G}
   * @param headSeq the head {@code H} the store recorded
   * @param headHash the chain hash of record {@code H} the store recorded
   * @param tail the end of the log, from record {@code H} on
   * @param authenticate parses a line and checks its MAC; null if the MAC or the format is wrong
   * @throws StoreDamagedException naming the rollback, truncation or swap
   */
  static Verdict check(String store, String log, long generation, long headSeq, byte[] headHash, LogTail tail,
      Function<String, Rec> authenticate) {
    List<String> lines = tail.lines();
    long n = lines.isEmpty() ? 0 : LogTail.seqOf(lines.get(lines.size() - 1));
    if (n < headSeq) {
      throw new StoreDamagedException(Kind.ROLLED_BACK, "the audit log " + log + " is older than its key store "
          + store + ": store generation " + generation + " records audit head " + headSeq + " but the log has "
          + Math.max(n, 0) + " records, so the head record " + headSeq + " is missing — the log was truncated, deleted"
          + " or replaced by an older copy, or the store"
          + " belongs to another log; restore the log that belongs to this store (the files were not changed)");
    }
    int i = 0;
    byte[] prev = new byte[32];
    if (headSeq > 0) {
      while (i < lines.size() && LogTail.seqOf(lines.get(i)) < headSeq) {
        i++;
      }
      Rec h = i < lines.size() ? authenticate.apply(lines.get(i)) : null;
      if (h == null || h.seq() != headSeq) {
        throw new StoreDamagedException(Kind.ROLLED_BACK, "the audit log " + log + " does not belong to the key"
            + " store " + store + ": its record " + headSeq + " is missing or fails its MAC — the log was swapped with"
            + " another store's, edited or forged (the files were not changed)");
      }
      if (!MessageDigest.isEqual(h.hash(), headHash)) {
        throw new StoreDamagedException(Kind.ROLLED_BACK, "the audit log " + log + " does not belong to the key"
            + " store " + store + ": its record " + headSeq + " is not the one store generation " + generation
            + " recorded — the log was swapped with another store's or replaced (the files were not changed)");
      }
      prev = h.hash();
      i++;
    } else {
      i = 0;
    }
    long first = 0;
    long gen = -1;
    long expected = headSeq + 1;
    for (; i < lines.size(); i++) {
      Rec r = authenticate.apply(lines.get(i));
      if (r == null || r.seq() != expected || !HEX.formatHex(prev).equals(r.prev())) {
        throw new StoreDamagedException(Kind.ROLLED_BACK, "the audit log " + log + " has a damaged record " + expected
            + " after the head " + headSeq + " that the key store " + store + " recorded (edited, forged or from another"
            + " store's log); run 'clavis audit --verify' (the files were not changed)");
      }
      if (first == 0) {
        first = r.seq();
        gen = r.gen();
      }
      if (r.gen() != gen || r.gen() > generation + 1) {
        throw new StoreDamagedException(Kind.ROLLED_BACK, "the key store " + store + " is older than its audit log "
            + log + ": store generation " + generation + " records audit head " + headSeq + " but the log has " + n
            + " records (record " + r.seq() + " was written for generation " + r.gen() + ") — the store file was"
            + " rolled back or the log belongs to another store (the files were not changed)");
      }
      prev = r.hash();
      expected++;
    }
    return new Verdict(new HashChainedAuditLog.Head(n, prev), first, gen, tail.completeEnd(), tail.tornBytes());
  }
}
