package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The head's two documents (the engine's metadata and the manifest) in schema version 2: cut into
 * content-defined chunks ({@link ContentChunker}) stored as rows of {@code clavis_head_chunk}, the
 * head row holding only the list of their ids. Both documents grow with the keyring (about 1.7 MB
 * at 10,000 keys) while a commit changes a few hundred bytes of them: a commit now writes the
 * chunks it changed (a few, of about 10 KiB) and a reload reads only those, where version 1 wrote
 * and read both documents whole.
 *
 * <pre>
 * list = u8 format (2) | u32 count | (id (32) | u32 length)*
 * id   = HMAC-SHA256(K_chunk, u8 kind | chunk)          kind 1 metadata, 2 manifest
 * body = IV | AES-256-GCM(K_meta, chunk, AAD = "clavis-db/v2/chunk" | keyring id | u8 kind | id)
 * </pre>
 *
 * <p>The head MAC covers both lists, so it binds every chunk's id; a body opens only under the
 * AAD of its own id, and only the holder of the master key seals one, so a body that opens is the
 * chunk the head names. A chunk's id is a MAC of its content: equal chunks have equal ids (kept,
 * not rewritten), and an id says nothing of the content without the key. Chunks no list names any
 * more are deleted in the commit that stops naming them.
 */
final class HeadChunks {

  /** The list's format byte. */
  static final int LIST_FORMAT = 2;

  /** The kind of the engine's metadata document. */
  static final int METADATA = 1;

  /** The kind of the manifest. */
  static final int MANIFEST = 2;

  /** At most this many ids in one {@code IN (...)} list. */
  private static final int BATCH = 500;

  /** One chunk: its id (a read-only buffer, usable as a map key) and its content. */
  record Chunk(ByteBuffer id, byte[] content) {}

  /** One entry of a list: a chunk's id and length. */
  record Entry(ByteBuffer id, int length) {}

  /** The longest body a chunk row may have: its longest content, the IV and the tag. */
  static final int MAX_BODY = ContentChunker.MAX + Bytes.IV + 16;

  private final UUID keyring;
  private final SecretKeySpec metaKey;
  private final byte[] idKey;
  private final long[] gear;
  private final ContentChunker chunker;
  private final String where;
  private Mac mac;
  private final java.util.concurrent.atomic.AtomicLong fetched = new java.util.concurrent.atomic.AtomicLong();

  HeadChunks(UUID keyring, DbKeys keys, String where) {
    this.keyring = keyring;
    this.metaKey = keys.metadataKey();
    this.idKey = keys.chunkIdKey();
    this.gear = keys.chunkGear();
    this.chunker = new ContentChunker(gear);
    this.where = where;
  }

  /** Wipes the chunk-id key and the gear table (the chunker's copy too). */
  void wipe() {
    Arrays.fill(idKey, (byte) 0);
    Arrays.fill(gear, 0);
    chunker.wipe();
  }

  /** @return how many chunk rows this keyring read so far (for tests: a reload reads only what changed) */
  long fetched() {
    return fetched.get();
  }

  /** @return {@code doc} cut into chunks, in order */
  synchronized List<Chunk> split(int kind, byte[] doc) {
    if (mac == null) {
      mac = mac(); // one, kept: a key copy per commit would linger unwiped
    }
    int[] cuts = chunker.cuts(doc);
    List<Chunk> out = new ArrayList<>(cuts.length);
    int start = 0;
    for (int end : cuts) {
      byte[] content = Arrays.copyOfRange(doc, start, end);
      mac.update((byte) kind);
      out.add(new Chunk(ByteBuffer.wrap(mac.doFinal(content)).asReadOnlyBuffer(), content));
      start = end;
    }
    return out;
  }

  private Mac mac() {
    try {
      Mac m = DbKeys.SUNJCE != null ? Mac.getInstance("HmacSHA256", DbKeys.SUNJCE) : Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(idKey, "HmacSHA256")); // copies the key: nothing to wipe here
      return m;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  /** @return the list naming {@code chunks}, for the head row */
  static byte[] list(List<Chunk> chunks) {
    Bytes.Writer w = new Bytes.Writer(5 + chunks.size() * 36).u8(LIST_FORMAT).u32(chunks.size());
    for (Chunk c : chunks) {
      w.raw(bytes(c.id())).u32(c.content().length);
    }
    return w.done();
  }

  /** @return whether {@code column} has the layout of a list (not proof: the head MAC decides) */
  static boolean looksLikeList(byte[] column) {
    return column != null && column.length >= 5 && column[0] == LIST_FORMAT
        && (column.length - 5) % 36 == 0
        && ByteBuffer.wrap(column, 1, 4).getInt() == (column.length - 5) / 36;
  }

  /** @throws IllegalArgumentException if {@code list} is malformed */
  static List<Entry> entries(byte[] list) {
    if (!looksLikeList(list)) {
      throw new IllegalArgumentException("not a chunk list of format " + LIST_FORMAT);
    }
    Bytes.Reader r = new Bytes.Reader(list);
    r.raw(1);
    int n = r.u32();
    List<Entry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ByteBuffer id = ByteBuffer.wrap(r.raw(32)).asReadOnlyBuffer();
      int len = r.u32();
      if (len <= 0 || len > ContentChunker.MAX) {
        throw new IllegalArgumentException("a chunk of " + len + " bytes");
      }
      out.add(new Entry(id, len));
    }
    return out;
  }

  /**
   * Puts a document together from its list: chunks in {@code held} are taken from there, the
   * others read from {@code c} (in the caller's snapshot, or under the head's lock).
   *
   * @param held chunks already known, by id (verified before); not changed
   * @param into where every chunk of the document is added, by id
   * @throws StoreDamagedException if a chunk is missing or fails its tag
   */
  byte[] assemble(Connection c, int kind, byte[] list, long generation, Map<ByteBuffer, byte[]> held,
      Map<ByteBuffer, byte[]> into) throws SQLException {
    List<Entry> entries;
    try {
      entries = entries(list);
    } catch (IllegalArgumentException e) {
      throw new StoreDamagedException(Kind.DAMAGED, where + ": the " + name(kind) + " list of its head row"
          + " (generation " + generation + ") is damaged (" + e.getMessage() + ")");
    }
    Set<ByteBuffer> missing = new HashSet<>();
    long total = 0;
    for (Entry e : entries) {
      total += e.length();
      if (!held.containsKey(e.id())) {
        missing.add(e.id());
      }
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new StoreDamagedException(Kind.DAMAGED, where + ": its " + name(kind) + " is " + total + " bytes long");
    }
    Map<ByteBuffer, byte[]> fetched = fetch(c, kind, missing, generation);
    byte[] doc = new byte[(int) total];
    int at = 0;
    for (Entry e : entries) {
      byte[] content = held.containsKey(e.id()) ? held.get(e.id()) : fetched.get(e.id());
      if (content.length != e.length()) {
        throw new StoreDamagedException(Kind.DAMAGED, where + ": a " + name(kind) + " chunk of its head"
            + " (generation " + generation + ") is " + content.length + " bytes, its list says " + e.length());
      }
      System.arraycopy(content, 0, doc, at, content.length);
      at += content.length;
      into.put(e.id(), content);
    }
    return doc;
  }

  private Map<ByteBuffer, byte[]> fetch(Connection c, int kind, Set<ByteBuffer> ids, long generation)
      throws SQLException {
    Map<ByteBuffer, byte[]> out = new HashMap<>();
    List<ByteBuffer> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += BATCH) {
      List<ByteBuffer> part = all.subList(from, Math.min(all.size(), from + BATCH));
      // an oversized body reads as NULL (it fails its tag below): a forged row cannot make a reader allocate it
      StringBuilder sql = new StringBuilder("SELECT id, CASE WHEN length(body) <= " + MAX_BODY + " THEN body END"
          + " FROM clavis_head_chunk WHERE keyring_id = ? AND id IN (");
      for (int i = 0; i < part.size(); i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.append(')').toString())) {
        ps.setObject(1, keyring);
        for (int i = 0; i < part.size(); i++) {
          ps.setBytes(i + 2, bytes(part.get(i)));
        }
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            ByteBuffer id = ByteBuffer.wrap(r.getBytes(1)).asReadOnlyBuffer();
            byte[] content = Bytes.open(metaKey, r.getBytes(2), aad(kind, id));
            if (content == null) {
              throw new StoreDamagedException(Kind.TAMPERED, where + ": a " + name(kind) + " chunk its head"
                  + " (generation " + generation + ") names fails its authentication tag: the chunk row was edited"
                  + " or copied from another keyring (the database was not changed)");
            }
            out.put(id, content);
            fetched.incrementAndGet();
          }
        }
      }
    }
    if (out.size() != ids.size()) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": " + (ids.size() - out.size()) + " " + name(kind)
          + " chunk(s) its head (generation " + generation + ") names are missing from clavis_head_chunk: the"
          + " rows were deleted (the database was not changed)");
    }
    return out;
  }

  /** What a commit wrote of the head's documents: their two lists, and every chunk the new head names. */
  record Written(byte[] metadataList, byte[] manifestList, Map<ByteBuffer, byte[]> chunks) {}

  /**
   * Writes both documents of a new head, under the head's lock: stores the chunks the previous
   * head did not hold, and deletes every row the new head does not name. The rows are listed as
   * they are under the lock, not as this process last read them: a kept chunk whose row went
   * missing is found by this commit (not later at some host's next open), and a row no head names
   * (an aborted restore, an insert) is deleted with the ones this head drops.
   *
   * @param base the chunks of the previous head, by id (empty for a layout-1 head)
   * @param baseGeneration its generation, for the message
   * @throws StoreDamagedException if a chunk kept from the previous head is missing
   */
  Written write(Connection c, Map<ByteBuffer, byte[]> base, long baseGeneration, byte[] metadata, byte[] manifest)
      throws SQLException {
    List<Chunk> metaChunks = split(METADATA, metadata);
    List<Chunk> manifestChunks = split(MANIFEST, manifest);
    Map<ByteBuffer, byte[]> now = new HashMap<>();
    List<Chunk> newMeta = unheld(metaChunks, base, now);
    List<Chunk> newManifest = unheld(manifestChunks, base, now);
    Set<ByteBuffer> stored = storedIds(c);
    int gone = 0;
    for (ByteBuffer kept : now.keySet()) {
      if (base.containsKey(kept) && !stored.contains(kept)) {
        gone++;
      }
    }
    if (gone > 0) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": " + gone + " chunk(s) its head (generation "
          + baseGeneration + ") names are missing from clavis_head_chunk: the rows were deleted (found by a"
          + " commit; the database was not changed)");
    }
    store(c, METADATA, newMeta);
    store(c, MANIFEST, newManifest);
    List<ByteBuffer> dropped = new ArrayList<>();
    for (ByteBuffer id : stored) {
      if (!now.containsKey(id)) {
        dropped.add(id);
      }
    }
    delete(c, dropped);
    return new Written(list(metaChunks), list(manifestChunks), Collections.unmodifiableMap(now));
  }

  /** @return the chunks of {@code split} that {@code base} does not hold; every one is added to {@code now} */
  private static List<Chunk> unheld(List<Chunk> split, Map<ByteBuffer, byte[]> base, Map<ByteBuffer, byte[]> now) {
    List<Chunk> added = new ArrayList<>();
    for (Chunk ch : split) {
      if (now.put(ch.id(), ch.content()) == null && !base.containsKey(ch.id())) {
        added.add(ch);
      }
    }
    return added;
  }

  /**
   * @return the ids of every chunk row of this keyring (under the head's lock: what a commit
   *     checks its kept chunks against, and deletes the rest of)
   */
  Set<ByteBuffer> storedIds(Connection c) throws SQLException {
    Set<ByteBuffer> out = new HashSet<>();
    // 32 bytes a row (about 70 KB at 100,000 keys); not bounded by a LIMIT, which could leave a
    // kept chunk unlisted behind planted rows and report it missing. A row with an id of another
    // length is no chunk of ours: never named, never read, left alone.
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM clavis_head_chunk WHERE keyring_id = ?"
        + " AND length(id) = 32")) {
      ps.setObject(1, keyring);
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.add(ByteBuffer.wrap(r.getBytes(1)).asReadOnlyBuffer());
        }
      }
    }
    return out;
  }

  /** Inserts {@code chunks} (a row that exists with the same id gets this body: its content is the same). */
  void store(Connection c, int kind, Collection<Chunk> chunks) throws SQLException {
    if (chunks.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO clavis_head_chunk (keyring_id, id, body)"
        + " VALUES (?, ?, ?) ON CONFLICT (keyring_id, id) DO UPDATE SET body = EXCLUDED.body")) {
      for (Chunk ch : chunks) {
        ps.setObject(1, keyring);
        ps.setBytes(2, bytes(ch.id()));
        ps.setBytes(3, Bytes.seal(metaKey, ch.content(), aad(kind, ch.id())));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Deletes the chunks of {@code ids}. */
  void delete(Connection c, Collection<ByteBuffer> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM clavis_head_chunk WHERE keyring_id = ? AND id = ?")) {
      for (ByteBuffer id : ids) {
        ps.setObject(1, keyring);
        ps.setBytes(2, bytes(id));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private byte[] aad(int kind, ByteBuffer id) {
    return new Bytes.Writer().label("clavis-db/v2/chunk").uuid(keyring).u8(kind).raw(bytes(id)).done();
  }

  private static String name(int kind) {
    return kind == METADATA ? "metadata" : "manifest";
  }

  private static byte[] bytes(ByteBuffer id) {
    byte[] b = new byte[id.remaining()];
    id.duplicate().get(b);
    return b;
  }
}
