package dev.clavis.engine.hd;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Deterministic ECDSA nonces for secp256k1 with HMAC-SHA256, RFC 6979 §3.2 (qlen = hlen = 256,
 * so bits2int is the identity on 32 bytes and bits2octets one reduction mod n).
 *
 * <p>HMAC (RFC 2104) is computed on two JDK SHA-256 digests (the intrinsic), not through
 * {@code javax.crypto.Mac}: the key K changes three times per nonce and every MAC is short.
 * The state (K, V) is wiped after each nonce. Not thread-safe: one instance per signer.
 */
final class Rfc6979 {

  private static final int BLOCK = 64;

  private final MessageDigest inner = sha256();
  private final MessageDigest outer = sha256();
  private final byte[] k = new byte[32];
  private final byte[] v = new byte[32];
  private final byte[] pad = new byte[BLOCK];

  /**
   * Writes the nonce for private key x and message hash h1 into out: 0 &lt; out &lt; n.
   *
   * @param x the private key, 32 big-endian bytes, 0 &lt; x &lt; n
   * @param h1 the 32-byte message hash, bits2octets applied (reduced mod n) by the caller
   * @param out receives the nonce as four little-endian words
   */
  void nonce(byte[] x, byte[] h1, long[] out) {
    try {
      Arrays.fill(v, (byte) 0x01); // §3.2 b
      Arrays.fill(k, (byte) 0x00); // §3.2 c
      mac(v, (byte) 0x00, x, h1, k); // §3.2 d
      mac(v, null, null, null, v); // §3.2 e
      mac(v, (byte) 0x01, x, h1, k); // §3.2 f
      mac(v, null, null, null, v); // §3.2 g
      while (true) { // §3.2 h
        mac(v, null, null, null, v); // tlen = qlen: T = V
        long[] cand = Scalar.fromBytes(v, 0);
        if (Scalar.isValidPrivate(cand)) { // 1 <= k < n; the retry (probability ~2^-128) is public
          System.arraycopy(cand, 0, out, 0, 4);
          Arrays.fill(cand, 0);
          return;
        }
        mac(v, (byte) 0x00, null, null, k);
        mac(v, null, null, null, v);
      }
    } finally {
      Arrays.fill(k, (byte) 0);
      Arrays.fill(v, (byte) 0);
      Arrays.fill(pad, (byte) 0);
    }
  }

  /** out = HMAC_K(v || sep || x || h1), with the optional parts left out when null. */
  private void mac(byte[] msg, Byte sep, byte[] x, byte[] h1, byte[] out) {
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < 32 ? k[i] : 0) ^ 0x36);
    }
    inner.update(pad);
    inner.update(msg);
    if (sep != null) {
      inner.update(sep);
    }
    if (x != null) {
      inner.update(x);
      inner.update(h1);
    }
    for (int i = 0; i < BLOCK; i++) {
      pad[i] = (byte) ((i < 32 ? k[i] : 0) ^ 0x5c);
    }
    outer.update(pad);
    byte[] ih = inner.digest();
    outer.update(ih);
    Arrays.fill(ih, (byte) 0);
    try {
      outer.digest(out, 0, 32);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK's SHA-256 is missing", e);
    }
  }
}
