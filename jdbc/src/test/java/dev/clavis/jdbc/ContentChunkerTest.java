package dev.clavis.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Content-defined cuts: within bounds, deterministic, and moved only near a change. */
class ContentChunkerTest {

  private static final Random SEEDED = new Random(20261207);

  private static long[] gear(long seed) {
    Random r = new Random(seed);
    long[] g = new long[256];
    for (int i = 0; i < g.length; i++) {
      g[i] = r.nextLong();
    }
    return g;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    SEEDED.nextBytes(b);
    return b;
  }

  private static Set<ByteBuffer> chunks(ContentChunker c, byte[] doc) {
    Set<ByteBuffer> out = new HashSet<>();
    int start = 0;
    for (int end : c.cuts(doc)) {
      out.add(ByteBuffer.wrap(Arrays.copyOfRange(doc, start, end)));
      start = end;
    }
    return out;
  }

  @Test
  void cutsCoverTheDocumentWithinTheBounds() {
    ContentChunker c = new ContentChunker(gear(1));
    byte[] doc = random(1 << 20);
    int[] cuts = c.cuts(doc);
    assertEquals(doc.length, cuts[cuts.length - 1]);
    int start = 0;
    for (int i = 0; i < cuts.length; i++) {
      int len = cuts[i] - start;
      assertTrue(len <= ContentChunker.MAX, "chunk " + i + " is " + len);
      assertTrue(len >= ContentChunker.MIN || i == cuts.length - 1, "chunk " + i + " is " + len);
      start = cuts[i];
    }
    // about 10 KiB on average: between 60 and 200 chunks for 1 MiB
    assertTrue(cuts.length > 60 && cuts.length < 200, cuts.length + " chunks");
    assertArrayEquals(cuts, c.cuts(doc.clone()), "the same content, the same cuts");
    assertEquals(0, c.cuts(new byte[0]).length);
    assertArrayEquals(new int[] {100}, c.cuts(new byte[100]));
  }

  @Test
  void anEditMovesOnlyTheCutsNearIt() {
    ContentChunker c = new ContentChunker(gear(2));
    byte[] doc = random(1 << 20);
    Set<ByteBuffer> before = chunks(c, doc);
    for (int round = 0; round < 20; round++) {
      int at = SEEDED.nextInt(doc.length);
      byte[] inserted = random(1 + SEEDED.nextInt(200));
      byte[] edited = new byte[doc.length + inserted.length];
      System.arraycopy(doc, 0, edited, 0, at);
      System.arraycopy(inserted, 0, edited, at, inserted.length);
      System.arraycopy(doc, at, edited, at + inserted.length, doc.length - at);
      Set<ByteBuffer> after = chunks(c, edited);
      Set<ByteBuffer> fresh = new HashSet<>(after);
      fresh.removeAll(before);
      assertTrue(fresh.size() <= 3, "an insert of " + inserted.length + " bytes at " + at + " made " + fresh.size()
          + " new chunks of " + after.size());
    }
  }

  @Test
  void whereTheCutsFallDependsOnTheGear() {
    byte[] doc = random(1 << 18);
    assertFalse(Arrays.equals(new ContentChunker(gear(3)).cuts(doc), new ContentChunker(gear(4)).cuts(doc)));
  }

  @Test
  void aRepetitiveDocumentIsStillCutAtMax() {
    byte[] zeros = new byte[3 * ContentChunker.MAX + 5];
    int[] cuts = new ContentChunker(gear(5)).cuts(zeros);
    for (int i = 1; i < cuts.length; i++) {
      assertTrue(cuts[i] - cuts[i - 1] <= ContentChunker.MAX);
    }
    assertEquals(zeros.length, cuts[cuts.length - 1]);
  }

  @Test
  void aGearTableHas256Entries() {
    assertThrows(IllegalArgumentException.class, () -> new ContentChunker(new long[255]));
  }

  @Test
  void listsRoundTripAndAreRecognised() {
    List<HeadChunks.Chunk> chunks = List.of(
        new HeadChunks.Chunk(ByteBuffer.wrap(random(32)).asReadOnlyBuffer(), random(10)),
        new HeadChunks.Chunk(ByteBuffer.wrap(random(32)).asReadOnlyBuffer(), random(7)));
    byte[] list = HeadChunks.list(chunks);
    assertTrue(HeadChunks.looksLikeList(list));
    List<HeadChunks.Entry> entries = HeadChunks.entries(list);
    assertEquals(chunks.get(0).id(), entries.get(0).id());
    assertEquals(7, entries.get(1).length());
    assertFalse(HeadChunks.looksLikeList(Arrays.copyOf(list, list.length - 1)));
    assertFalse(HeadChunks.looksLikeList(random(41)), "a v1 sealed column is not a list (but for 1 in 2^40)");
  }
}
