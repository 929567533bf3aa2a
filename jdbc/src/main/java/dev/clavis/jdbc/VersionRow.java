package dev.clavis.jdbc;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import java.util.UUID;

/**
 * One row of {@code clavis_key_version}: a key version's state, algorithm, the generation that
 * last wrote it, its wrapped material ({@code null} once destroyed: a tombstone) and its MAC.
 *
 * <pre>
 * row_mac = HMAC-SHA256(K_row, "clavis-db/v1/row" | keyring id | name | u32 version | state
 *                              | algorithm | u8 exportable | u64 generation | wrapped (or absent))
 * wrapped = IV | AES-256-GCM(K_mat, raw, AAD = "clavis-db/v1/material" | keyring id | name
 *                              | u32 version | u32 algorithm code | u8 exportable)
 * </pre>
 *
 * So a row cannot be moved to another name, version or keyring, nor its state or material edited,
 * without its MAC failing; the head's manifest ({@link Manifest}) records each row's MAC, so an
 * older copy of a row (a destroyed version brought back) does not pass either.
 */
record VersionRow(String name, int version, String state, String algorithm, boolean exportable, long generation,
    byte[] wrapped, byte[] rowMac) {

  KeyRef ref() {
    return KeyRef.of(name, version);
  }

  /** @return the bytes the row MAC covers, for the given values */
  static byte[] macInput(UUID keyring, String name, int version, String state, String algorithm, boolean exportable,
      long generation, byte[] wrapped) {
    return new Bytes.Writer().label("clavis-db/v1/row").uuid(keyring).label(name).u32(version).label(state)
        .label(algorithm).u8(exportable ? 1 : 0).u64(generation).bytes(wrapped).done();
  }

  /** @return a row with its MAC computed under {@code keys} */
  static VersionRow sealed(DbKeys keys, UUID keyring, String name, int version, String state, String algorithm,
      boolean exportable, long generation, byte[] wrapped) {
    byte[] mac = keys.rowMac(macInput(keyring, name, version, state, algorithm, exportable, generation, wrapped));
    return new VersionRow(name, version, state, algorithm, exportable, generation, wrapped, mac);
  }

  /** @return whether this row's MAC is right for its own columns */
  boolean macValid(DbKeys keys, UUID keyring) {
    return macValidWith(keys, keyring, state, wrapped);
  }

  /** @return whether this row's MAC would be right with another state or other wrapped material */
  boolean macValidWith(DbKeys keys, UUID keyring, String otherState, byte[] otherWrapped) {
    byte[] expected = keys.rowMac(macInput(keyring, name, version, otherState, algorithm, exportable, generation,
        otherWrapped));
    return rowMac != null && java.security.MessageDigest.isEqual(expected, rowMac);
  }

  static byte[] materialAad(UUID keyring, String name, int version, KeyAlgorithm algorithm, boolean exportable) {
    return new Bytes.Writer().label("clavis-db/v1/material").uuid(keyring).label(name).u32(version)
        .u32(algorithm.code()).u8(exportable ? 1 : 0).done();
  }

  /** @return the manifest's digest of this row: SHA-256 of its MAC */
  byte[] digest() {
    return digestOf(rowMac);
  }

  /** @return the manifest's digest of a row with this MAC (null: none) */
  static byte[] digestOf(byte[] rowMac) {
    return Bytes.sha256(rowMac == null ? new byte[0] : rowMac);
  }
}
