package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The self-describing formats of the keyring API (see {@code docs/envelope.md}).
 *
 * <pre>
 * envelope    = "CLV" 0x01 | u8 n | name (n bytes, ASCII) | u32 version | IV (12) | ciphertext || tag (16)
 *               AES-256-GCM (NIST SP 800-38D); AAD = every byte before the ciphertext || caller's AAD
 * wrapped DEK = "CLW" 0x01 | u8 n | name (n bytes) | u32 version | RFC 5649 KWP output
 * </pre>
 *
 * Binding the header as AAD means a changed name, version or IV fails the tag like any other
 * tampering.
 */
final class Envelope {

  static final byte[] ENVELOPE_MAGIC = {'C', 'L', 'V', 1};
  static final byte[] WRAPPED_MAGIC = {'C', 'L', 'W', 1};
  static final int IV_LENGTH = 12;
  static final int TAG_LENGTH = 16;

  /** A parsed header: the version it names and where the payload starts. */
  record Header(KeyRef ref, int headerLength) {}

  private Envelope() {}

  static byte[] header(byte[] magic, KeyRef version, int extra) {
    byte[] name = version.name().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(4 + 1 + name.length + 4 + extra);
    b.put(magic).put((byte) name.length).put(name).putInt(version.version().getAsInt());
    return b.array();
  }

  static int headerLength(KeyRef version) {
    return 4 + 1 + version.name().length() + 4;
  }

  /** @throws KeyringException if the bytes are not of this kind or are cut short */
  static Header parse(byte[] data, byte[] magic, String what) {
    if (data.length < 10 || data[0] != magic[0] || data[1] != magic[1] || data[2] != magic[2]) {
      throw new KeyringException("this is not a Clavis " + what + " (it does not start with '"
          + new String(magic, 0, 3, StandardCharsets.US_ASCII) + "')");
    }
    if (data[3] != magic[3]) {
      throw new KeyringException("this Clavis " + what + " has format " + (data[3] & 0xFF) + "; this Clavis reads "
          + "format " + magic[3] + ": use a newer Clavis");
    }
    int n = data[4] & 0xFF;
    if (data.length < 5 + n + 4) {
      throw new KeyringException("this Clavis " + what + " is truncated");
    }
    String name = new String(data, 5, n, StandardCharsets.US_ASCII);
    int v = ByteBuffer.wrap(data, 5 + n, 4).getInt();
    KeyRef ref;
    try {
      ref = KeyRef.of(name, v);
    } catch (IllegalArgumentException e) {
      throw new KeyringException("this Clavis " + what + " names no valid key version: " + e.getMessage());
    }
    return new Header(ref, 5 + n + 4);
  }
}
