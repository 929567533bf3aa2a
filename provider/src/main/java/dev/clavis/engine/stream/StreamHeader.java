package dev.clavis.engine.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The header of a streaming envelope (all integers big-endian):
 *
 * <pre>
 * "CLS" 0x01 | u16 w | wrapped data key (w bytes) | u32 segment size P | salt (32) | nonce prefix (7)
 * </pre>
 *
 * The wrapped data key authenticates itself (it is a Clavis wrapped key bound to its KEK version,
 * keyring and encryption context); P, the salt and the prefix are bound through the key
 * derivation ({@link SegmentCipher}), so a changed header fails every segment.
 */
public final class StreamHeader {

  /** The magic and format byte. */
  static final byte[] MAGIC = {'C', 'L', 'S', 1};
  /** HKDF salt length: the hash length, RFC 5869 §3.1. */
  public static final int SALT_LENGTH = 32;
  /** Nonce prefix length: 12-byte GCM nonce = prefix (7) | u32 index | u8 final flag. */
  public static final int NONCE_PREFIX_LENGTH = 7;
  /** The smallest plaintext segment size (tests use small segments). */
  public static final int MIN_SEGMENT = 16;
  /** The largest plaintext segment size a reader accepts before allocating its buffers. */
  public static final int MAX_SEGMENT = 16 << 20;
  /** The default plaintext segment size: large enough that GCM set-up per segment is noise. */
  public static final int DEFAULT_SEGMENT = 256 << 10;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] wrappedKey;
  private final int segmentSize;
  private final byte[] salt;
  private final byte[] noncePrefix;

  private StreamHeader(byte[] wrappedKey, int segmentSize, byte[] salt, byte[] noncePrefix) {
    this.wrappedKey = wrappedKey;
    this.segmentSize = segmentSize;
    this.salt = salt;
    this.noncePrefix = noncePrefix;
  }

  /**
   * A header for a new stream with a random salt and nonce prefix.
   *
   * @param wrappedKey the wrapped data key; copied
   * @param segmentSize plaintext bytes per segment
   * @return the header
   * @throws IllegalArgumentException for a segment size out of range or a wrapped key over 65535 bytes
   */
  public static StreamHeader create(byte[] wrappedKey, int segmentSize) {
    checkSegment(segmentSize);
    byte[] salt = new byte[SALT_LENGTH];
    byte[] prefix = new byte[NONCE_PREFIX_LENGTH];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(prefix);
    return of(wrappedKey, segmentSize, salt, prefix);
  }

  /**
   * The same stream parameters with another wrapped data key (a rewrap: the data key, hence the
   * segments, stay the same).
   *
   * @param newWrappedKey the data key wrapped anew
   * @return the header
   */
  public StreamHeader withWrappedKey(byte[] newWrappedKey) {
    return of(newWrappedKey, segmentSize, salt, noncePrefix);
  }

  private static StreamHeader of(byte[] wrappedKey, int segmentSize, byte[] salt, byte[] prefix) {
    if (wrappedKey.length == 0 || wrappedKey.length > 0xFFFF) {
      throw new IllegalArgumentException("a wrapped data key of " + wrappedKey.length + " bytes does not fit a stream header");
    }
    return new StreamHeader(wrappedKey.clone(), segmentSize, salt.clone(), prefix.clone());
  }

  private static void checkSegment(int segmentSize) {
    if (segmentSize < MIN_SEGMENT || segmentSize > MAX_SEGMENT) {
      throw new IllegalArgumentException("a segment holds " + MIN_SEGMENT + " to " + MAX_SEGMENT
          + " plaintext bytes, got " + segmentSize);
    }
  }

  /**
   * @param first the first bytes of some data
   * @param length how many of them there are
   * @return whether they start like a streaming envelope
   */
  public static boolean startsStream(byte[] first, int length) {
    return length >= 4 && Arrays.equals(first, 0, 4, MAGIC, 0, 4);
  }

  /**
   * Reads a header from the start of a stream, consuming exactly its bytes.
   *
   * @param in the ciphertext
   * @return the header
   * @throws IOException if reading fails
   * @throws StreamFormatException if it is not a stream header, of another format, or cut short
   */
  public static StreamHeader read(InputStream in) throws IOException {
    byte[] fixed = readFully(in, 6);
    if (fixed[0] != 'C' || fixed[1] != 'L' || fixed[2] != 'S') {
      throw new StreamFormatException("this is not a Clavis streaming envelope (it does not start with 'CLS')");
    }
    if (fixed[3] != MAGIC[3]) {
      throw new StreamFormatException("this Clavis streaming envelope has format " + (fixed[3] & 0xFF)
          + "; this Clavis reads format " + MAGIC[3] + ": use a newer Clavis");
    }
    int w = ((fixed[4] & 0xFF) << 8) | (fixed[5] & 0xFF);
    if (w == 0) {
      throw new StreamFormatException("this Clavis streaming envelope holds no data key");
    }
    byte[] wrapped = readFully(in, w);
    ByteBuffer rest = ByteBuffer.wrap(readFully(in, 4 + SALT_LENGTH + NONCE_PREFIX_LENGTH));
    int p = rest.getInt();
    if (p < MIN_SEGMENT || p > MAX_SEGMENT) {
      throw new StreamFormatException("this Clavis streaming envelope names a segment size of " + p
          + " bytes, outside " + MIN_SEGMENT + " to " + MAX_SEGMENT);
    }
    byte[] salt = new byte[SALT_LENGTH];
    byte[] prefix = new byte[NONCE_PREFIX_LENGTH];
    rest.get(salt).get(prefix);
    return new StreamHeader(wrapped, p, salt, prefix);
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new StreamFormatException("this Clavis streaming envelope is cut short in its header");
    }
    return b;
  }

  /** @return the header's bytes */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(length());
    b.put(MAGIC).putShort((short) wrappedKey.length).put(wrappedKey).putInt(segmentSize).put(salt).put(noncePrefix);
    return b.array();
  }

  /** @return the header's length in bytes */
  public int length() {
    return 4 + 2 + wrappedKey.length + 4 + SALT_LENGTH + NONCE_PREFIX_LENGTH;
  }

  /** @return a copy of the wrapped data key */
  public byte[] wrappedKey() {
    return wrappedKey.clone();
  }

  /** @return plaintext bytes per segment (all but the last hold exactly this many) */
  public int segmentSize() {
    return segmentSize;
  }

  byte[] salt() {
    return salt.clone();
  }

  byte[] noncePrefix() {
    return noncePrefix.clone();
  }

  /** Not a Clavis stream, or a malformed header; an {@link IOException} as it comes from reading. */
  public static final class StreamFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    StreamFormatException(String message) {
      super(message);
    }
  }
}
