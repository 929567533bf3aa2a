package dev.clavis.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the key version an envelope names, for the notes the data commands print. Display only:
 * the engine authenticates the header (it is GCM associated data) when it decrypts.
 *
 * <pre>
 * envelope    = "CLV" 0x01|0x02 | u8 n | name (n bytes, ASCII) | u32 version | ...
 * wrapped DEK = "CLW" 0x01|0x02 | u8 n | name (n bytes) | u32 version | ...
 * stream      = "CLS" 0x01 | u16 w | wrapped DEK (w bytes) | ...
 * </pre>
 */
final class Envelopes {

  private Envelopes() {}

  /** @return whether the first bytes are those of a streaming envelope */
  static boolean isStream(byte[] head) {
    return head.length >= 4 && head[0] == 'C' && head[1] == 'L' && head[2] == 'S' && head[3] == 1;
  }

  /** @return {@code name#version} named in the header, or a neutral phrase when it cannot be read */
  static String describe(byte[] envelope) {
    if (isStream(envelope) && envelope.length > 6) {
      return describe(Arrays.copyOfRange(envelope, 6, envelope.length));
    }
    if (envelope.length < 10 || envelope[0] != 'C' || envelope[1] != 'L' || (envelope[2] != 'V' && envelope[2] != 'W')) {
      return "an unrecognised envelope";
    }
    int n = envelope[4] & 0xFF;
    if (envelope.length < 5 + n + 4) {
      return "an unrecognised envelope";
    }
    String name = new String(envelope, 5, n, StandardCharsets.US_ASCII);
    int version = ByteBuffer.wrap(envelope, 5 + n, 4).getInt();
    return name + "#" + version;
  }
}
