package dev.clavis.engine.kw;

/**
 * The multi-lane form of {@link BlockCipher128}: a 128-bit block cipher keyed for one direction,
 * applied to many independent blocks in one call. Block {@code k} is {@code hi[k] || lo[k]}, two
 * big-endian 64-bit halves, and is replaced by its image in place.
 *
 * <p>The bulk key-wrap functions of {@link KeyWrapPaddedLanes} run step (j, i) of RFC 3394 for
 * every key at once. One call over all those blocks lets an implementation batch them: the JDK's
 * AES-NI pipelines independent blocks ({@link JdkAesBlocks}), a token computes them in one
 * {@code C_Encrypt}. Instances are stateful and not thread-safe.
 */
public interface MultiBlockCipher128 {

  /**
   * Transforms blocks {@code hi[k] || lo[k]} for {@code k < count}, in place.
   *
   * @param hi the most significant 64 bits of each block; receives those of each output
   * @param lo the least significant 64 bits of each block; receives those of each output
   * @param count how many blocks, at most the length of either array
   * @throws IllegalStateException if the underlying cipher is not keyed or fails
   */
  void processBlocks(long[] hi, long[] lo, int count);

  /** Overwrites every intermediate block this instance holds (not the key schedule). */
  void clear();
}
