package dev.clavis.engine.hd;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Base58Check as Bitcoin uses it for extended keys (BIP32 "Serialization format"): the payload,
 * then the first four bytes of SHA-256(SHA-256(payload)), in the Base58 alphabet without 0, O, I
 * and l; each leading zero byte becomes a leading '1'.
 */
public final class Base58Check {

  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEX = new int[128];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEX[ALPHABET[i]] = i;
    }
  }

  private Base58Check() {}

  /** Encodes payload with its four checksum bytes appended. */
  public static String encode(byte[] payload) {
    byte[] data = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(checksum(payload), 0, data, payload.length, 4);
    try {
      return encodeRaw(data);
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  /**
   * Decodes a Base58Check string and verifies its checksum.
   *
   * @return the payload without the checksum
   * @throws IllegalArgumentException naming the defect: an invalid character, a too short string
   *     or a wrong checksum (the message never echoes the input, which may be a private key)
   */
  public static byte[] decode(String s) {
    byte[] data = decodeRaw(s);
    if (data.length < 4) {
      throw new IllegalArgumentException("Base58Check string is too short to hold a checksum");
    }
    byte[] payload = Arrays.copyOf(data, data.length - 4);
    byte[] sum = checksum(payload);
    boolean ok = MessageDigest.isEqual(Arrays.copyOfRange(data, data.length - 4, data.length), sum);
    Arrays.fill(data, (byte) 0);
    if (!ok) {
      Arrays.fill(payload, (byte) 0);
      throw new IllegalArgumentException("invalid Base58Check checksum (the key was mistyped or truncated)");
    }
    return payload;
  }

  static String encodeRaw(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    // Repeated division of the big-endian number by 58, most significant digit last.
    byte[] num = data.clone();
    char[] out = new char[data.length * 2];
    int pos = out.length;
    int start = zeros;
    while (start < num.length) {
      int rem = 0;
      for (int i = start; i < num.length; i++) {
        int cur = (rem << 8) | (num[i] & 0xFF);
        num[i] = (byte) (cur / 58);
        rem = cur % 58;
      }
      out[--pos] = ALPHABET[rem];
      while (start < num.length && num[start] == 0) {
        start++;
      }
    }
    Arrays.fill(num, (byte) 0);
    for (int i = 0; i < zeros; i++) {
      out[--pos] = '1';
    }
    String s = new String(out, pos, out.length - pos);
    Arrays.fill(out, '\0');
    return s;
  }

  static byte[] decodeRaw(String s) {
    int zeros = 0;
    while (zeros < s.length() && s.charAt(zeros) == '1') {
      zeros++;
    }
    // Multiply-accumulate into a little-endian byte buffer: at most log(58)/log(256) bytes a char.
    byte[] buf = new byte[s.length() * 733 / 1000 + 1];
    int len = 0;
    for (int i = zeros; i < s.length(); i++) {
      char c = s.charAt(i);
      int digit = c < 128 ? INDEX[c] : -1;
      if (digit < 0) {
        Arrays.fill(buf, (byte) 0);
        throw new IllegalArgumentException("invalid Base58 character at position " + i);
      }
      int carry = digit;
      for (int j = 0; j < len; j++) {
        carry += (buf[j] & 0xFF) * 58;
        buf[j] = (byte) carry;
        carry >>>= 8;
      }
      while (carry > 0) {
        buf[len++] = (byte) carry;
        carry >>>= 8;
      }
    }
    byte[] out = new byte[zeros + len];
    for (int j = 0; j < len; j++) {
      out[out.length - 1 - j] = buf[j];
    }
    Arrays.fill(buf, (byte) 0);
    return out;
  }

  private static byte[] checksum(byte[] payload) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return Arrays.copyOf(sha.digest(sha.digest(payload)), 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
