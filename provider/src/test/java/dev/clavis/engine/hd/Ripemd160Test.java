package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.junit.jupiter.api.Test;

/** RIPEMD-160 against the authors' test vectors and, on random inputs, Bouncy Castle's. */
class Ripemd160Test {

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String ascii(String s) {
    return hex(Ripemd160.digest(s.getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] bc(byte[] data) {
    RIPEMD160Digest d = new RIPEMD160Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[20];
    d.doFinal(out, 0);
    return out;
  }

  /** The vectors of https://homes.esat.kuleuven.be/~bosselae/ripemd160.html. */
  @Test
  void digest_officialVectors() {
    assertEquals("9c1185a5c5e9fc54612808977ee8f548b2258d31", ascii(""));
    assertEquals("0bdc9d2d256b3ee9daae347be6f4dc835a467ffe", ascii("a"));
    assertEquals("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc", ascii("abc"));
    assertEquals("5d0689ef49d2fae572b881b123a85ffa21595f36", ascii("message digest"));
    assertEquals("f71c27109c692c1b56bbdceb5b9d2865b3708dbc", ascii("abcdefghijklmnopqrstuvwxyz"));
    assertEquals("12a053384a9c0c88e405a06c27dcf49ada62eb2b",
        ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    assertEquals("b0e20b6e3116640286ed3a87a5713079b21f5189",
        ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"));
    assertEquals("9b752e45573d4b39f4dbd3323cab82bf63326bfb", ascii("1234567890".repeat(8)));
  }

  @Test
  void digest_oneMillionA_officialVector() {
    byte[] a = new byte[1_000_000];
    Arrays.fill(a, (byte) 'a');
    assertEquals("52783243c1697bdbe16d37f97f68f08325dc1528", hex(Ripemd160.digest(a)));
    // the same fed in uneven pieces across block boundaries
    Ripemd160 d = new Ripemd160();
    int off = 0;
    for (int piece = 1; off < a.length; piece = piece * 3 % 1000 + 1) {
      int n = Math.min(piece, a.length - off);
      d.update(a, off, n);
      off += n;
    }
    assertEquals("52783243c1697bdbe16d37f97f68f08325dc1528", hex(d.digest()));
  }

  /** Every length up to five blocks (all padding cases) and longer random ones. */
  @Test
  void digest_randomInputs_matchBouncyCastle() {
    SecureRandom rnd = new SecureRandom();
    for (int len = 0; len <= 320; len++) {
      byte[] data = new byte[len];
      rnd.nextBytes(data);
      assertArrayEquals(bc(data), Ripemd160.digest(data), "length " + len);
    }
    for (int i = 0; i < 50; i++) {
      byte[] data = new byte[rnd.nextInt(10_000)];
      rnd.nextBytes(data);
      assertArrayEquals(bc(data), Ripemd160.digest(data), "length " + data.length);
    }
  }

  @Test
  void digest_resetsForTheNextMessage() {
    Ripemd160 d = new Ripemd160();
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    d.update(abc, 0, 3);
    d.digest();
    d.update(abc, 0, 3);
    assertEquals("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc", hex(d.digest()));
  }

  @Test
  void update_rangeOutsideTheArray_throws() {
    Ripemd160 d = new Ripemd160();
    assertThrows(IndexOutOfBoundsException.class, () -> d.update(new byte[4], 2, 3));
  }

  @Test
  void hash160_isRipemd160OfSha256() throws Exception {
    byte[] data = "clavis".getBytes(StandardCharsets.US_ASCII);
    byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(data);
    assertArrayEquals(bc(sha), Hash160.hash(data));
  }
}
