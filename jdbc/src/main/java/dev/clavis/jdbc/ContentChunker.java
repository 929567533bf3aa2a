package dev.clavis.jdbc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Content-defined chunking (a gear rolling hash, as FastCDC): cuts a document where the hash of the
 * bytes just before meets a mask, so a change inside a document moves only the cuts near it and every
 * other chunk keeps its bytes (and its id). The gear table is derived from the keyring's master key
 * ({@link DbKeys#chunkGear()}), so where the cuts fall, and hence the chunks' lengths, say nothing of
 * the content to someone who reads the rows but does not hold the key.
 *
 * <p>Chunks are at least {@value #MIN} bytes (the last one may be shorter), {@value #MAX} at most, and
 * about {@value #MIN} + 8 KiB on average.
 */
final class ContentChunker {

  /** No cut before this many bytes of a chunk. */
  static final int MIN = 2 * 1024;

  /** A cut at this length whatever the hash says. */
  static final int MAX = 64 * 1024;

  /**
   * 13 of the hash's top bits, which depend on the last 52 to 64 bytes (a bit k places from the
   * bottom depends on the last k + 1): a cut about every 8 KiB after {@link #MIN}.
   */
  private static final long MASK = ((1L << 13) - 1) << 51;

  private final long[] gear;

  /** @param gear 256 values, one per byte value */
  ContentChunker(long[] gear) {
    if (gear.length != 256) {
      throw new IllegalArgumentException("a gear table has 256 entries, not " + gear.length);
    }
    this.gear = gear.clone();
  }

  /** Zeroes the gear table: the chunker cuts no more. */
  void wipe() {
    Arrays.fill(gear, 0);
  }

  /**
   * @param doc the document
   * @return the end offset (exclusive) of each chunk, in order; empty for an empty document
   */
  int[] cuts(byte[] doc) {
    List<Integer> out = new ArrayList<>(doc.length / (MIN + 8192) + 2);
    int start = 0;
    while (start < doc.length) {
      int end = cut(doc, start);
      out.add(end);
      start = end;
    }
    int[] cuts = new int[out.size()];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = out.get(i);
    }
    return cuts;
  }

  private int cut(byte[] doc, int start) {
    int limit = Math.min(doc.length, start + MAX);
    int i = start + MIN;
    if (i >= limit) {
      return limit;
    }
    long h = 0;
    // the hash is a function of the last 64 bytes (older ones are shifted out): warm it up on the
    // 64 before MIN, so a cut depends on the content around it, never on where the chunk began
    for (int j = Math.max(start, i - 64); j < i; j++) {
      h = (h << 1) + gear[doc[j] & 0xFF];
    }
    for (; i < limit; i++) {
      h = (h << 1) + gear[doc[i] & 0xFF];
      if ((h & MASK) == 0) {
        return i + 1;
      }
    }
    return limit;
  }
}
