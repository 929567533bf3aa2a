package dev.clavis.engine.hd;

import java.util.Arrays;

/**
 * ECDSA signatures on secp256k1 (SEC 1 §4.1.3) with RFC 6979 deterministic nonces (HMAC-SHA256)
 * and low-S normalisation (BIP 62/146: s ≤ (n-1)/2), in constant time for the private key and
 * the nonce.
 *
 * <p>Why constant time, step by step: the nonce k comes from {@link Rfc6979} (HMAC on the JDK's
 * SHA-256, whose time depends only on lengths); k·G is {@link Secp256k1#publicKey(long[], long[],
 * long[])}, the fixed-base multiplication with secret = true: k is recoded into 43 signed odd
 * digits (Joye–Tunstall regular recoding: no zero digit, so every window does one addition and
 * no doubling), each window's table entry is selected by reading all 32 entries with masks, the
 * sign of a digit and the parity fix-up (n - k for even k) are masked selects, the field code
 * ({@link Fe}) has no data-dependent branch or index, and the affine conversion inverts Z with
 * Bernstein–Yang safegcd ({@link Fe#invert}, {@link SafeGcd}). The scalar steps
 * s = k^-1·(z + r·d) use {@link OrderField}: Montgomery products with a masked final subtraction,
 * and k^-1 by safegcd too ({@link OrderField#invert}: a fixed number of masked divsteps, no
 * branch or index on k); low-S is a masked select. The only branches are the RFC 6979 retry and r = 0 or s = 0,
 * each of probability about 2^-128 and visible in the result anyway.
 *
 * <p>Not thread-safe (the nonce generator's buffers): one instance per signer.
 */
public final class Secp256k1Ecdsa {

  private final Rfc6979 nonces = new Rfc6979();

  /**
   * Signs a 32-byte message hash.
   *
   * @param privateKey the 32-byte big-endian private key, 0 &lt; d &lt; n (not kept; the caller wipes it)
   * @param hash the 32-byte hash of the message (SHA-256 for {@code SHA256withECDSA})
   * @return r || s, 64 bytes, s low
   * @throws IllegalArgumentException if the key is out of range or the hash is not 32 bytes
   */
  public byte[] signRaw(byte[] privateKey, byte[] hash) {
    if (privateKey.length != 32 || hash.length != 32) {
      throw new IllegalArgumentException("secp256k1 ECDSA takes a 32-byte private key and a 32-byte hash");
    }
    long[] d = Scalar.fromBytes(privateKey, 0);
    long[] z = new long[4];
    long[] k = new long[4];
    long[] r = new long[4];
    long[] s = new long[4];
    long[] t = new long[4];
    long[] x = Fe.create();
    long[] y = Fe.create();
    byte[] h1 = new byte[32];
    byte[] xb = new byte[32];
    try {
      if (!Scalar.isValidPrivate(d)) {
        throw new IllegalArgumentException("the secp256k1 private key is not in [1, n-1]");
      }
      OrderField.reduce(z, Scalar.fromBytes(hash, 0)); // bits2int then mod n (SEC 1 §4.1.3 step 5)
      Scalar.toBytes(z, h1, 0); // RFC 6979 bits2octets
      while (true) {
        nonces.nonce(privateKey, h1, k);
        Secp256k1.publicKey(k, x, y); // k·G, constant time
        Fe.toBytes(xb, 0, x);
        OrderField.reduce(r, Scalar.fromBytes(xb, 0)); // r = x mod n (x < p < 2n)
        if (Scalar.isZero(r) == 1) {
          continue; // probability ~2^-128; RFC 6979 §3.4 takes the next k
        }
        OrderField.mulMod(t, r, d); // r·d
        OrderField.add(t, t, z); // z + r·d
        OrderField.invert(s, k); // k^-1, constant time (safegcd)
        OrderField.mulMod(s, s, t);
        if (Scalar.isZero(s) == 1) {
          continue;
        }
        OrderField.negate(t, s);
        OrderField.cmov(s, t, OrderField.isHigh(s)); // low S
        byte[] out = new byte[64];
        Scalar.toBytes(r, out, 0);
        Scalar.toBytes(s, out, 32);
        return out;
      }
    } finally {
      Arrays.fill(d, 0);
      Arrays.fill(k, 0);
      Arrays.fill(t, 0);
      Arrays.fill(s, 0);
      Arrays.fill(x, 0);
      Arrays.fill(y, 0);
    }
  }

  /**
   * Signs a 32-byte message hash, DER-encoded as {@code SEQUENCE { INTEGER r, INTEGER s }}
   * (X9.62, the JCA form of {@code SHA256withECDSA}).
   *
   * @param privateKey the 32-byte private key
   * @param hash the 32-byte message hash
   * @return the DER signature
   * @throws IllegalArgumentException if the key is out of range or the hash is not 32 bytes
   */
  public byte[] signDer(byte[] privateKey, byte[] hash) {
    return der(signRaw(privateKey, hash));
  }

  /** @return the DER {@code SEQUENCE { INTEGER r, INTEGER s }} of r || s (64 bytes) */
  public static byte[] der(byte[] rs) {
    byte[] r = integer(rs, 0);
    byte[] s = integer(rs, 32);
    byte[] out = new byte[2 + r.length + s.length];
    out[0] = 0x30;
    out[1] = (byte) (r.length + s.length); // at most 2·35 = 70 < 128: short form
    System.arraycopy(r, 0, out, 2, r.length);
    System.arraycopy(s, 0, out, 2 + r.length, s.length);
    return out;
  }

  /** A minimal DER INTEGER of the positive 32-byte value at rs[off]. */
  private static byte[] integer(byte[] rs, int off) {
    int i = off;
    while (i < off + 31 && rs[i] == 0) {
      i++;
    }
    int len = off + 32 - i;
    boolean pad = (rs[i] & 0x80) != 0;
    byte[] out = new byte[2 + len + (pad ? 1 : 0)];
    out[0] = 0x02;
    out[1] = (byte) (len + (pad ? 1 : 0));
    System.arraycopy(rs, i, out, pad ? 3 : 2, len);
    return out;
  }
}
