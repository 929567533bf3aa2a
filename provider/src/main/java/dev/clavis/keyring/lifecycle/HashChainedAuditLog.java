package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.AuditEvent;
import dev.clavis.keyring.AuditLog;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.AuditRecords;
import dev.clavis.keyring.spi.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit log: one JSON object a line, hash-chained and MAC'ed.
 *
 * <pre>
 * {"seq":7,"v":2,"gen":5,"time":"2026-11-22T07:00:00Z","actor":"alice","action":"rotate","key":"payments#2","details":{...},"prev":"&lt;h6&gt;","mac":"&lt;m7&gt;"}
 * body_i = the line without its ,"mac":"..." member
 * h_i    = SHA-256(body_i)            (body_i holds h_{i-1} as "prev"; h_0 = 32 zero bytes)
 * m_i    = HMAC-SHA256(K_audit, body_i)
 * </pre>
 *
 * Format 2 (this writer) adds {@code v} and {@code actor}; format-1 records (without them) keep
 * verifying, since the chain is over each record's bytes as written. The format is documented for
 * independent verifiers in {@code docs/audit.md}.
 *
 * <p>An edit breaks m_i; a deletion or reordering breaks the sequence numbers and the chain; a cut
 * tail is caught against the audit head (last sequence number and hash) that the engine keeps in
 * the store's authenticated metadata. The store and the log are checked against each other at
 * every open, reload and append ({@link RollbackGuard}): appends chain from the head the store
 * recorded, so a wiped or cut log cannot start over, and a torn last line is cut off and recorded
 * ({@code audit-repair}). Never holds key material: details are states, reasons, counts and times.
 *
 * <p>Why this class is over 400 lines: appending, verifying, repairing a torn tail and the
 * cross-check against the store's audit head all compute the same line body, hash and MAC; keeping
 * them in one class keeps one definition of the chain, so a writer and a verifier cannot drift
 * apart.
 */
final class HashChainedAuditLog implements AuditLog {

  /** The last record of the chain: its sequence number and hash; and the store's generation. */
  record Head(long seq, byte[] hash, long generation) {
    Head(long seq, byte[] hash) {
      this(seq, hash, 0);
    }
  }

  private static final HexFormat HEX = HexFormat.of();
  private static final String MAC_MEMBER = ",\"mac\":\"";

  private final Path file; // null: kept by the backend (records) or in memory (a keyring loaded from a stream)
  private final AuditRecords records; // null unless the backend keeps the records (a database table)
  private final byte[] macKey;
  private final Supplier<Head> expectedHead;
  private final String storeName;
  private final List<String> memory = new ArrayList<>();

  /**
   * @param file the log file, or null to keep it in memory
   * @param expectedHead the head (and generation) of the store's latest committed state; may
   *     itself check the store against this log
   * @param storeName the store's description, for messages
   */
  HashChainedAuditLog(Path file, byte[] macKey, Supplier<Head> expectedHead, String storeName) {
    this(file, null, macKey, expectedHead, storeName);
  }

  /**
   * A log whose records the backend stores (a database table, written in the commit's own
   * transaction): the same chain and checks as a file, without torn or uncommitted tails.
   *
   * @param records where the backend keeps the lines
   * @param expectedHead as for a file
   * @param storeName the store's description, for messages
   */
  HashChainedAuditLog(AuditRecords records, byte[] macKey, Supplier<Head> expectedHead, String storeName) {
    this(null, java.util.Objects.requireNonNull(records, "records"), macKey, expectedHead, storeName);
  }

  private HashChainedAuditLog(Path file, AuditRecords records, byte[] macKey, Supplier<Head> expectedHead,
      String storeName) {
    this.file = file;
    this.records = records;
    this.storeName = storeName;
    this.macKey = macKey.clone();
    this.expectedHead = expectedHead;
  }

  /**
   * The lock writers hold before this log's monitor (the engine's write lock): {@link #verify()}
   * of a file takes it first, so reading the expected head inside cannot invert the order.
   */
  private volatile Object writers = this;

  /** @param lock the lock a writer holds before it appends here (the engine's write lock) */
  void writersLock(Object lock) {
    this.writers = java.util.Objects.requireNonNull(lock, "lock");
  }

  /** The record format this class writes: 2 adds {@code v} and {@code actor} to format 1's members. */
  static final int FORMAT = 2;

  /** A record before it is chained; {@code actor} names who acted ({@link dev.clavis.keyring.AuditActor}). */
  record Pending(Instant time, String actor, String action, String key, Map<String, String> details) {
    /** A record the keyring writes on its own (a repair): the process's user acted. */
    Pending(Instant time, String action, String key, Map<String, String> details) {
      this(time, dev.clavis.keyring.AuditActor.processUser(), action, key, details);
    }
  }

  /**
   * Appends records after the last record of the log and syncs the file. Called under the store's
   * exclusive lock.
   *
   * @param storeHead the head the store's latest committed state recorded, and its generation
   * @return the new head
   * @throws dev.clavis.keyring.StoreDamagedException if the log and the store do not match
   */
  synchronized Head append(List<Pending> events, Head storeHead, long generation) {
    return append(events, storeHead, generation, true);
  }

  /**
   * Appends records after the head of the log, which must match the store's recorded head (see
   * {@link RollbackGuard}): the chain continues from what the store recorded, never from whatever
   * the file happens to end with. Records of a transaction that did not commit are marked so
   * ({@code audit-uncommitted}) and a torn append is cut off ({@code audit-repair}) before the new
   * records. With {@code sync} false the caller must call {@link #sync()} before the commit they
   * belong to becomes visible.
   *
   * @throws dev.clavis.keyring.StoreDamagedException if the log and the store do not match
   */
  synchronized Head append(List<Pending> events, Head storeHead, long generation, boolean sync) {
    if (events.isEmpty()) {
      return storeHead;
    }
    Head head;
    List<Pending> all = events;
    if (file == null && records == null) {
      // a keyring loaded from a stream: these records live only in this process, so the store
      // keeps the head of the log file it belongs to (or none), which a later open checks
      appendAfter(events, tail(), generation, sync);
      return storeHead;
    } else {
      RollbackGuard.Verdict v = crossCheck(storeHead);
      head = v.logHead();
      if (v.needsRepair()) {
        Instant t = events.get(0).time();
        all = new ArrayList<>();
        if (v.tornBytes() > 0) {
          LogTail.dropTorn(file, v.completeEnd());
          all.add(new Pending(t, "audit-repair", "-", Map.of("droppedBytes", Long.toString(v.tornBytes()),
              "after", Long.toString(head.seq()), "cause", "a torn append (crash while writing)")));
        }
        if (v.uncommittedFrom() > 0) {
          all.add(new Pending(t, "audit-uncommitted", "-", Map.of("records", v.uncommittedFrom() + ".." + head.seq(),
              "generation", Long.toString(v.uncommittedGen()),
              "cause", "logged, but the store commit did not happen (crash or failed write)")));
        }
        all.addAll(events);
      }
    }
    return appendAfter(all, head, generation, sync);
  }

  private Head appendAfter(List<Pending> events, Head head, long generation, boolean sync) {
    long seq = head.seq();
    byte[] prev = head.hash();
    StringBuilder all = new StringBuilder();
    List<String> lines = new ArrayList<>();
    for (Pending p : events) {
      seq++;
      String body = body(seq, generation, p.time(), p.actor(), p.action(), p.key(), p.details(), prev);
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      prev = sha256(b);
      String line = body.substring(0, body.length() - 1) + MAC_MEMBER + HEX.formatHex(hmac(b)) + "\"}";
      lines.add(line);
      all.append(line).append('\n');
    }
    if (records != null) {
      records.append(head.seq() + 1, lines); // in the backend's transaction: committed with the store or not at all
    } else if (file == null) {
      memory.addAll(lines);
    } else {
      // created owner-only (0600): the log names keys, states and reasons; never through a link,
      // which whoever may write the directory could point anywhere (O_CREAT would create its target)
      if (Files.isSymbolicLink(file)) {
        throw new KeyringException("the audit log " + file + " is a symbolic link; Clavis writes it only as a"
            + " regular file (someone who may write its directory may have replaced it): nothing was written");
      }
      try (FileChannel ch = OwnerOnlyFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
        ByteBuffer buf = ByteBuffer.wrap(all.toString().getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (sync) {
          ch.force(false);
        }
      } catch (IOException e) {
        throw new KeyringException("cannot append to the audit log " + file + ": " + e.getMessage(), e);
      }
    }
    return new Head(seq, prev);
  }

  /**
   * Checks that this log and the store state {@code storeHead} belong together (at open, reload
   * and before every append). A log kept in memory (a keyring loaded from a stream) has no
   * history to check.
   *
   * @throws dev.clavis.keyring.StoreDamagedException naming the rollback, truncation or swap
   */
  synchronized RollbackGuard.Verdict crossCheck(Head storeHead) {
    if (file == null && records == null) {
      return new RollbackGuard.Verdict(tail(), 0, 0, 0, 0);
    }
    LogTail t = records != null ? new LogTail(records.read(storeHead.seq()), 0, 0) : LogTail.read(file, storeHead.seq());
    RollbackGuard.Verdict v = RollbackGuard.check(storeName, where(), storeHead.generation(), storeHead.seq(),
        storeHead.hash(), t, this::authenticate);
    if (records != null && v.uncommittedFrom() > 0) {
      // a backend that keeps the records commits them with its head: records beyond the head are
      // never a crash's, they are a head (and rows) put back behind their log
      throw new dev.clavis.keyring.StoreDamagedException(dev.clavis.keyring.StoreDamagedException.Kind.ROLLED_BACK,
          storeName + " is older than its audit records: records from " + v.uncommittedFrom() + " (generation "
          + v.uncommittedGen() + ") were committed with a newer head, which was put back (a restore of the head or"
          + " version rows); nothing was changed");
    }
    return v;
  }

  /** @return the record a line holds if its MAC and format are right, else null */
  RollbackGuard.Rec authenticate(String line) {
    int m = line.lastIndexOf(MAC_MEMBER);
    if (m < 0 || !line.endsWith("\"}") || m + MAC_MEMBER.length() > line.length() - 2) {
      return null;
    }
    String body = line.substring(0, m) + "}";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    try {
      byte[] mac = HEX.parseHex(line.substring(m + MAC_MEMBER.length(), line.length() - 2));
      if (!MessageDigest.isEqual(mac, hmac(b))) {
        return null;
      }
      Map<String, Object> o = Json.parseObject(body);
      Object g = o.get("gen");
      return new RollbackGuard.Rec(((Number) o.get("seq")).longValue(), g instanceof Number ? ((Number) g).longValue() : 0,
          (String) o.get("prev"), sha256(b));
    } catch (RuntimeException e) { // the file is not trusted
      return null;
    }
  }

  /** @return the head as found at the end of the log (not verified); reads only the last line */
  private Head tail() {
    String last;
    if (file == null) {
      last = memory.isEmpty() ? null : memory.get(memory.size() - 1);
    } else {
      long size;
      try {
        size = Files.exists(file) ? Files.size(file) : 0;
      } catch (IOException e) {
        throw new KeyringException("cannot read the audit log " + file + ": " + e.getMessage(), e);
      }
      last = lastLine(size);
    }
    if (last == null) {
      return new Head(0, new byte[32]);
    }
    int m = last.lastIndexOf(MAC_MEMBER);
    if (m < 0) {
      throw new KeyringException("the audit log ends with a damaged record; run 'clavis audit --verify'");
    }
    String body = last.substring(0, m) + "}";
    try {
      Map<String, Object> o = Json.parseObject(body);
      return new Head(((Number) o.get("seq")).longValue(), sha256(body.getBytes(StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new KeyringException("the audit log ends with a damaged record; run 'clavis audit --verify'");
    }
  }

  /** Reads the file backwards from its end to the start of its last non-empty line. */
  private String lastLine(long size) {
    if (size == 0) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      int chunk = 4096;
      byte[] acc = new byte[0];
      long pos = size;
      while (pos > 0) {
        int n = (int) Math.min(chunk, pos);
        pos -= n;
        ByteBuffer b = ByteBuffer.allocate(n);
        ch.read(b, pos);
        byte[] joined = new byte[n + acc.length];
        System.arraycopy(b.array(), 0, joined, 0, n);
        System.arraycopy(acc, 0, joined, n, acc.length);
        acc = joined;
        int end = acc.length;
        while (end > 0 && acc[end - 1] == '\n') {
          end--;
        }
        for (int i = end - 1; i >= 0; i--) {
          if (acc[i] == '\n') {
            return new String(acc, i + 1, end - i - 1, StandardCharsets.UTF_8);
          }
        }
        if (pos == 0) {
          return end == 0 ? null : new String(acc, 0, end, StandardCharsets.UTF_8);
        }
        chunk = Math.min(chunk * 2, 1 << 20);
      }
      return null;
    } catch (IOException e) {
      throw new KeyringException("cannot read the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @return the complete records (lines ending in a newline); bytes after the last newline are a
   *     torn append, never a record
   */
  private List<String> lines() {
    if (records != null) {
      return new ArrayList<>(records.read(1));
    }
    if (file == null) {
      return new ArrayList<>(memory);
    }
    if (!Files.exists(file)) {
      return new ArrayList<>();
    }
    try {
      byte[] all = Files.readAllBytes(file);
      int end = all.length;
      while (end > 0 && all[end - 1] != '\n') {
        end--;
      }
      List<String> l = new ArrayList<>(List.of(new String(all, 0, end, StandardCharsets.UTF_8).split("\n")));
      l.removeIf(String::isEmpty);
      return l;
    } catch (IOException e) {
      throw new KeyringException("cannot read the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /** @return the bytes after the last newline: a torn append (0 if none) */
  private long tornBytes() {
    if (file == null) {
      return 0;
    }
    LogTail t = LogTail.read(file, Long.MAX_VALUE);
    return t.tornBytes();
  }

  /** @return the log's file or the backend's table, for messages */
  private String where() {
    return records != null ? records.describe() : String.valueOf(file);
  }

  /** Forces appended records to stable storage. */
  void sync() {
    if (file == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ch.force(false);
    } catch (IOException e) {
      throw new KeyringException("cannot sync the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The records for reading them out, without this log's monitor where none is needed: a backend's
   * records are read under its own lock, which a writer holds before this monitor (so taking the
   * monitor first would deadlock with a write), and a file is read whole, a torn tail dropped.
   */
  private List<String> linesToRead() {
    if (records != null || file != null) {
      return lines();
    }
    synchronized (this) {
      return lines();
    }
  }

  @Override
  public List<AuditEvent> events() {
    List<AuditEvent> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : linesToRead()) {
      lineNo++;
      int m = line.lastIndexOf(MAC_MEMBER);
      try {
        Map<String, Object> o = Json.parseObject(m < 0 ? line : line.substring(0, m) + "}");
        out.add(toEvent(o));
      } catch (RuntimeException e) { // the file is not trusted: a damaged line is not a crash
        throw new KeyringException("audit log line " + lineNo + " is damaged (edited or cut);"
            + " run 'clavis audit --verify'");
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static AuditEvent toEvent(Map<String, Object> o) {
    Map<String, String> d = new LinkedHashMap<>();
    Object details = o.get("details");
    if (details instanceof Map) {
      ((Map<String, Object>) details).forEach((k, v) -> d.put(k, String.valueOf(v)));
    }
    Object actor = o.get("actor"); // absent from format-1 records
    return new AuditEvent(((Number) o.get("seq")).longValue(), Instant.parse((String) o.get("time")),
        (String) o.get("action"), (String) o.get("key"), d, actor instanceof String ? (String) actor : "");
  }

  @Override
  public long verify() {
    // under the lock writers take first (the engine's), never this monitor first: the head is read
    // under it, and no commit of this process lands between reading the records and the head
    synchronized (writers) {
      if (records != null) {
        // the records and the head they are checked against in one committed state: a commit of
        // another host landing between the two reads is not a truncation
        return records.consistently(this::verifyLines);
      }
      synchronized (this) {
        return verifyLines();
      }
    }
  }

  /**
   * Runs reads of the records and of the store's head in one committed state (see {@link
   * AuditRecords#consistently}); a log without a backend's records just runs them.
   */
  <T> T consistently(java.util.function.Supplier<T> reads) {
    return records != null ? records.consistently(reads) : reads.get();
  }

  private long verifyLines() {
    List<String> lines = lines();
    long torn = tornBytes();
    byte[] prev = new byte[32];
    long expected = 1;
    long maxGen = 0;
    long maxGenSeq = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int lineNo = i + 1;
      int m = line.lastIndexOf(MAC_MEMBER);
      // the MAC's closing quote must not be the member's own opening quote (substring would throw)
      if (m < 0 || !line.endsWith("\"}") || m + MAC_MEMBER.length() > line.length() - 2) {
        throw new KeyringException("audit log line " + lineNo + " is damaged: it has no MAC (edited or cut)");
      }
      String body = line.substring(0, m) + "}";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      byte[] mac;
      try {
        mac = HEX.parseHex(line.substring(m + MAC_MEMBER.length(), line.length() - 2));
      } catch (IllegalArgumentException e) {
        throw new KeyringException("audit log line " + lineNo + " is damaged: its MAC is not hexadecimal (edited)");
      }
      if (!MessageDigest.isEqual(mac, hmac(b))) {
        throw new KeyringException("audit log line " + lineNo + " (record " + expected + " expected) fails its MAC:"
            + " the record was edited or forged");
      }
      Map<String, Object> o = Json.parseObject(body);
      long seq = ((Number) o.get("seq")).longValue();
      if (seq > expected) {
        throw new KeyringException("audit log record " + expected + (seq - expected > 1 ? " to " + (seq - 1) : "")
            + " missing before line " + lineNo + " (record " + seq + "): records were deleted");
      }
      if (seq < expected) {
        throw new KeyringException("audit log line " + lineNo + " holds record " + seq + " where record " + expected
            + " belongs: records were reordered or duplicated");
      }
      if (!HEX.formatHex(prev).equals(o.get("prev"))) {
        throw new KeyringException("audit log record " + seq + " (line " + lineNo + ") does not chain to record "
            + (seq - 1) + ": records were reordered, deleted or replaced");
      }
      Object g = o.get("gen");
      if (g instanceof Number && ((Number) g).longValue() > maxGen) {
        maxGen = ((Number) g).longValue();
        maxGenSeq = seq;
      }
      prev = sha256(b);
      expected++;
    }
    Head head = expectedHead.get();
    long count = expected - 1;
    // a record logged for generation G+1 may lack its commit (a crash between log and rename);
    // anything newer means the store file is older than its log
    if (maxGen > head.generation() + 1) {
      throw new KeyringException("the key store is at generation " + head.generation() + " but audit log record "
          + maxGenSeq + " belongs to generation " + maxGen + ": the store file was rolled back to an older copy");
    }
    if (count < head.seq() && torn > 0) {
      throw new KeyringException("the audit log " + file + " is truncated: its last record does not end"
          + " with a newline (cut or torn write) and the store recorded record " + head.seq() + "; restore it from"
          + " a backup");
    }
    if (count < head.seq()) {
      throw new KeyringException("the audit log was truncated: it ends at record " + count + " but the store"
          + " recorded record " + head.seq() + "; records " + (count + 1) + " to " + head.seq() + " are missing");
    }
    if (head.seq() > 0 && count >= head.seq()) {
      // the record the store remembers as the head must be the one in the log
      byte[] h = hashOf(lines, head.seq());
      if (!MessageDigest.isEqual(h, head.hash())) {
        throw new KeyringException("audit log record " + head.seq() + " is not the one the store recorded:"
            + " the log was replaced or rolled back");
      }
    }
    if (file != null || records != null) {
      // beyond the recorded head: at most one transaction that did not commit (RollbackGuard)
      RollbackGuard.check(storeName, where(), head.generation(), head.seq(), head.hash(),
          new LogTail(lines.subList((int) Math.max(0, head.seq() - 1), lines.size()), 0, torn), this::authenticate);
    }
    return count;
  }

  private static byte[] hashOf(List<String> lines, long seq) {
    String line = lines.get((int) seq - 1);
    int m = line.lastIndexOf(MAC_MEMBER);
    return sha256((line.substring(0, m) + "}").getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void exportJsonLines(Writer out) throws IOException {
    for (String line : linesToRead()) {
      out.write(line);
      out.write('\n');
    }
    out.flush();
  }

  /** Format 2 (docs/audit.md): members in this order; format 1 lacked {@code v} and {@code actor}. */
  private static String body(long seq, long generation, Instant time, String actor, String action, String key,
      Map<String, String> details, byte[] prev) {
    StringBuilder sb = new StringBuilder(180);
    sb.append("{\"seq\":").append(seq).append(",\"v\":").append(FORMAT).append(",\"gen\":").append(generation)
        .append(",\"time\":");
    Json.quote(sb, time.toString());
    sb.append(",\"actor\":");
    Json.quote(sb, actor);
    sb.append(",\"action\":");
    Json.quote(sb, action);
    sb.append(",\"key\":");
    Json.quote(sb, key);
    sb.append(",\"details\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : details.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      Json.quote(sb, e.getKey());
      sb.append(':');
      Json.quote(sb, e.getValue());
    }
    sb.append("},\"prev\":\"").append(HEX.formatHex(prev)).append("\"}");
    return sb.toString();
  }

  private byte[] hmac(byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256", "SunJCE");
      mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("SHA-256 is unavailable", e);
    }
  }

  void wipe() {
    Arrays.fill(macKey, (byte) 0);
  }
}
