package dev.clavis.jdbc;

import dev.clavis.keyring.KeyringException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** Length-prefixed big-endian encodings, SHA-256 and AES-256-GCM, as the rows and the head use them. */
final class Bytes {

  static final int IV = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Bytes() {}

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new KeyringException("SHA-256 is unavailable", e);
    }
  }

  /** AES-256-GCM: IV (12) | ciphertext and tag. */
  static byte[] seal(SecretKey key, byte[] plain, byte[] aad) {
    byte[] iv = random(IV);
    try {
      Cipher c = cipher();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      c.updateAAD(aad);
      byte[] ct = c.doFinal(plain);
      byte[] out = new byte[IV + ct.length];
      System.arraycopy(iv, 0, out, 0, IV);
      System.arraycopy(ct, 0, out, IV, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("AES/GCM failed: " + e.getMessage(), e);
    }
  }

  /** @return the plaintext, or null if the tag does not verify */
  static byte[] open(SecretKey key, byte[] sealed, byte[] aad) {
    if (sealed == null || sealed.length < IV + 16) {
      return null;
    }
    try {
      Cipher c = cipher();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, IV));
      c.updateAAD(aad);
      return c.doFinal(sealed, IV, sealed.length - IV);
    } catch (javax.crypto.AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new KeyringException("AES/GCM failed: " + e.getMessage(), e);
    }
  }

  private static Cipher cipher() throws GeneralSecurityException {
    return DbKeys.SUNJCE != null ? Cipher.getInstance("AES/GCM/NoPadding", DbKeys.SUNJCE)
        : Cipher.getInstance("AES/GCM/NoPadding");
  }

  /** A growing big-endian buffer with length-prefixed fields. */
  static final class Writer {
    // not a ByteArrayOutputStream: its write is synchronized per byte, and a manifest of 10,000
    // versions is written byte by byte at every commit
    private byte[] buf;
    private int size;

    Writer() {
      this(64);
    }

    /** @param capacity the bytes expected (the buffer grows past it) */
    Writer(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    private void room(int n) {
      if (buf.length - size < n) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    Writer label(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Writer bytes(byte[] b) {
      if (b == null) {
        u32(-1);
        return this;
      }
      u32(b.length);
      return raw(b);
    }

    Writer raw(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
      return this;
    }

    Writer uuid(UUID id) {
      return u64(id.getMostSignificantBits()).u64(id.getLeastSignificantBits());
    }

    Writer u8(int v) {
      room(1);
      buf[size++] = (byte) v;
      return this;
    }

    Writer u32(int v) {
      room(4);
      buf[size] = (byte) (v >>> 24);
      buf[size + 1] = (byte) (v >>> 16);
      buf[size + 2] = (byte) (v >>> 8);
      buf[size + 3] = (byte) v;
      size += 4;
      return this;
    }

    Writer u64(long v) {
      return u32((int) (v >>> 32)).u32((int) v);
    }

    byte[] done() {
      return java.util.Arrays.copyOf(buf, size);
    }
  }

  /** Reads what {@link Writer} wrote; throws {@link IllegalArgumentException} when the bytes run out. */
  static final class Reader {
    private final byte[] b;
    private int p;

    Reader(byte[] b) {
      this.b = b;
    }

    int u8() {
      need(1);
      return b[p++] & 0xFF;
    }

    int u32() {
      need(4);
      int v = (b[p] & 0xFF) << 24 | (b[p + 1] & 0xFF) << 16 | (b[p + 2] & 0xFF) << 8 | b[p + 3] & 0xFF;
      p += 4;
      return v;
    }

    long u64() {
      return (long) u32() << 32 | (u32() & 0xFFFFFFFFL);
    }

    byte[] bytes() {
      int n = u32();
      if (n == -1) {
        return null;
      }
      if (n < 0) {
        throw new IllegalArgumentException("negative length");
      }
      return raw(n);
    }

    byte[] raw(int n) {
      need(n);
      byte[] out = java.util.Arrays.copyOfRange(b, p, p + n);
      p += n;
      return out;
    }

    String label() {
      byte[] s = bytes();
      if (s == null) {
        throw new IllegalArgumentException("missing text");
      }
      return new String(s, StandardCharsets.UTF_8);
    }

    int remaining() {
      return b.length - p;
    }

    boolean atEnd() {
      return p == b.length;
    }

    private void need(int n) {
      if (n < 0 || p + n > b.length) {
        throw new IllegalArgumentException("truncated");
      }
    }
  }
}
