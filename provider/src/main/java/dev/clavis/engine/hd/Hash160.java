package dev.clavis.engine.hd;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Bitcoin's HASH160 = RIPEMD-160(SHA-256(x)), used for BIP32 key identifiers and fingerprints. */
public final class Hash160 {

  private Hash160() {}

  /** Returns the 20-byte HASH160 of data. */
  public static byte[] hash(byte[] data) {
    byte[] sha;
    try {
      sha = MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
    return Ripemd160.digest(sha);
  }

  /** BIP32 "Key identifiers": the first 32 bits of the identifier, big-endian. */
  public static int fingerprint(byte[] compressedPublicKey) {
    byte[] h = hash(compressedPublicKey);
    return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
  }
}
