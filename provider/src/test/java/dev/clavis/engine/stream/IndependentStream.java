package dev.clavis.engine.stream;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The streaming format of {@code docs/envelope.md} written again from the document with nothing
 * but the JDK's Mac and Cipher, to cross-check the engine (and let other tests read streams the
 * keyring made). It shares no code with {@code engine.stream}.
 */
public final class IndependentStream {

  private IndependentStream() {}

  /** @return the stream key: HKDF-SHA256(salt, dek, "clavis/v1/stream" | u32 P | prefix | SHA-256(aad)), 32 bytes */
  static byte[] streamKey(byte[] dek, byte[] salt, int p, byte[] prefix, byte[] aad) throws Exception {
    Mac h = Mac.getInstance("HmacSHA256");
    h.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = h.doFinal(dek);
    byte[] info = ByteBuffer.allocate(16 + 4 + 7 + 32).put("clavis/v1/stream".getBytes(StandardCharsets.US_ASCII))
        .putInt(p).put(prefix).put(MessageDigest.getInstance("SHA-256").digest(aad == null ? new byte[0] : aad)).array();
    h.init(new SecretKeySpec(prk, "HmacSHA256"));
    h.update(info);
    h.update((byte) 1);
    return h.doFinal();
  }

  static byte[] nonce(byte[] prefix, int index, boolean last) {
    return ByteBuffer.allocate(12).put(prefix).putInt(index).put((byte) (last ? 1 : 0)).array();
  }

  /** @return the wrapped data key field of a stream's header */
  public static byte[] wrappedKey(byte[] stream) {
    int w = ((stream[4] & 0xFF) << 8) | (stream[5] & 0xFF);
    return Arrays.copyOfRange(stream, 6, 6 + w);
  }

  /**
   * Decrypts a whole stream given its data key.
   *
   * @throws javax.crypto.AEADBadTagException if a segment fails
   */
  public static byte[] decrypt(byte[] stream, byte[] dek, byte[] aad) throws Exception {
    if (stream[0] != 'C' || stream[1] != 'L' || stream[2] != 'S' || stream[3] != 1) {
      throw new IllegalArgumentException("not CLS 1");
    }
    ByteBuffer b = ByteBuffer.wrap(stream);
    b.position(4);
    int w = b.getShort() & 0xFFFF;
    b.position(6 + w);
    int p = b.getInt();
    byte[] salt = new byte[32];
    byte[] prefix = new byte[7];
    b.get(salt).get(prefix);
    SecretKeySpec k = new SecretKeySpec(streamKey(dek, salt, p, prefix, aad), "AES");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    int index = 0;
    while (true) {
      int left = b.remaining();
      boolean last = left <= p + 16;
      int len = last ? left : p + 16;
      c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, nonce(prefix, index, last)));
      out.writeBytes(c.doFinal(stream, b.position(), len));
      b.position(b.position() + len);
      index++;
      if (last) {
        return out.toByteArray();
      }
    }
  }

  /** Encrypts into the documented format, with a given header's fields. */
  static byte[] encrypt(byte[] plaintext, byte[] dek, byte[] wrapped, int p, byte[] salt, byte[] prefix, byte[] aad)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'C', 'L', 'S', 1, (byte) (wrapped.length >> 8), (byte) wrapped.length});
    out.writeBytes(wrapped);
    out.writeBytes(ByteBuffer.allocate(4).putInt(p).array());
    out.writeBytes(salt);
    out.writeBytes(prefix);
    SecretKeySpec k = new SecretKeySpec(streamKey(dek, salt, p, prefix, aad), "AES");
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    int segments = Math.max(1, (plaintext.length + p - 1) / p);
    for (int i = 0; i < segments; i++) {
      int from = i * p;
      int to = Math.min(plaintext.length, from + p);
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce(prefix, i, i == segments - 1)));
      out.writeBytes(c.doFinal(plaintext, from, to - from));
    }
    return out.toByteArray();
  }
}
