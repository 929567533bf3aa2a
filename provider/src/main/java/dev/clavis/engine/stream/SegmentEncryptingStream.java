package dev.clavis.engine.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encrypts into a streaming envelope: writes the header, then one segment per {@code P} bytes.
 * A full segment is held back until more data arrives, because only {@link #close()} knows which
 * segment is the last; memory is two segment buffers whatever the input size. {@link #close()}
 * writes the final segment and closes the destination; a stream never closed is not a valid
 * envelope (it lacks its final segment), by design.
 */
public final class SegmentEncryptingStream extends OutputStream {

  private final OutputStream out;
  private final SegmentCipher cipher;
  private final int p;
  private final byte[] buffer;
  private final byte[] sealed;
  private int filled;
  private long index;
  private long plaintextBytes;
  private boolean closed;

  /**
   * @param out the ciphertext destination; closed by {@link #close()}
   * @param header the stream's header, written at once
   * @param cipher the stream's cipher; closed by {@link #close()}
   * @throws IOException if writing the header fails
   */
  public SegmentEncryptingStream(OutputStream out, StreamHeader header, SegmentCipher cipher) throws IOException {
    this.out = Objects.requireNonNull(out, "out");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.p = header.segmentSize();
    this.buffer = new byte[p];
    this.sealed = new byte[p + SegmentCipher.TAG_LENGTH];
    out.write(header.encode());
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("this encrypting stream is closed");
    }
    while (len > 0) {
      if (filled == p) {
        // more data follows, so the held segment is not the last
        emit(buffer, 0, p, false);
        filled = 0;
      }
      if (filled == 0 && len > p) {
        // whole segments straight from the caller's array while more follows them
        emit(b, off, p, false);
        off += p;
        len -= p;
        continue;
      }
      int n = Math.min(len, p - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  private void emit(byte[] in, int off, int len, boolean last) throws IOException {
    if (index >= SegmentCipher.MAX_SEGMENTS) {
      throw new IOException("a stream holds at most 2^32 segments of " + p + " bytes: split the input");
    }
    int n;
    try {
      n = cipher.seal(index, last, in, off, len, sealed, 0);
    } catch (GeneralSecurityException e) {
      throw new IOException("encrypting segment " + index + " failed in the JDK's AES-GCM", e);
    }
    out.write(sealed, 0, n);
    index++;
    plaintextBytes += len;
  }

  /** Passes buffered ciphertext on; the held plaintext segment stays until more data or close. */
  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** @return plaintext bytes taken so far */
  public long plaintextBytes() {
    return plaintextBytes + (closed ? 0 : filled);
  }

  /**
   * Writes the final segment (an empty input gives one empty final segment), closes the
   * destination and wipes the buffers and the stream key.
   *
   * @throws IOException if writing fails
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      emit(buffer, 0, filled, true);
      out.flush();
    } finally {
      Arrays.fill(buffer, (byte) 0);
      cipher.close();
      out.close();
    }
  }
}
