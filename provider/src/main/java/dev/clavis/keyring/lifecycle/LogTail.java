package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyringException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end of an audit log file, read backwards: the complete records from the one numbered
 * {@code fromSeq} (or the first record, if none is that low) to the last, and the bytes after the
 * last newline (a torn append: every append writes whole lines ending in a newline, so bytes
 * after the last newline were never a complete record). Reading stops as soon as it reaches
 * {@code fromSeq}, so a check at open costs a few kilobytes however long the log is.
 *
 * @param lines complete records, oldest first, without their newlines
 * @param completeEnd the file offset just after the last newline (0 if none)
 * @param size the file's size (0 if it does not exist)
 */
record LogTail(List<String> lines, long completeEnd, long size) {

  private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d{1,18})[,}]");

  LogTail {
    lines = List.copyOf(lines);
  }

  /** @return the number of bytes after the last complete record */
  long tornBytes() {
    return size - completeEnd;
  }

  /** @return the sequence number a record line claims (not authenticated), or -1 if it has none */
  static long seqOf(String line) {
    Matcher m = SEQ.matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * @param file the log; a missing file is an empty log
   * @param fromSeq the lowest record wanted
   * @throws KeyringException if the file cannot be read
   */
  static LogTail read(Path file, long fromSeq) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      int chunk = 4096;
      byte[] acc = new byte[0];
      long pos = size;
      while (true) {
        int n = (int) Math.min(chunk, pos);
        pos -= n;
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
          // fill the chunk
        }
        byte[] joined = new byte[n + acc.length];
        System.arraycopy(b.array(), 0, joined, 0, n);
        System.arraycopy(acc, 0, joined, n, acc.length);
        acc = joined;
        LogTail t = parse(acc, pos, size, fromSeq);
        if (t != null) {
          return t;
        }
        chunk = (int) Math.min((long) chunk * 2, 1 << 24);
      }
    } catch (NoSuchFileException e) {
      return new LogTail(List.of(), 0, 0);
    } catch (IOException e) {
      throw new KeyringException("cannot read the audit log " + file + ": " + e.getMessage(), e);
    }
  }

  /** @return the tail if {@code acc} (the file from offset {@code pos}) reaches back far enough, else null */
  private static LogTail parse(byte[] acc, long pos, long size, long fromSeq) {
    int lastNl = -1;
    for (int i = acc.length - 1; i >= 0; i--) {
      if (acc[i] == '\n') {
        lastNl = i;
        break;
      }
    }
    if (lastNl < 0) {
      return pos == 0 ? new LogTail(List.of(), 0, size) : null;
    }
    long completeEnd = pos + lastNl + 1;
    List<String> back = new ArrayList<>();
    int end = lastNl;
    for (int i = lastNl - 1; i >= -1; i--) {
      if (i >= 0 && acc[i] != '\n') {
        continue;
      }
      if (i < 0 && pos > 0) {
        return null; // the first line in the buffer may be cut: read further back
      }
      if (end > i + 1) { // skip empty lines
        String line = new String(acc, i + 1, end - i - 1, StandardCharsets.UTF_8);
        back.add(line);
        long s = seqOf(line);
        if (s >= 0 && s <= fromSeq) {
          break;
        }
      }
      end = i;
    }
    Collections.reverse(back);
    return new LogTail(back, completeEnd, size);
  }

  /** Truncates the file to {@code completeEnd}: drops a torn append. */
  static void dropTorn(Path file, long completeEnd) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(completeEnd);
      ch.force(false);
    } catch (IOException e) {
      throw new KeyringException("cannot repair the audit log " + file + ": " + e.getMessage(), e);
    }
  }
}
