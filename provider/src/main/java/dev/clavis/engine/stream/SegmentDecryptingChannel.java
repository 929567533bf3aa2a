package dev.clavis.engine.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * Random-access reads of a streaming envelope: {@link #position(long)} anywhere in the
 * plaintext, and each read decrypts (and authenticates) only the segment it needs. Read-only.
 *
 * <p>The plaintext size follows from the ciphertext size; it is trusted only after the last
 * segment verified with its final flag, which {@link #size()} and any read at or past the end
 * check first, so a stream cut at a segment boundary is never taken for a shorter one.
 */
public final class SegmentDecryptingChannel implements SeekableByteChannel {

  private final SeekableByteChannel in;
  private final SegmentCipher cipher;
  private final long headerLength;
  private final int p;
  private final long segments;
  private final long plaintextSize;
  private final byte[] sealed;
  private final byte[] plain;
  private long cached = -1;
  private int cachedLength;
  private boolean lastVerified;
  private long position;
  private final long streamSize;
  private final int lastLength;
  private boolean open = true;

  /**
   * @param in the whole ciphertext channel (header included); closed by {@link #close()}
   * @param header the header read from its start
   * @param cipher the stream's cipher; closed by {@link #close()}
   * @throws IOException if the channel's size cannot be read
   * @throws StreamIntegrityException if the size cannot be that of a stream with this header
   */
  public SegmentDecryptingChannel(SeekableByteChannel in, StreamHeader header, SegmentCipher cipher) throws IOException {
    this.in = Objects.requireNonNull(in, "in");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.headerLength = header.length();
    this.p = header.segmentSize();
    long body = in.size() - headerLength;
    long full = p + (long) SegmentCipher.TAG_LENGTH;
    // every segment but the last is full; the last holds at least its tag
    long n = body <= 0 ? 0 : (body + full - 1) / full;
    long lastLen = body - (n - 1) * full;
    if (n == 0 || lastLen < SegmentCipher.TAG_LENGTH || n > SegmentCipher.MAX_SEGMENTS) {
      throw new StreamIntegrityException("the stream is cut short or malformed: " + Math.max(body, 0)
          + " bytes after the header cannot hold its segments");
    }
    this.segments = n;
    this.streamSize = in.size();
    this.lastLength = (int) lastLen;
    this.plaintextSize = body - n * SegmentCipher.TAG_LENGTH;
    this.sealed = new byte[(int) full];
    this.plain = new byte[p];
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (!dst.hasRemaining()) {
      return 0;
    }
    if (position >= plaintextSize) {
      verifyLast();
      return -1;
    }
    int total = 0;
    while (dst.hasRemaining() && position < plaintextSize) {
      long seg = position / p;
      load(seg);
      int at = (int) (position - seg * p);
      int n = Math.min(dst.remaining(), cachedLength - at);
      dst.put(plain, at, n);
      position += n;
      total += n;
    }
    return total;
  }

  private void verifyLast() throws IOException {
    if (!lastVerified) {
      load(segments - 1);
    }
  }

  private void load(long seg) throws IOException {
    if (seg == cached) {
      return;
    }
    boolean last = seg == segments - 1;
    long full = p + (long) SegmentCipher.TAG_LENGTH;
    long at = headerLength + seg * full;
    // the segment layout was fixed from the size at open: a file that grew or shrank since is
    // another stream now (a last segment read at a new length would overrun the buffer)
    if (in.size() != streamSize) {
      throw new StreamIntegrityException("the stream changed size while it was read (" + streamSize + " bytes at open, "
          + in.size() + " now)");
    }
    int len = last ? lastLength : (int) full;
    ByteBuffer b = ByteBuffer.wrap(sealed, 0, len);
    in.position(at);
    while (b.hasRemaining()) {
      if (in.read(b) < 0) {
        throw new StreamIntegrityException("the stream changed size while it was read (segment " + seg + ")");
      }
    }
    cached = -1;
    try {
      cachedLength = cipher.open(seg, last, sealed, 0, len, plain, 0);
    } catch (AEADBadTagException e) {
      throw new StreamIntegrityException("segment " + seg + " of the stream failed its integrity check: it was"
          + " altered, moved, cut, or comes from another stream, or the associated data differs");
    } catch (GeneralSecurityException e) {
      throw new IOException("decrypting segment " + seg + " failed in the JDK's AES-GCM", e);
    }
    cached = seg;
    lastVerified |= last;
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SegmentDecryptingChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  /**
   * @return the plaintext size, after the last segment verified
   * @throws StreamIntegrityException if the last segment fails (the stream was cut or altered)
   */
  @Override
  public long size() throws IOException {
    ensureOpen();
    verifyLast();
    return plaintextSize;
  }

  /** @throws NonWritableChannelException always: the channel is read-only */
  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  /** @throws NonWritableChannelException always: the channel is read-only */
  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Closes the ciphertext channel and wipes the buffer and the stream key. */
  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    Arrays.fill(plain, (byte) 0);
    cached = -1;
    cipher.close();
    in.close();
  }

  private void ensureOpen() throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
