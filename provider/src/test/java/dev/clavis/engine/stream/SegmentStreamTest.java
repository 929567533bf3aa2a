package dev.clavis.engine.stream;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * The segmented streaming format (SegmentEncryptingStream, SegmentDecryptingStream, StreamHeader,
 * SegmentCipher) over a raw data key: every attack of the issue (truncation at each segment
 * boundary, swapped segments, splices, a flipped byte in each segment) fails, no plaintext of a
 * failing segment is released, and the bytes match an independent implementation of the
 * documented format ({@link IndependentStream}).
 */
class SegmentStreamTest {

  static final int P = 64;
  static final byte[] WRAPPED = "opaque wrapped data key".getBytes();
  final SecureRandom random = new SecureRandom();
  final byte[] dek = new byte[32];

  SegmentStreamTest() {
    random.nextBytes(dek);
  }

  byte[] data(int n) {
    byte[] d = new byte[n];
    new Random(n).nextBytes(d);
    return d;
  }

  byte[] encrypt(byte[] data, int p, byte[] aad) throws Exception {
    StreamHeader h = StreamHeader.create(WRAPPED, p);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = new SegmentEncryptingStream(out, h, SegmentCipher.derive(dek, h, aad))) {
      s.write(data);
    }
    return out.toByteArray();
  }

  InputStream decrypting(byte[] stream, byte[] aad) throws Exception {
    InputStream in = new ByteArrayInputStream(stream);
    StreamHeader h = StreamHeader.read(in);
    return new SegmentDecryptingStream(in, h, SegmentCipher.derive(dek, h, aad));
  }

  byte[] decrypt(byte[] stream, byte[] aad) throws Exception {
    try (InputStream in = decrypting(stream, aad)) {
      return in.readAllBytes();
    }
  }

  /** Reads in small chunks until the failure; returns what was released before it. */
  byte[] releasedBeforeFailure(byte[] stream) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (InputStream in = decrypting(stream, null)) {
      byte[] b = new byte[7];
      int n;
      while ((n = in.read(b)) >= 0) {
        got.write(b, 0, n);
      }
    } catch (StreamIntegrityException expected) {
      return got.toByteArray();
    }
    throw new AssertionError("the altered stream decrypted to " + got.size() + " bytes without an error");
  }

  int headerLength() {
    return 4 + 2 + WRAPPED.length + 4 + 32 + 7;
  }

  @Test
  void emptyInput_isOneEmptyFinalSegment_andDecryptsToNothing() throws Exception {
    byte[] s = encrypt(new byte[0], P, null);
    assertEquals(headerLength() + 16, s.length);
    assertArrayEquals(new byte[0], decrypt(s, null));
    assertArrayEquals(new byte[0], IndependentStream.decrypt(s, dek, null));
  }

  @Test
  void exactlyOneSegment_isOneFullFinalSegment() throws Exception {
    byte[] d = data(P);
    byte[] s = encrypt(d, P, null);
    assertEquals(headerLength() + P + 16, s.length);
    assertArrayEquals(d, decrypt(s, null));
  }

  @Test
  void exactlyNSegments_haveNoEmptyTrailingSegment() throws Exception {
    byte[] d = data(5 * P);
    byte[] s = encrypt(d, P, null);
    assertEquals(headerLength() + 5 * (P + 16), s.length);
    assertArrayEquals(d, decrypt(s, null));
    assertArrayEquals(d, IndependentStream.decrypt(s, dek, null));
  }

  @Test
  void truncation_atEverySegmentBoundary_isDetected() throws Exception {
    for (int len : new int[] {5 * P, 5 * P + 9}) {
      byte[] s = encrypt(data(len), P, null);
      int segments = (len + P - 1) / P;
      for (int k = 0; k < segments; k++) {
        byte[] cut = Arrays.copyOf(s, headerLength() + k * (P + 16));
        byte[] released = releasedBeforeFailure(cut);
        assertEquals(Math.max(0, k - 1) * P, released.length, "cut after " + k + " segments of " + len);
      }
    }
  }

  @Test
  void truncation_atEveryByte_isDetected() throws Exception {
    byte[] s = encrypt(data(3 * P + 5), P, null);
    for (int at = headerLength(); at < s.length; at++) {
      byte[] cut = Arrays.copyOf(s, at);
      assertThrows(StreamIntegrityException.class, () -> decrypt(cut, null), "cut at " + at);
    }
  }

  @Test
  void truncation_atABoundary_saysTheStreamIsCutShort() throws Exception {
    byte[] s = encrypt(data(3 * P), P, null);
    byte[] cut = Arrays.copyOf(s, headerLength() + 2 * (P + 16));
    StreamIntegrityException e = assertThrows(StreamIntegrityException.class, () -> decrypt(cut, null));
    assertTrue(e.getMessage().contains("segment 1") && e.getMessage().contains("cut short"), e.getMessage());
  }

  @Test
  void segmentSwap_isDetected_beforeTheSwappedSegmentIsReleased() throws Exception {
    byte[] s = encrypt(data(4 * P), P, null);
    int a = headerLength() + (P + 16);
    byte[] swapped = s.clone();
    System.arraycopy(s, a + (P + 16), swapped, a, P + 16);
    System.arraycopy(s, a, swapped, a + (P + 16), P + 16);
    assertEquals(P, releasedBeforeFailure(swapped).length);
  }

  @Test
  void splice_ofTwoStreamsUnderOneDataKey_isDetected() throws Exception {
    byte[] d = data(4 * P);
    byte[] x = encrypt(d, P, null);
    byte[] y = encrypt(d, P, null);
    int cut = headerLength() + 2 * (P + 16);
    byte[] spliced = Arrays.copyOf(x, x.length);
    System.arraycopy(y, cut, spliced, cut, y.length - cut);
    assertEquals(2 * P, releasedBeforeFailure(spliced).length);
    // and the other way: y's header and first segments, x's tail
    byte[] other = Arrays.copyOf(y, y.length);
    System.arraycopy(x, cut, other, cut, x.length - cut);
    assertThrows(StreamIntegrityException.class, () -> decrypt(other, null));
  }

  @Test
  void flippedByte_inEachSegment_isDetected_andNothingOfThatSegmentIsReleased() throws Exception {
    int len = 4 * P + 10;
    byte[] d = data(len);
    byte[] s = encrypt(d, P, null);
    for (int seg = 0; seg < 5; seg++) {
      int start = headerLength() + seg * (P + 16);
      int segLen = seg < 4 ? P + 16 : 10 + 16;
      for (int at : new int[] {start, start + segLen / 2, start + segLen - 1}) {
        byte[] bad = s.clone();
        bad[at] ^= 0x01;
        byte[] released = releasedBeforeFailure(bad);
        assertEquals(seg * P, released.length, "segment " + seg + " byte " + at);
        assertArrayEquals(Arrays.copyOf(d, seg * P), released);
      }
    }
  }

  @Test
  void flippedByte_inTheHeaderFieldsBoundByTheKey_isDetected() throws Exception {
    byte[] s = encrypt(data(2 * P), P, null);
    int saltAt = 6 + WRAPPED.length + 4;
    for (int at : new int[] {saltAt, saltAt + 31, saltAt + 32, saltAt + 38}) {
      byte[] bad = s.clone();
      bad[at] ^= 0x40;
      assertThrows(StreamIntegrityException.class, () -> decrypt(bad, null), "header byte " + at);
    }
    byte[] otherSize = s.clone();
    otherSize[saltAt - 1] = (byte) (P + 16); // P = 80
    assertThrows(StreamIntegrityException.class, () -> decrypt(otherSize, null));
  }

  @Test
  void appendedBytes_afterTheFinalSegment_areDetected() throws Exception {
    byte[] s = encrypt(data(2 * P), P, null);
    byte[] longer = Arrays.copyOf(s, s.length + 16);
    StreamIntegrityException e = assertThrows(StreamIntegrityException.class, () -> decrypt(longer, null));
    assertTrue(e.getMessage().contains("more data follows"), e.getMessage());
    byte[] twice = Arrays.copyOf(s, s.length + s.length - headerLength());
    System.arraycopy(s, headerLength(), twice, s.length, s.length - headerLength());
    assertThrows(StreamIntegrityException.class, () -> decrypt(twice, null));
  }

  @Test
  void otherAssociatedData_failsTheFirstSegment() throws Exception {
    byte[] s = encrypt(data(10), P, "order-17".getBytes());
    assertArrayEquals(data(10), decrypt(s, "order-17".getBytes()));
    assertThrows(StreamIntegrityException.class, () -> decrypt(s, "order-18".getBytes()));
    assertThrows(StreamIntegrityException.class, () -> decrypt(s, null));
  }

  @Test
  void readingOn_afterAnIntegrityFailure_keepsFailing_neverEnds() throws Exception {
    byte[] s = encrypt(data(3 * P), P, null);
    s[s.length - 1] ^= 1;
    InputStream in = decrypting(s, null);
    assertEquals(2 * P, in.readNBytes(2 * P).length);
    assertThrows(StreamIntegrityException.class, in::read);
    assertThrows(StreamIntegrityException.class, in::read);
  }

  @Test
  void randomSizes_matchAnIndependentImplementation_bothWays() throws Exception {
    Random r = new Random(14);
    for (int i = 0; i < 40; i++) {
      int p = 16 + r.nextInt(300);
      int len = r.nextInt(8 * p);
      byte[] d = data(len);
      byte[] aad = r.nextBoolean() ? null : ("aad " + i).getBytes();
      byte[] s = encrypt(d, p, aad);
      assertArrayEquals(d, IndependentStream.decrypt(s, dek, aad), "ours → independent, p=" + p + " len=" + len);
      StreamHeader h = StreamHeader.read(new ByteArrayInputStream(s));
      byte[] theirs = IndependentStream.encrypt(d, dek, WRAPPED, p, h.salt(), h.noncePrefix(), aad);
      assertArrayEquals(s, theirs, "same bytes for the same header, p=" + p + " len=" + len);
      assertArrayEquals(d, decrypt(theirs, aad), "independent → ours, p=" + p + " len=" + len);
    }
  }

  @Test
  void independentDecryption_refusesATruncatedStreamToo() throws Exception {
    byte[] s = encrypt(data(3 * P), P, null);
    byte[] cut = Arrays.copyOf(s, headerLength() + 2 * (P + 16));
    assertThrows(AEADBadTagException.class, () -> IndependentStream.decrypt(cut, dek, null));
  }

  @Test
  void byteByByteWrites_giveTheSameStreamAsOneWrite() throws Exception {
    byte[] d = data(3 * P + 1);
    StreamHeader h = StreamHeader.create(WRAPPED, P);
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    try (OutputStream s = new SegmentEncryptingStream(one, h, SegmentCipher.derive(dek, h, null))) {
      s.write(d);
    }
    ByteArrayOutputStream many = new ByteArrayOutputStream();
    try (OutputStream s = new SegmentEncryptingStream(many, h, SegmentCipher.derive(dek, h, null))) {
      for (byte b : d) {
        s.write(b);
      }
    }
    assertArrayEquals(one.toByteArray(), many.toByteArray());
  }

  @Test
  void header_ofAnotherKindOrFormat_orOutOfRange_isRefusedBeforeAllocating() {
    assertThrows(StreamHeader.StreamFormatException.class, () -> StreamHeader.read(new ByteArrayInputStream("CLV\1xx".getBytes())));
    assertThrows(StreamHeader.StreamFormatException.class, () -> StreamHeader.read(new ByteArrayInputStream(new byte[] {'C', 'L', 'S', 2, 0, 1, 0})));
    byte[] huge = ByteBuffer.allocate(6 + 1 + 4 + 39).put(new byte[] {'C', 'L', 'S', 1, 0, 1, 9}).putInt(Integer.MAX_VALUE).array();
    assertThrows(StreamHeader.StreamFormatException.class, () -> StreamHeader.read(new ByteArrayInputStream(huge)));
    assertThrows(StreamHeader.StreamFormatException.class, () -> StreamHeader.read(new ByteArrayInputStream(new byte[] {'C', 'L', 'S', 1, 0})));
    assertThrows(IllegalArgumentException.class, () -> StreamHeader.create(WRAPPED, 15));
    assertThrows(IllegalArgumentException.class, () -> StreamHeader.create(WRAPPED, StreamHeader.MAX_SEGMENT + 1));
  }

  @Test
  void hkdf_matchesRfc5869TestCase1_truncatedToOneBlock() throws Exception {
    // RFC 5869 A.1: IKM 22×0x0b, salt 000102..0c, info f0..f9; OKM's first 32 bytes
    byte[] ikm = new byte[22];
    Arrays.fill(ikm, (byte) 0x0b);
    byte[] salt = java.util.HexFormat.of().parseHex("000102030405060708090a0b0c");
    byte[] info = java.util.HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9");
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
        java.util.HexFormat.of().formatHex(SegmentCipher.hkdfSha256(salt, ikm, info)));
  }

  @Test
  void closedStreams_refuseUse() throws Exception {
    StreamHeader h = StreamHeader.create(WRAPPED, P);
    OutputStream s = new SegmentEncryptingStream(new ByteArrayOutputStream(), h, SegmentCipher.derive(dek, h, null));
    s.close();
    s.close();
    assertThrows(IOException.class, () -> s.write(1));
    InputStream in = decrypting(encrypt(data(1), P, null), null);
    in.close();
    assertThrows(IOException.class, in::read);
  }
}
