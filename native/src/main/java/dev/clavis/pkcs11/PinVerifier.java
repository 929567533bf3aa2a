package dev.clavis.pkcs11;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A salted, iterated HMAC-SHA256 (PBKDF2-style, RFC 8018 §5.2 with one block) of the PIN the
 * process logged in with, to check a later PIN without sending it to the token. Never printed.
 */
final class PinVerifier {

  private static final int ITERATIONS = 20_000;

  /** The encoded form's length: a version byte, the salt and the digest. */
  static final int ENCODED_LENGTH = 1 + 16 + 32;
  private static final byte VERSION = 1;

  private final byte[] salt;
  private final byte[] digest;

  PinVerifier(byte[] pinUtf8) {
    salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    digest = derive(pinUtf8);
  }

  private PinVerifier(byte[] salt, byte[] digest) {
    this.salt = salt;
    this.digest = digest;
  }

  /**
   * @return the verifier read back from {@link #encoded()}
   * @throws IllegalArgumentException if the bytes are not a verifier of this version
   */
  static PinVerifier decode(byte[] encoded) {
    if (encoded == null || encoded.length != ENCODED_LENGTH || encoded[0] != VERSION) {
      throw new IllegalArgumentException("not a version " + VERSION + " PIN verifier");
    }
    return new PinVerifier(Arrays.copyOfRange(encoded, 1, 17), Arrays.copyOfRange(encoded, 17, ENCODED_LENGTH));
  }

  /** @return version, salt and digest, to keep as a private object on the token */
  byte[] encoded() {
    byte[] out = new byte[ENCODED_LENGTH];
    out[0] = VERSION;
    System.arraycopy(salt, 0, out, 1, 16);
    System.arraycopy(digest, 0, out, 17, 32);
    return out;
  }

  boolean matches(byte[] pinUtf8) {
    byte[] d = derive(pinUtf8);
    try {
      return MessageDigest.isEqual(d, digest);
    } finally {
      Arrays.fill(d, (byte) 0);
    }
  }

  private byte[] derive(byte[] pin) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(pin.length == 0 ? new byte[1] : pin, "HmacSHA256"));
      mac.update(salt);
      byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
      byte[] t = u.clone();
      for (int i = 1; i < ITERATIONS; i++) {
        u = mac.doFinal(u);
        for (int j = 0; j < t.length; j++) {
          t[j] ^= u[j];
        }
      }
      return t;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "PinVerifier[***]";
  }
}
