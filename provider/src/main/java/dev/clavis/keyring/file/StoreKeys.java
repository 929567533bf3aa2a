package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyringException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys a store derives from its master key with HMAC-SHA256 (labels {@code clavis/v1/...}):
 * K_meta (metadata section), K_key (material records), K_mac (header MAC) and K_audit (the audit
 * log's chain). Holds a copy of the master key until {@link #wipe()}.
 */
final class StoreKeys {

  private final byte[] master;
  private final SecretKeySpec metaKey;
  private final SecretKeySpec recordKey;
  private final byte[] macKey;

  /** @param master the master key; kept (not copied), wiped by {@link #wipe()} */
  StoreKeys(byte[] master) {
    this.master = master;
    this.metaKey = aesKey(derive(master, "clavis/v1/metadata"));
    this.recordKey = aesKey(derive(master, "clavis/v1/key-records"));
    this.macKey = derive(master, "clavis/v1/header-mac");
  }

  /** A key spec over a copy of {@code raw}, which is wiped (SecretKeySpec keeps its own copy). */
  private static SecretKeySpec aesKey(byte[] raw) {
    try {
      return new SecretKeySpec(raw, "AES");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static byte[] derive(byte[] master, String label) {
    try {
      Mac m = Mac.getInstance("HmacSHA256", FileMaterial.SUNJCE);
      m.init(new SecretKeySpec(master, "HmacSHA256"));
      return m.doFinal(label.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  /** @return the master key itself (not a copy), for re-wrapping it */
  byte[] master() {
    return master;
  }

  SecretKeySpec metadataKey() {
    return metaKey;
  }

  SecretKeySpec recordKey() {
    return recordKey;
  }

  /** @return HMAC-SHA256 under K_mac of {@code b[0, length)} followed by {@code tail} */
  byte[] headerMac(byte[] b, int length, byte[] tail) {
    try {
      Mac m = Mac.getInstance("HmacSHA256", FileMaterial.SUNJCE);
      m.init(new SecretKeySpec(macKey, "HmacSHA256"));
      m.update(b, 0, length);
      return m.doFinal(tail);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("HmacSHA256 is unavailable", e);
    }
  }

  /** @return a fresh copy of K_audit (the caller wipes it) */
  byte[] auditKey() {
    return derive(master, "clavis/v1/audit");
  }

  void wipe() {
    Arrays.fill(master, (byte) 0);
    Arrays.fill(macKey, (byte) 0);
  }
}
