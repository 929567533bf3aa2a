package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.EncryptionContext;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The self-describing formats of the keyring API (see {@code docs/envelope.md}).
 *
 * <pre>
 * format 1 (read only):
 * envelope    = "CLV" 0x01 | u8 n | name | u32 version | IV (12) | ciphertext || tag (16)
 * wrapped DEK = "CLW" 0x01 | u8 n | name | u32 version | RFC 5649 KWP output
 * format 2 (written):
 * envelope    = "CLV" 0x02 | u8 n | name | u32 version | IV (12) | keyring id (8) | u16 c | context (c) | ciphertext || tag
 * wrapped DEK = "CLW" 0x02 | u8 n | name | u32 version | IV (12) | keyring id (8) | u16 c | context (c) | GCM(DEK) || tag
 * </pre>
 *
 * AES-GCM under the named version with every byte before the ciphertext as associated data (and,
 * for an envelope, the caller's associated data after it): a changed name, version, IV, keyring
 * id or context fails the tag like any other tampering. The IV keeps its format-1 offset.
 */
final class Envelope {

  static final byte FORMAT_1 = 1;
  static final byte FORMAT_2 = 2;
  static final byte ENVELOPE = 'V';
  static final byte WRAPPED = 'W';
  static final int IV_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  static final int KEYRING_ID_LENGTH = 8;

  /** A parsed header: the version it names, the bound fields of format 2, and where the payload starts. */
  static final class Header {
    private final KeyRef ref;
    private final int format;
    private final int ivOffset;
    private final byte[] keyringId;
    private final EncryptionContext context;
    private final int payloadOffset;

    private Header(KeyRef ref, int format, int ivOffset, byte[] keyringId, EncryptionContext context, int payloadOffset) {
      this.ref = ref;
      this.format = format;
      this.ivOffset = ivOffset;
      this.keyringId = keyringId;
      this.context = context;
      this.payloadOffset = payloadOffset;
    }

    KeyRef ref() {
      return ref;
    }

    int format() {
      return format;
    }

    /** @return the IV (a GCM envelope of either format, or a format-2 wrapped key) */
    byte[] iv(byte[] data) {
      return Arrays.copyOfRange(data, ivOffset, ivOffset + IV_LENGTH);
    }

    /** @return the keyring id of format 2, or null for format 1 */
    byte[] keyringId() {
      return keyringId == null ? null : keyringId.clone();
    }

    /** @return the bound context; empty for format 1 */
    EncryptionContext context() {
      return context;
    }

    /** @return where the ciphertext (or KWP output) starts; everything before it is associated data */
    int payloadOffset() {
      return payloadOffset;
    }
  }

  private Envelope() {}

  /**
   * A format-2 header with a zero IV field for the caller to fill at {@link #ivOffset}.
   *
   * @param kind {@link #ENVELOPE} or {@link #WRAPPED}
   */
  static byte[] header2(byte kind, KeyRef version, byte[] keyringId, EncryptionContext context, int extra) {
    byte[] name = version.name().getBytes(StandardCharsets.US_ASCII);
    byte[] ctx = context.canonical();
    ByteBuffer b = ByteBuffer.allocate(5 + name.length + 4 + IV_LENGTH + KEYRING_ID_LENGTH + 2 + ctx.length + extra);
    b.put(new byte[] {'C', 'L', kind, FORMAT_2}).put((byte) name.length).put(name).putInt(version.version().getAsInt());
    b.position(b.position() + IV_LENGTH);
    b.put(keyringId).putShort((short) ctx.length).put(ctx);
    return b.array();
  }

  /**
   * A format-1 wrapped-key header ({@code "CLW" 01 | n | name | u32 version}) followed by
   * {@code extra} zero bytes for the KWP payload: bulk rewraps keep format-1 keys in format 1.
   */
  static byte[] wrappedHeader1(KeyRef version, int extra) {
    byte[] name = version.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return java.nio.ByteBuffer.allocate(ivOffset(version) + extra).put(new byte[] {'C', 'L', 'W', FORMAT_1})
        .put((byte) name.length).put(name).putInt(version.version().getAsInt()).array();
  }

  /** @return where the IV sits in a header of this version */
  static int ivOffset(KeyRef version) {
    return 5 + version.name().length() + 4;
  }

  /** @return the length of a format-2 header for this version and context */
  static int header2Length(KeyRef version, EncryptionContext context) {
    return ivOffset(version) + IV_LENGTH + KEYRING_ID_LENGTH + 2 + context.canonicalLength();
  }

  /**
   * @param kind {@link #ENVELOPE} or {@link #WRAPPED}
   * @throws KeyringException if the bytes are not of this kind or are cut short or malformed
   */
  static Header parse(byte[] data, byte kind, String what) {
    if (data.length < 10 || data[0] != 'C' || data[1] != 'L' || data[2] != kind) {
      throw new KeyringException("this is not a Clavis " + what + " (it does not start with 'CL"
          + (char) kind + "')");
    }
    if (data[3] != FORMAT_1 && data[3] != FORMAT_2) {
      throw new KeyringException("this Clavis " + what + " has format " + (data[3] & 0xFF) + "; this Clavis reads "
          + "formats 1 and 2: use a newer Clavis");
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
    int base = 5 + n + 4;
    if (data[3] == FORMAT_1) {
      return new Header(ref, FORMAT_1, base, null, EncryptionContext.empty(), kind == ENVELOPE ? base + IV_LENGTH : base);
    }
    int idAt = base + IV_LENGTH;
    int ctxAt = idAt + KEYRING_ID_LENGTH + 2;
    if (data.length < ctxAt) {
      throw new KeyringException("this Clavis " + what + " is truncated");
    }
    int c = ((data[ctxAt - 2] & 0xFF) << 8) | (data[ctxAt - 1] & 0xFF);
    if (data.length < ctxAt + c) {
      throw new KeyringException("this Clavis " + what + " is truncated in its encryption context");
    }
    EncryptionContext ctx;
    try {
      ctx = EncryptionContext.fromCanonical(data, ctxAt, c);
    } catch (IllegalArgumentException e) {
      throw new KeyringException("this Clavis " + what + " holds a malformed encryption context: " + e.getMessage());
    }
    return new Header(ref, FORMAT_2, base, Arrays.copyOfRange(data, idAt, idAt + KEYRING_ID_LENGTH), ctx, ctxAt + c);
  }
}
