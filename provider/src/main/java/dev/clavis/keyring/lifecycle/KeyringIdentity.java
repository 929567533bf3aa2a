package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyringException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 8-byte id a keyring writes into its format-2 envelopes and wrapped keys, so data from
 * another keyring fails saying so rather than failing its integrity check under a same-named key.
 * It is HMAC-SHA256(audit key, "clavis/v1/keyring-id") cut to 8 bytes: stable for the life of the
 * store (password changes and KDF migrations keep the master key, hence the audit key), equal for
 * a copy or backup of the store, and telling nothing about the key it comes from. A keyring
 * migrated from others ({@link KeyringMigration}) also accepts their ids, kept in its metadata.
 */
final class KeyringIdentity {

  private static final byte[] LABEL = "clavis/v1/keyring-id".getBytes(StandardCharsets.US_ASCII);

  private final KeyringEngine engine;
  private volatile byte[] id;

  /** @param engine asked for its backend at first use (the engine builds this before its backend is set) */
  KeyringIdentity(KeyringEngine engine) {
    this.engine = engine;
  }

  /** @return a copy of this keyring's id (computed at first use: a token backend asks its token once) */
  byte[] id() {
    byte[] i = id;
    if (i == null) {
      byte[] auditKey = engine.backend().auditKey();
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(auditKey, "HmacSHA256"));
        i = Arrays.copyOf(mac.doFinal(LABEL), Envelope.KEYRING_ID_LENGTH);
        id = i;
      } catch (GeneralSecurityException e) {
        throw new KeyringException("the JDK lacks HmacSHA256", e);
      } finally {
        Arrays.fill(auditKey, (byte) 0);
      }
    }
    return i.clone();
  }

  /**
   * @param header a format-2 header
   * @param what "envelope", "wrapped data key" or "stream"
   * @throws KeyringException naming both keyrings if the header comes from another one
   */
  void check(Envelope.Header header, String what) {
    byte[] theirs = header.keyringId();
    if (theirs != null && !MessageDigest.isEqual(theirs, id())
        && !engine.formerKeyringIds().contains(HexFormat.of().formatHex(theirs))) {
      HexFormat hex = HexFormat.of();
      throw new KeyringException("this " + what + " under " + header.ref() + " was made by another keyring (id "
          + hex.formatHex(theirs) + "), not by " + engine.backend().describe() + " (id " + hex.formatHex(id())
          + "): open it with the keyring it came from");
    }
  }
}
