package dev.clavis.engine.argon2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

class Blake2bTest {

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] digest(int length, byte[] input) {
    byte[] out = new byte[length];
    new Blake2b().init(length).update(input).doFinal(out, 0);
    return out;
  }

  @Test
  void digest_rfc7693AppendixA_abc() {
    assertEquals(
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
        HEX.formatHex(digest(64, "abc".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void digest_emptyInput_matchesKnownValue() {
    assertEquals(
        "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
            + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce",
        HEX.formatHex(digest(64, new byte[0])));
  }

  @Test
  void digest_randomLengthsAndSplits_matchBouncyCastle() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 300; n++) {
      byte[] input = new byte[random.nextInt(0, 700)];
      random.nextBytes(input);
      int length = random.nextInt(1, 65);
      Blake2bDigest bc = new Blake2bDigest(length * 8);
      bc.update(input, 0, input.length);
      byte[] expected = new byte[length];
      bc.doFinal(expected, 0);

      // Feed the input in random pieces to exercise the buffering at block boundaries.
      Blake2b ours = new Blake2b().init(length);
      int off = 0;
      while (off < input.length) {
        int piece = random.nextInt(0, input.length - off + 1);
        ours.update(input, off, piece);
        off += piece;
      }
      byte[] actual = new byte[length];
      ours.doFinal(actual, 0);
      assertArrayEquals(expected, actual, "input length " + input.length + ", digest length " + length);
    }
  }

  @Test
  void init_digestLengthZeroOr65_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> new Blake2b().init(0));
    assertThrows(IllegalArgumentException.class, () -> new Blake2b().init(65));
  }
}
