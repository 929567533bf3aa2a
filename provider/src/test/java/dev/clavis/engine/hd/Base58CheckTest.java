package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base58CheckTest {

  @Test
  void encodeRaw_knownValues_matchBitcoinCore() {
    // Bitcoin Core src/test/data/base58_encode_decode.json
    assertEquals("", Base58Check.encodeRaw(new byte[0]));
    assertEquals("1112", Base58Check.encodeRaw(HexFormat.of().parseHex("00000001")));
    assertEquals("2g", Base58Check.encodeRaw(HexFormat.of().parseHex("61")));
    assertEquals("a3gV", Base58Check.encodeRaw(HexFormat.of().parseHex("626262")));
    assertEquals("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",
        Base58Check.encodeRaw(HexFormat.of().parseHex("00eb15231dfceb60925886b67d065299925915aeb172c06647")));
  }

  @Test
  void decodeEncode_randomPayloads_roundTrip() {
    Random r = new Random(5);
    for (int i = 0; i < 500; i++) {
      byte[] p = new byte[r.nextInt(90)];
      r.nextBytes(p);
      if (p.length > 0 && r.nextBoolean()) {
        p[0] = 0; // leading zeros become '1'
      }
      assertArrayEquals(p, Base58Check.decode(Base58Check.encode(p)), "payload " + i);
    }
  }

  @Test
  void decode_flippedCharacter_throwsChecksum() {
    String s = Base58Check.encode(new byte[] {1, 2, 3, 4, 5});
    char c = s.charAt(s.length() - 1);
    String bad = s.substring(0, s.length() - 1) + (c == 'z' ? 'y' : 'z');
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base58Check.decode(bad));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void decode_invalidCharacter_namesPosition() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base58Check.decode("abc0def"));
    assertTrue(e.getMessage().contains("position 3"), e.getMessage());
  }

  @Test
  void decode_tooShort_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base58Check.decode("1"));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }
}
