package dev.clavis.engine.kw;

/**
 * A 128-bit block cipher keyed for one direction (encryption for wrapping, decryption for
 * unwrapping), seen as a function on a block held as two big-endian 64-bit halves.
 *
 * <p>The key-wrap algorithms work on 64-bit semiblocks (RFC 3394 §2), so passing the halves as
 * {@code long}s avoids building and splitting byte arrays around every block. The result of
 * {@link #process} stays readable through {@link #hi()} and {@link #lo()} until the next call.
 * Instances are stateful and not thread-safe.
 */
public interface BlockCipher128 {

  /**
   * Transforms one block, {@code hi || lo}.
   *
   * @param hi the most significant 64 bits of the input block
   * @param lo the least significant 64 bits of the input block
   * @throws IllegalStateException if the underlying cipher is not keyed
   */
  void process(long hi, long lo);

  /**
   * Returns the most significant 64 bits of the last output block.
   *
   * @return MSB(64, B) of the last {@link #process} call
   */
  long hi();

  /**
   * Returns the least significant 64 bits of the last output block.
   *
   * @return LSB(64, B) of the last {@link #process} call
   */
  long lo();

  /** Overwrites every intermediate block this instance holds (not the key schedule). */
  void clear();
}
