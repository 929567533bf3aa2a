package dev.clavis.engine.stream;

import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;

/**
 * Decrypts the segments after a stream's header. A segment's plaintext is handed out only after
 * its tag verified; the end of the data is accepted only after a segment flagged final verified
 * and nothing follows it. Memory is two segment buffers whatever the input size.
 *
 * <p>A failure is a {@link StreamIntegrityException} naming the segment and, where it can tell,
 * what happened (cut short at a segment boundary, data after the final segment). Plaintext of
 * earlier segments was already returned by then: a consumer that must not act on a partial
 * stream waits for the end of it ({@code -1}) before committing, as with any streaming AEAD.
 */
public final class SegmentDecryptingStream extends InputStream {

  private final InputStream in;
  private final SegmentCipher cipher;
  private final int p;
  private final byte[] sealed;
  private final byte[] plain;
  private int lookahead = -1;
  private int pos;
  private int limit;
  private long index;
  private boolean done;
  private boolean closed;
  private String failure;

  /**
   * @param in the ciphertext, positioned after the header; closed by {@link #close()}
   * @param header the header read from it
   * @param cipher the stream's cipher; closed by {@link #close()}
   */
  public SegmentDecryptingStream(InputStream in, StreamHeader header, SegmentCipher cipher) {
    this.in = Objects.requireNonNull(in, "in");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.p = header.segmentSize();
    this.sealed = new byte[p + SegmentCipher.TAG_LENGTH];
    this.plain = new byte[p];
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("this decrypting stream is closed");
    }
    if (failure != null) {
      // fail closed: a caller that goes on reading after an integrity failure never sees an end
      throw new StreamIntegrityException(failure);
    }
    if (len == 0) {
      return 0;
    }
    while (pos == limit) {
      if (done) {
        return -1;
      }
      nextSegment();
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(plain, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return limit - pos;
  }

  private void nextSegment() throws IOException {
    int got = 0;
    if (lookahead >= 0) {
      sealed[got++] = (byte) lookahead;
      lookahead = -1;
    }
    got += in.readNBytes(sealed, got, sealed.length - got);
    boolean last;
    if (got == sealed.length) {
      // a full segment is the last one only if nothing follows it
      lookahead = in.read();
      last = lookahead < 0;
    } else {
      last = true;
    }
    if (got < SegmentCipher.TAG_LENGTH) {
      throw new StreamIntegrityException("the stream is cut short: segment " + index + " has " + got
          + " bytes, less than its tag; the data is incomplete");
    }
    try {
      limit = cipher.open(index, last, sealed, 0, got, plain, 0);
      pos = 0;
    } catch (AEADBadTagException e) {
      failure = diagnose(got, last);
      throw new StreamIntegrityException(failure);
    } catch (GeneralSecurityException e) {
      throw new IOException("decrypting segment " + index + " failed in the JDK's AES-GCM", e);
    }
    index++;
    done = last;
  }

  /** Tells a cut or extended stream from other tampering by trying the other final flag (nothing is released). */
  private String diagnose(int got, boolean last) {
    String base = "segment " + index + " of the stream failed its integrity check: ";
    try {
      cipher.open(index, !last, sealed, 0, got, new byte[p], 0);
      return base + (last
          ? "the stream is cut short after it (it is not the final segment); the data is incomplete"
          : "it is the final segment but more data follows (appended or spliced data)");
    } catch (GeneralSecurityException e) {
      return base + "it was altered, moved, or comes from another stream, or the associated data differs";
    }
  }

  /** Closes the ciphertext source and wipes the buffers and the stream key. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    Arrays.fill(plain, (byte) 0);
    cipher.close();
    in.close();
  }
}
