package dev.clavis.engine.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-stream AES-256-GCM key and the segment nonces of one stream.
 *
 * <pre>
 * K      = HKDF-SHA256(salt = header salt, IKM = data key,
 *                      info = "clavis/v1/stream" | u32 P | nonce prefix | SHA-256(associated data), L = 32)
 * nonce  = nonce prefix (7) | u32 segment index | u8 final (1 for the last segment, else 0)
 * segment i = AES-256-GCM(K, nonce(i, final), plaintext_i, no AAD) = ciphertext_i || tag (16)
 * </pre>
 *
 * The index in the nonce makes a moved segment fail, the final flag a stream cut at a segment
 * boundary, the per-stream salt (hence key) a segment spliced in from another stream. One key is
 * used for at most 2^32 segments with distinct nonces, so the random-IV GCM bound does not apply.
 * Not thread-safe: one per stream.
 */
public final class SegmentCipher implements AutoCloseable {

  /** GCM tag length. */
  public static final int TAG_LENGTH = 16;
  /** Segments are indexed by a u32. */
  public static final long MAX_SEGMENTS = 1L << 32;

  private static final byte[] LABEL = "clavis/v1/stream".getBytes(StandardCharsets.US_ASCII);
  private static final Provider SUNJCE = Security.getProvider("SunJCE");

  private final byte[] key;
  private final SecretKeySpec spec;
  private final byte[] nonce = new byte[12];
  private final Cipher cipher;

  private SegmentCipher(byte[] key, byte[] prefix) throws GeneralSecurityException {
    this.key = key;
    this.spec = new SecretKeySpec(key, "AES");
    System.arraycopy(prefix, 0, nonce, 0, StreamHeader.NONCE_PREFIX_LENGTH);
    this.cipher = SUNJCE != null ? Cipher.getInstance("AES/GCM/NoPadding", SUNJCE) : Cipher.getInstance("AES/GCM/NoPadding");
  }

  /**
   * Derives the stream key.
   *
   * @param dataKey the unwrapped data key (the HKDF input keying material); not kept
   * @param header the stream's header
   * @param associatedData the caller's associated data, or null
   * @return the cipher of this stream
   * @throws GeneralSecurityException if the JDK lacks HMAC-SHA256 or AES-GCM
   */
  public static SegmentCipher derive(byte[] dataKey, StreamHeader header, byte[] associatedData)
      throws GeneralSecurityException {
    byte[] aadHash = MessageDigest.getInstance("SHA-256").digest(associatedData == null ? new byte[0] : associatedData);
    byte[] prefix = header.noncePrefix();
    ByteBuffer info = ByteBuffer.allocate(LABEL.length + 4 + prefix.length + aadHash.length);
    info.put(LABEL).putInt(header.segmentSize()).put(prefix).put(aadHash);
    return new SegmentCipher(hkdfSha256(header.salt(), dataKey, info.array()), prefix);
  }

  /** RFC 5869 §2.2 extract and §2.3 expand, for L = 32 (one block: T(1) = HMAC(PRK, info | 0x01)). */
  static byte[] hkdfSha256(byte[] salt, byte[] ikm, byte[] info) throws GeneralSecurityException {
    Mac mac = SUNJCE != null ? Mac.getInstance("HmacSHA256", SUNJCE) : Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    try {
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      mac.update(info);
      mac.update((byte) 1);
      return mac.doFinal();
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  private GCMParameterSpec nonce(long index, boolean last) {
    if (index < 0 || index >= MAX_SEGMENTS) {
      throw new IllegalStateException("a stream holds at most 2^32 segments");
    }
    nonce[7] = (byte) (index >>> 24);
    nonce[8] = (byte) (index >>> 16);
    nonce[9] = (byte) (index >>> 8);
    nonce[10] = (byte) index;
    nonce[11] = (byte) (last ? 1 : 0);
    return new GCMParameterSpec(TAG_LENGTH * 8, nonce);
  }

  /**
   * Encrypts one segment.
   *
   * @return bytes written to {@code out} ({@code len + 16})
   * @throws GeneralSecurityException if the JDK's GCM fails
   */
  int seal(long index, boolean last, byte[] in, int off, int len, byte[] out, int outOff) throws GeneralSecurityException {
    cipher.init(Cipher.ENCRYPT_MODE, spec, nonce(index, last));
    return cipher.doFinal(in, off, len, out, outOff);
  }

  /**
   * Decrypts one segment; the JDK's GCM releases nothing before the tag verifies.
   *
   * @return plaintext bytes written to {@code out}
   * @throws AEADBadTagException if the segment fails authentication under this index and flag
   * @throws GeneralSecurityException if the JDK's GCM fails otherwise
   */
  int open(long index, boolean last, byte[] in, int off, int len, byte[] out, int outOff) throws GeneralSecurityException {
    cipher.init(Cipher.DECRYPT_MODE, spec, nonce(index, last));
    return cipher.doFinal(in, off, len, out, outOff);
  }

  /** Wipes this class's copy of the stream key. */
  @Override
  public void close() {
    Arrays.fill(key, (byte) 0);
  }
}
