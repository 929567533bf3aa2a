package dev.clavis.engine.hkdf;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HKDF (RFC 5869) over HMAC (RFC 2104) built on a {@link MessageDigest}: no JCA key objects, so
 * the input keying material is a byte array the caller owns and wipes. SHA-256 and SHA-512.
 */
public final class Hkdf {

  /** The hashes HKDF is offered with: the digest name, its output and its block length. */
  public enum Hash {
    /** HKDF-SHA256: 32-byte PRK, up to 8160 bytes of output. */
    SHA256("SHA-256", 32, 64),
    /** HKDF-SHA512: 64-byte PRK, up to 16320 bytes of output. */
    SHA512("SHA-512", 64, 128);

    private final String digest;
    private final int length;
    private final int block;

    Hash(String digest, int length, int block) {
      this.digest = digest;
      this.length = length;
      this.block = block;
    }

    /** @return the hash output length in bytes (HashLen of RFC 5869) */
    public int length() {
      return length;
    }

    /** @return the most output one HKDF-Expand gives: 255 × HashLen (RFC 5869 §2.3) */
    public int maxOutput() {
      return 255 * length;
    }
  }

  private Hkdf() {}

  /**
   * HKDF-Extract (RFC 5869 §2.2): PRK = HMAC-Hash(salt, IKM).
   *
   * @param hash the hash
   * @param salt the salt; null or empty means HashLen zero bytes
   * @param ikm the input keying material; not kept
   * @return the pseudorandom key, HashLen bytes; the caller wipes it
   */
  public static byte[] extract(Hash hash, byte[] salt, byte[] ikm) {
    byte[] key = salt == null || salt.length == 0 ? new byte[hash.length] : salt;
    return hmac(hash, key, ikm, null, null);
  }

  /**
   * HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC-Hash(PRK, T(i-1) | info | i), output the first L bytes.
   *
   * @param hash the hash
   * @param prk the pseudorandom key, at least HashLen bytes; not kept
   * @param info the context; null means empty
   * @param length L, 1 to 255 × HashLen
   * @return L bytes of output keying material; the caller wipes it
   * @throws IllegalArgumentException if L is out of range or the PRK is shorter than HashLen
   */
  public static byte[] expand(Hash hash, byte[] prk, byte[] info, int length) {
    if (length < 1 || length > hash.maxOutput()) {
      throw new IllegalArgumentException("HKDF output is 1 to " + hash.maxOutput() + " bytes (255 × HashLen,"
          + " RFC 5869 §2.3), asked for " + length);
    }
    if (prk.length < hash.length) {
      throw new IllegalArgumentException("the PRK must be at least HashLen (" + hash.length + ") bytes, got "
          + prk.length + " (RFC 5869 §2.3)");
    }
    byte[] in = info == null ? new byte[0] : info;
    byte[] okm = new byte[length];
    byte[] t = new byte[0];
    try {
      for (int i = 1, done = 0; done < length; i++) {
        byte[] next = hmac(hash, prk, t, in, new byte[] {(byte) i});
        Arrays.fill(t, (byte) 0);
        t = next;
        int n = Math.min(t.length, length - done);
        System.arraycopy(t, 0, okm, done, n);
        done += n;
      }
      return okm;
    } finally {
      Arrays.fill(t, (byte) 0);
    }
  }

  /**
   * Extract then expand.
   *
   * @return L bytes of output keying material; the caller wipes it
   * @throws IllegalArgumentException if L is out of range
   */
  public static byte[] derive(Hash hash, byte[] salt, byte[] ikm, byte[] info, int length) {
    byte[] prk = extract(hash, salt, ikm);
    try {
      return expand(hash, prk, info, length);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  /** HMAC (RFC 2104 §2): H(K ^ opad, H(K ^ ipad, text)), the text in up to three parts. */
  private static byte[] hmac(Hash hash, byte[] key, byte[] a, byte[] b, byte[] c) {
    MessageDigest md = digest(hash);
    byte[] k = key.length > hash.block ? md.digest(key) : key;
    byte[] pad = new byte[hash.block];
    byte[] inner = null;
    try {
      for (int i = 0; i < pad.length; i++) {
        pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
      }
      md.update(pad);
      md.update(a);
      if (b != null) {
        md.update(b);
      }
      if (c != null) {
        md.update(c);
      }
      inner = md.digest();
      for (int i = 0; i < pad.length; i++) {
        pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
      }
      md.update(pad);
      return md.digest(inner);
    } finally {
      Arrays.fill(pad, (byte) 0);
      if (inner != null) {
        Arrays.fill(inner, (byte) 0);
      }
      if (k != key) {
        Arrays.fill(k, (byte) 0);
      }
    }
  }

  private static MessageDigest digest(Hash hash) {
    try {
      return MessageDigest.getInstance(hash.digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + hash.digest, e);
    }
  }
}
