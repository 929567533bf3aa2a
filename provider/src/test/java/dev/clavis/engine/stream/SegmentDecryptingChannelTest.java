package dev.clavis.engine.stream;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random-access reads of a stream: right bytes anywhere, size trusted only after the final segment verified. */
class SegmentDecryptingChannelTest {

  static final int P = 50;
  static final byte[] WRAPPED = {1, 2, 3};
  final byte[] dek = new byte[32];
  @TempDir Path dir;

  SegmentDecryptingChannelTest() {
    new SecureRandom().nextBytes(dek);
  }

  byte[] encrypt(byte[] data) throws Exception {
    StreamHeader h = StreamHeader.create(WRAPPED, P);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = new SegmentEncryptingStream(out, h, SegmentCipher.derive(dek, h, null))) {
      s.write(data);
    }
    return out.toByteArray();
  }

  SeekableByteChannel open(byte[] stream) throws Exception {
    Path f = Files.write(dir.resolve("s" + System.nanoTime()), stream);
    SeekableByteChannel ch = Files.newByteChannel(f);
    StreamHeader h = StreamHeader.read(new ByteArrayInputStream(stream));
    return new SegmentDecryptingChannel(ch, h, SegmentCipher.derive(dek, h, null));
  }

  @Test
  void randomReads_anywhere_returnThePlaintext() throws Exception {
    byte[] d = new byte[7 * P + 13];
    new Random(3).nextBytes(d);
    Random r = new Random(4);
    try (SeekableByteChannel c = open(encrypt(d))) {
      assertEquals(d.length, c.size());
      for (int i = 0; i < 200; i++) {
        int at = r.nextInt(d.length);
        int n = 1 + r.nextInt(3 * P);
        ByteBuffer b = ByteBuffer.allocate(n);
        c.position(at);
        int got = c.read(b);
        assertEquals(Math.min(n, d.length - at), got, "at " + at);
        assertArrayEquals(Arrays.copyOfRange(d, at, at + got), Arrays.copyOf(b.array(), got), "at " + at);
        assertEquals(at + got, c.position());
      }
      c.position(d.length);
      assertEquals(-1, c.read(ByteBuffer.allocate(1)));
    }
  }

  @Test
  void streamCutAtASegmentBoundary_failsSize_andReadsAtTheEnd() throws Exception {
    byte[] d = new byte[4 * P];
    byte[] s = encrypt(d);
    int header = s.length - 4 * (P + 16);
    byte[] cut = Arrays.copyOf(s, header + 2 * (P + 16));
    try (SeekableByteChannel c = open(cut)) {
      assertThrows(StreamIntegrityException.class, c::size);
      c.position(2 * P);
      assertThrows(StreamIntegrityException.class, () -> c.read(ByteBuffer.allocate(1)));
      c.position(P + 3);
      assertThrows(StreamIntegrityException.class, () -> c.read(ByteBuffer.allocate(1)), "segment 1 is not final");
      c.position(0);
      assertEquals(10, c.read(ByteBuffer.allocate(10)), "segment 0 is intact");
    }
  }

  @Test
  void flippedByte_failsOnlyReadsOfItsSegment() throws Exception {
    byte[] d = new byte[3 * P];
    new Random(5).nextBytes(d);
    byte[] s = encrypt(d);
    int header = s.length - 3 * (P + 16);
    s[header + (P + 16) + 5] ^= 1;
    try (SeekableByteChannel c = open(s)) {
      ByteBuffer b = ByteBuffer.allocate(P);
      c.position(P);
      assertThrows(StreamIntegrityException.class, () -> c.read(b));
      assertEquals(0, b.position(), "nothing of the segment was released");
      c.position(2 * P);
      ByteBuffer tail = ByteBuffer.allocate(P);
      assertEquals(P, c.read(tail));
      assertArrayEquals(Arrays.copyOfRange(d, 2 * P, 3 * P), tail.array());
    }
  }

  @Test
  void writes_areRefused_andAShortBodyIsRefusedAtOpen() throws Exception {
    byte[] s = encrypt(new byte[10]);
    try (SeekableByteChannel c = open(s)) {
      assertThrows(NonWritableChannelException.class, () -> c.write(ByteBuffer.allocate(1)));
      assertThrows(NonWritableChannelException.class, () -> c.truncate(0));
    }
    assertThrows(StreamIntegrityException.class, () -> open(Arrays.copyOf(s, s.length - 26 + 15)));
  }

  @Test
  void aFileThatGrowsWhileOpen_isRefusedAsChanged_notAnIndexError() throws Exception {
    byte[] d = new byte[3 * P + 7];
    new Random(5).nextBytes(d);
    byte[] stream = encrypt(d);
    Path f = Files.write(dir.resolve("grows"), stream);
    StreamHeader h = StreamHeader.read(new ByteArrayInputStream(stream));
    try (SeekableByteChannel c = new SegmentDecryptingChannel(Files.newByteChannel(f), h, SegmentCipher.derive(dek, h, null))) {
      Files.write(f, new byte[3 * P], java.nio.file.StandardOpenOption.APPEND);
      c.position(d.length - 1);
      StreamIntegrityException e = assertThrows(StreamIntegrityException.class, () -> c.read(ByteBuffer.allocate(1)));
      assertTrue(e.getMessage().contains("changed size"), e.getMessage());
    }
  }

  @Test
  void aFileThatShrinksWhileOpen_isRefusedAsChanged() throws Exception {
    byte[] d = new byte[3 * P + 7];
    new Random(6).nextBytes(d);
    byte[] stream = encrypt(d);
    Path f = Files.write(dir.resolve("shrinks"), stream);
    StreamHeader h = StreamHeader.read(new ByteArrayInputStream(stream));
    try (SeekableByteChannel c = new SegmentDecryptingChannel(Files.newByteChannel(f), h, SegmentCipher.derive(dek, h, null))) {
      try (java.nio.channels.FileChannel w = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
        w.truncate(stream.length - 5);
      }
      c.position(d.length - 1);
      StreamIntegrityException e = assertThrows(StreamIntegrityException.class, () -> c.read(ByteBuffer.allocate(1)));
      assertTrue(e.getMessage().contains("changed size"), e.getMessage());
    }
  }
}
