package dev.clavis.jdbc;

import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The keyring's row in {@code clavis_keyring} as read, and its checks. Two layouts, told apart by
 * which MAC the row verifies under (the labels differ; both need K_head):
 *
 * <pre>
 * layout 1 (schema 1, still read; rewritten as layout 2 by the next commit):
 * head_mac = HMAC-SHA256(K_head, "clavis-db/v1/head" | id | name | u64 generation
 *                                | SHA-256(protector) | SHA-256(metadata) | SHA-256(manifest))
 * metadata = IV | AES-256-GCM(K_meta, document, AAD = "clavis-db/v1/metadata" | id | u64 generation)
 * manifest = the manifest ({@link Manifest})
 *
 * layout 2 (schema 2):
 * head_mac = HMAC-SHA256(K_head, "clavis-db/v2/head" | id | name | u64 generation
 *                                | SHA-256(protector) | SHA-256(metadata) | SHA-256(manifest))
 * metadata, manifest = the lists of their chunks ({@link HeadChunks})
 * </pre>
 *
 * Telling the layout by the MAC, not by a column, keeps a keyring readable while hosts of both
 * versions run: nothing but K_head makes either MAC.
 */
record HeadRow(long generation, byte[] protector, byte[] metadataColumn, byte[] manifestColumn, byte[] headMac,
    long rowCount) {

  static final String LABEL_V1 = "clavis-db/v1/head";
  static final String LABEL_V2 = "clavis-db/v2/head";

  static byte[] macInput(String label, UUID id, String name, long generation, byte[] protector,
      byte[] metadataColumn, byte[] manifestColumn) {
    return new Bytes.Writer().label(label).uuid(id).label(name).u64(generation)
        .raw(Bytes.sha256(protector)).raw(Bytes.sha256(metadataColumn)).raw(Bytes.sha256(manifestColumn)).done();
  }

  static byte[] metadataAad(UUID id, long generation) {
    return new Bytes.Writer().label("clavis-db/v1/metadata").uuid(id).u64(generation).done();
  }

  /**
   * A verified head: its generation, the plaintext metadata, the manifest, the MAC it was read with
   * and, for layout 2, every chunk of both documents by id (empty for layout 1).
   */
  record Verified(long generation, byte[] metadata, Manifest manifest, byte[] protector, byte[] headMac,
      long readAt, Map<ByteBuffer, byte[]> chunks) {
    /** @return this head, known to hold from now (after the COMMIT that wrote it) */
    Verified readNow() {
      return new Verified(generation, metadata, manifest, protector, headMac, System.nanoTime(), chunks);
    }
  }

  /**
   * @param c where missing chunks are read (the caller's snapshot, or under the head's lock)
   * @param held the chunks of the head verified before (not fetched again)
   * @throws StoreDamagedException if the MAC, the metadata's tag, a chunk or the manifest's layout is wrong
   */
  Verified verify(DbKeys keys, HeadChunks chunks, UUID id, String name, String where, Connection c,
      Map<ByteBuffer, byte[]> held) throws SQLException {
    if (headMac != null && HeadChunks.looksLikeList(metadataColumn) && HeadChunks.looksLikeList(manifestColumn)
        && MessageDigest.isEqual(keys.headMac(macInput(LABEL_V2, id, name, generation, protector, metadataColumn,
            manifestColumn)), headMac)) {
      Map<ByteBuffer, byte[]> all = new HashMap<>();
      byte[] doc = chunks.assemble(c, HeadChunks.METADATA, metadataColumn, generation, held, all);
      byte[] man = chunks.assemble(c, HeadChunks.MANIFEST, manifestColumn, generation, held, all);
      // a new keyring's head names no chunks (an empty list needs no row to be written with it)
      Manifest m = man.length == 0 ? Manifest.empty() : manifest(man, where);
      return new Verified(generation, doc, m, protector.clone(), headMac.clone(),
          System.nanoTime(), Collections.unmodifiableMap(all));
    }
    byte[] expected = keys.headMac(macInput(LABEL_V1, id, name, generation, protector, metadataColumn,
        manifestColumn));
    if (headMac == null || !MessageDigest.isEqual(expected, headMac)) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": its head row (generation " + generation + ") fails"
          + " its MAC: the row was edited, renamed, or copied from another keyring (the database was not changed)");
    }
    byte[] doc = Bytes.open(keys.metadataKey(), metadataColumn, metadataAad(id, generation));
    if (doc == null) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": its metadata (generation " + generation + ") fails"
          + " its authentication tag (the database was not changed)");
    }
    return new Verified(generation, doc, manifest(manifestColumn, where), protector.clone(), headMac.clone(),
        System.nanoTime(), Map.of());
  }

  private Manifest manifest(byte[] bytes, String where) {
    try {
      return Manifest.decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new StoreDamagedException(Kind.DAMAGED, where + ": the manifest in its head row is damaged ("
          + e.getMessage() + ")");
    }
  }
}
