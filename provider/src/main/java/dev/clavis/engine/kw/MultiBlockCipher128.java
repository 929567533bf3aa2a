package dev.clavis.engine.kw;

/**
 * The multi-lane form of {@link BlockCipher128}: a 128-bit block cipher keyed for one direction,
 * applied to many independent blocks in one call: block {@code k} is the 16 bytes at {@code 16·k}
 * of the input, and its image goes to the same place of the output.
 *
 * <p>The bulk key-wrap functions of {@link KeyWrapPaddedLanes} run step (j, i) of RFC 3394 for
 * every key at once. One call over all those blocks lets an implementation batch them: the JDK's
 * AES-NI pipelines independent blocks ({@link JdkAesBlocks}), a token computes them in one
 * {@code C_Encrypt}. Instances are stateful and not thread-safe.
 */
public interface MultiBlockCipher128 {

  /**
   * Transforms the first {@code count} 16-byte blocks of {@code in} into {@code out}.
   *
   * @param in the blocks, at least {@code 16·count} bytes; not changed
   * @param out receives their images; another array than {@code in}, at least as long
   * @param count how many blocks
   * @throws IllegalStateException if the underlying cipher is not keyed or fails
   */
  void processBlocks(byte[] in, byte[] out, int count);

  /**
   * How many blocks one {@link #processBlocks} call should carry at most: the multi-lane functions
   * run a group's lanes in passes of this many. In-process AES wants small passes (the lanes stay
   * in the core's caches between steps); a token wants one pass (every call is a round trip).
   *
   * @return the pass size, at least 1; unbounded unless an implementation says otherwise
   */
  default int maxBlocksPerCall() {
    return Integer.MAX_VALUE;
  }

  /** Overwrites every intermediate block this instance holds (not the key schedule). */
  void clear();
}
