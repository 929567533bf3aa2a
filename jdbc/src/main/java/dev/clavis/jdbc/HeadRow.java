package dev.clavis.jdbc;

import dev.clavis.keyring.StoreDamagedException;
import dev.clavis.keyring.StoreDamagedException.Kind;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * The keyring's row in {@code clavis_keyring} as read, and its checks: the head MAC over the
 * keyring's id, name, generation and the digests of the protector, the sealed metadata and the
 * manifest; the metadata sealed with its generation bound.
 *
 * <pre>
 * head_mac = HMAC-SHA256(K_head, "clavis-db/v1/head" | id | name | u64 generation
 *                                | SHA-256(protector) | SHA-256(metadata) | SHA-256(manifest))
 * metadata = IV | AES-256-GCM(K_meta, document, AAD = "clavis-db/v1/metadata" | id | u64 generation)
 * </pre>
 */
record HeadRow(long generation, byte[] protector, byte[] sealedMetadata, byte[] manifest, byte[] headMac,
    long rowCount) {

  static byte[] macInput(UUID id, String name, long generation, byte[] protector, byte[] sealedMetadata,
      byte[] manifest) {
    return new Bytes.Writer().label("clavis-db/v1/head").uuid(id).label(name).u64(generation)
        .raw(Bytes.sha256(protector)).raw(Bytes.sha256(sealedMetadata)).raw(Bytes.sha256(manifest)).done();
  }

  static byte[] metadataAad(UUID id, long generation) {
    return new Bytes.Writer().label("clavis-db/v1/metadata").uuid(id).u64(generation).done();
  }

  /** A verified head: its generation, the plaintext metadata, the manifest and the MAC it was read with. */
  record Verified(long generation, byte[] metadata, Manifest manifest, byte[] protector, byte[] headMac,
      long readAt) {
    /** @return this head, known to hold from now (after the COMMIT that wrote it) */
    Verified readNow() {
      return new Verified(generation, metadata, manifest, protector, headMac, System.nanoTime());
    }
  }

  /**
   * @throws StoreDamagedException if the MAC, the metadata's tag or the manifest's layout is wrong
   */
  Verified verify(DbKeys keys, UUID id, String name, String where) {
    byte[] expected = keys.headMac(macInput(id, name, generation, protector, sealedMetadata, manifest));
    if (headMac == null || !MessageDigest.isEqual(expected, headMac)) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": its head row (generation " + generation + ") fails"
          + " its MAC: the row was edited, renamed, or copied from another keyring (the database was not changed)");
    }
    byte[] doc = Bytes.open(keys.metadataKey(), sealedMetadata, metadataAad(id, generation));
    if (doc == null) {
      throw new StoreDamagedException(Kind.TAMPERED, where + ": its metadata (generation " + generation + ") fails"
          + " its authentication tag (the database was not changed)");
    }
    Manifest m;
    try {
      m = Manifest.decode(manifest);
    } catch (IllegalArgumentException e) {
      throw new StoreDamagedException(Kind.DAMAGED, where + ": the manifest in its head row is damaged ("
          + e.getMessage() + ")");
    }
    return new Verified(generation, doc, m, protector.clone(), headMac.clone(), System.nanoTime());
  }
}
