package dev.clavis.engine.argon2;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The memory of one Argon2 call and the filling of its blocks (RFC 9106 §3.2 steps 5-6, §3.4).
 *
 * <p>All lanes live in one {@code long[]}: block {@code j} of lane {@code l} starts at word
 * {@code (l * laneLength + j) * 128}. Within a slice the lanes are independent (§3.4: a block
 * never references the current segment of another lane), so each slice runs its lanes in
 * parallel and the slices are separated by a barrier, the synchronisation points of §3.4.
 */
final class Argon2Fill {

  /** RFC 9106 §3.4: each pass is split into four slices. */
  static final int SYNC_POINTS = 4;

  private static final long M32 = 0xFFFFFFFFL;
  private static final long[] ZERO_BLOCK = new long[Argon2Block.WORDS];

  private final Argon2Type type;
  private final int version;
  private final int passes;
  private final int lanes;
  private final int memoryBlocks;
  private final int laneLength;
  private final int segmentLength;
  final long[] memory;

  /**
   * @param memoryBlocks m', already rounded down to a multiple of 4 * lanes
   */
  Argon2Fill(Argon2Type type, int version, int passes, int lanes, int memoryBlocks) {
    this.type = type;
    this.version = version;
    this.passes = passes;
    this.lanes = lanes;
    this.memoryBlocks = memoryBlocks;
    this.laneLength = memoryBlocks / lanes;
    this.segmentLength = laneLength / SYNC_POINTS;
    // One allocation for the whole call; the caller wipes it.
    this.memory = new long[memoryBlocks * Argon2Block.WORDS];
  }

  int laneLength() {
    return laneLength;
  }

  /** §3.2 step 6 and §3.4: fills every pass, slice by slice; reports each finished pass. */
  void fill(Argon2.PassObserver observer) {
    for (int pass = 0; pass < passes; pass++) {
      for (int slice = 0; slice < SYNC_POINTS; slice++) {
        fillSlice(pass, slice);
      }
      if (observer != null) {
        observer.afterPass(pass, memory, laneLength);
      }
    }
  }

  /**
   * Fills segment {@code slice} of every lane; returns once all are done (the synchronisation
   * point of §3.4: no lane may start the next slice before every lane finished this one).
   */
  private void fillSlice(int pass, int slice) {
    forEach(lanes, lane -> fillSegment(pass, slice, lane));
  }

  /** Wipes the whole memory, in as many parallel parts as there are pool threads or lanes. */
  void wipe() {
    int parts = Math.max(lanes, Argon2Executor.THREADS);
    long words = memory.length;
    try {
      forEach(parts, part -> Arrays.fill(memory,
          (int) (words * part / parts), (int) (words * (part + 1) / parts), 0L));
    } catch (RuntimeException | Error e) {
      Arrays.fill(memory, 0L);
      throw e;
    }
  }

  /**
   * Runs {@code action} for {@code 0 .. parts-1} and returns when all have finished. The calling
   * thread takes parts too, and pool helpers only take parts nobody has claimed yet, so the call
   * finishes even if no helper ever runs.
   */
  private void forEach(int parts, IntConsumer action) {
    int workers = Math.min(parts, Argon2Executor.THREADS);
    if (workers == 1) {
      for (int part = 0; part < parts; part++) {
        action.accept(part);
      }
      return;
    }
    PartJob job = new PartJob(parts, action, Thread.currentThread());
    for (int i = 1; i < workers; i++) {
      Argon2Executor.submit(job);
    }
    job.run();
    while (job.unfinished.get() != 0) {
      LockSupport.park(this);
    }
    if (job.failure != null) {
      throw new IllegalStateException("Argon2 lane computation failed", job.failure);
    }
  }

  /** Claims parts (lanes, or ranges to wipe) one at a time until none is left. */
  private static final class PartJob implements Runnable {
    private final int parts;
    private final IntConsumer action;
    private final Thread waiter;
    private final AtomicInteger next = new AtomicInteger();
    final AtomicInteger unfinished;
    volatile Throwable failure;

    PartJob(int parts, IntConsumer action, Thread waiter) {
      this.parts = parts;
      this.action = action;
      this.waiter = waiter;
      this.unfinished = new AtomicInteger(parts);
    }

    @Override
    public void run() {
      int part;
      while ((part = next.getAndIncrement()) < parts) {
        try {
          action.accept(part);
        } catch (Throwable t) {
          failure = t;
        } finally {
          if (unfinished.decrementAndGet() == 0) {
            LockSupport.unpark(waiter);
          }
        }
      }
    }
  }

  /**
   * RFC 9106 §3.4: computes the blocks of one segment (lane {@code lane}, slice {@code slice}).
   *
   * <p>The loop has no branch whose direction depends on the pass, the slice or the lane: those
   * choices are masks computed once per segment. A JIT that compiled the loop during the first
   * slice (where every reference stays in its own lane and addresses are data-independent)
   * would otherwise have compiled the other directions as traps, deoptimised at the next slice
   * and compiled again, several times per derivation: in a short-lived process (the command line
   * opening a store) those recompilations cost more than the derivation.
   */
  void fillSegment(int pass, int slice, int lane) {
    final long[] mem = memory;
    final long[] scratch = new long[Argon2Block.WORDS];
    // §3.4.1.3: Argon2id is data-independent for the first two slices of the first pass only.
    final boolean independent =
        type == Argon2Type.ARGON2I
            || (type == Argon2Type.ARGON2ID && pass == 0 && slice < SYNC_POINTS / 2);
    final long independentMask = independent ? -1L : 0L;
    // Version 0x13 XORs the new block into the old one on passes after the first (§3.2 step 6);
    // version 0x10 overwrote it.
    final long keep = pass != 0 && version != Argon2.VERSION_10 ? -1L : 0L;
    // §3.4.2: the first slice of the first pass references its own lane only.
    final int ownLaneMask = pass == 0 && slice == 0 ? -1 : 0;
    // §3.4.2, the size of the reference set W: in the own lane every finished block but the
    // previous one, sameBase + index; in another lane its finished segments, otherBase, less
    // one block when index == 0. The first pass has only the segments before this one; later
    // passes the last three segments' worth.
    final long finished = pass == 0 ? (long) slice * segmentLength : laneLength - segmentLength;
    final long sameBase = finished - 1;
    final long otherBase = finished;
    // W starts after the current segment on later passes (wrapping), at block 0 on the first.
    final long start = (pass != 0 && slice != SYNC_POINTS - 1) ? (long) (slice + 1) * segmentLength : 0;

    // §3.4.1.2: Z = LE64(r) || LE64(l) || LE64(sl) || LE64(m') || LE64(t) || LE64(y) || LE64(i) || 0...
    // Data-dependent segments keep a zero address block, masked out of the pseudo-random value.
    final long[] addresses = new long[Argon2Block.WORDS];
    final long[] input = independent ? new long[Argon2Block.WORDS] : null;
    if (independent) {
      input[0] = pass;
      input[1] = lane;
      input[2] = slice;
      input[3] = memoryBlocks;
      input[4] = passes;
      input[5] = type.code();
    }

    int first = 0;
    if (pass == 0 && slice == 0) {
      // B[i][0] and B[i][1] come from H' (§3.2 steps 3-4).
      first = 2;
      if (independent) {
        nextAddresses(addresses, input, scratch);
      }
    }

    final int laneStart = lane * laneLength;
    int current = laneStart + slice * segmentLength + first;
    for (int index = first; index < segmentLength; index++, current++) {
      // The previous block; block 0 of a lane follows the lane's last block (§3.2 step 6).
      int previous = current == laneStart ? laneStart + laneLength - 1 : current - 1;

      // Non-short-circuit &: one branch, taken every 128 blocks in independent segments.
      if (((index & (Argon2Block.WORDS - 1)) == 0) & independent) {
        nextAddresses(addresses, input, scratch);
      }
      // §3.4.1.2 (independent) or §3.4.1.1 (J1 || J2 are the first 64 bits of the previous block).
      long pseudoRandom = (addresses[index & (Argon2Block.WORDS - 1)] & independentMask)
          | (mem[previous * Argon2Block.WORDS] & ~independentMask);

      // §3.4.2: J2 picks the lane.
      int refLane = (lane & ownLaneMask) | ((int) ((pseudoRandom >>> 32) % lanes) & ~ownLaneMask);
      int diff = refLane ^ lane;
      long otherLane = (diff | -diff) >> 31; // -1 for another lane, 0 for the own lane
      long areaSame = sameBase + index;
      long areaOther = otherBase - ((index - 1) >>> 31); // less one when index == 0
      long areaSize = areaSame ^ ((areaSame ^ areaOther) & otherLane);
      int ref = refLane * laneLength + referenceIndex(areaSize, start, pseudoRandom & M32);

      Argon2Block.compress(
          mem, previous * Argon2Block.WORDS,
          mem, ref * Argon2Block.WORDS,
          mem, current * Argon2Block.WORDS,
          keep, scratch);
    }
    // The scratch block last held R = previous XOR reference, as secret as the memory itself.
    Arrays.fill(scratch, 0L);
  }

  /**
   * RFC 9106 §3.4.2: maps J1 onto the reference set W of {@code areaSize} blocks starting at
   * {@code start}, non-uniformly (x = J1^2 / 2^32, y = |W| * x / 2^32, zz = |W| - 1 - y).
   */
  private int referenceIndex(long areaSize, long start, long j1) {
    long x = (j1 * j1) >>> 32; // fits: j1 < 2^32, and the unsigned product is < 2^64
    long relative = areaSize - 1 - ((areaSize * x) >>> 32);
    return (int) ((start + relative) % laneLength);
  }

  /** §3.4.1.2: the next block of addresses, G(ZERO, G(ZERO, Z)) with the counter i incremented. */
  private static void nextAddresses(long[] addresses, long[] input, long[] scratch) {
    input[6]++;
    Argon2Block.compress(ZERO_BLOCK, 0, input, 0, addresses, 0, 0L, scratch);
    Argon2Block.compress(ZERO_BLOCK, 0, addresses, 0, addresses, 0, 0L, scratch);
  }
}
