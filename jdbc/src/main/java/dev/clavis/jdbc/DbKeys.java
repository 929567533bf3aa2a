package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys a database keyring derives from its master key with HMAC-SHA256 (labels
 * {@code clavis-db/v1/...}): K_meta (the metadata document), K_mat (wrapped material), K_row (each
 * version row's MAC), K_head (the head row's MAC) and K_audit (the audit chain); from schema
 * version 2 also K_chunk (the ids of the head's chunks, {@code clavis-db/v2/chunk-id}) and the
 * chunker's gear table ({@code clavis-db/v2/chunk-gear}). Holds the master key until {@link #wipe()}.
 */
final class DbKeys {

  static final Provider SUNJCE = Security.getProvider("SunJCE");

  private final byte[] master;
  private final SecretKeySpec metaKey;
  private final SecretKeySpec materialKey;
  private final byte[] rowKey;
  private final byte[] headKey;
  private final byte[] chunkKey;

  /** @param master the 32-byte master key; kept (not copied), wiped by {@link #wipe()} */
  DbKeys(byte[] master) {
    this.master = master;
    this.metaKey = aes(derive(master, "clavis-db/v1/metadata"));
    this.materialKey = aes(derive(master, "clavis-db/v1/material"));
    this.rowKey = derive(master, "clavis-db/v1/row-mac");
    this.headKey = derive(master, "clavis-db/v1/head-mac");
    this.chunkKey = derive(master, "clavis-db/v2/chunk-id");
  }

  private static SecretKeySpec aes(byte[] raw) {
    try {
      return new SecretKeySpec(raw, "AES");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  static byte[] derive(byte[] key, String label) {
    return hmac(key, label.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac m = SUNJCE != null ? Mac.getInstance("HmacSHA256", SUNJCE) : Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  SecretKeySpec metadataKey() {
    return metaKey;
  }

  SecretKeySpec materialKey() {
    return materialKey;
  }

  /** @return HMAC-SHA256 under K_row */
  byte[] rowMac(byte[] data) {
    return hmac(rowKey, data);
  }

  /** @return HMAC-SHA256 under K_head */
  byte[] headMac(byte[] data) {
    return hmac(headKey, data);
  }

  /** @return a fresh copy of K_chunk, the HMAC key of chunk ids (the caller wipes it) */
  byte[] chunkIdKey() {
    return chunkKey.clone();
  }

  /**
   * @return the 256 gear values of {@link ContentChunker}: HMAC(K_gear, u8 i) for i = 0..63, four
   *     64-bit values from each
   */
  long[] chunkGear() {
    byte[] gearKey = derive(master, "clavis-db/v2/chunk-gear");
    try {
      long[] gear = new long[256];
      for (int i = 0; i < 64; i++) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(hmac(gearKey, new byte[] {(byte) i}));
        for (int j = 0; j < 4; j++) {
          gear[i * 4 + j] = b.getLong();
        }
      }
      return gear;
    } finally {
      Arrays.fill(gearKey, (byte) 0);
    }
  }

  /** @return a fresh copy of K_audit (the caller wipes it) */
  byte[] auditKey() {
    return derive(master, "clavis-db/v1/audit");
  }

  /** @return a copy of the master key, to wrap it again (the caller wipes it) */
  byte[] master() {
    return master.clone();
  }

  void wipe() {
    Arrays.fill(master, (byte) 0);
    Arrays.fill(rowKey, (byte) 0);
    Arrays.fill(headKey, (byte) 0);
    Arrays.fill(chunkKey, (byte) 0);
  }
}
