package dev.clavis.engine.kw;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;

/**
 * {@link MultiBlockCipher128} over the JDK's {@code AES/ECB/NoPadding}, in either direction: the
 * blocks of one {@link #processBlocks} call go to SunJCE in one {@code update}, so HotSpot's AES-NI
 * code pipelines them (independent blocks cost a fraction of the chained ones of a single key
 * wrap). It reads and writes the caller's arrays directly and holds no block of its own.
 */
public final class JdkAesBlocks implements MultiBlockCipher128 {

  private static final int BLOCK = 16;

  private final Cipher ecb;
  private final int mode;

  private JdkAesBlocks(Cipher ecb, int mode) {
    this.ecb = Objects.requireNonNull(ecb, "ecb");
    this.mode = mode;
  }

  /**
   * An AES encryption function over an unkeyed {@code AES/ECB/NoPadding} cipher.
   *
   * @param ecb the cipher, owned by the new instance from now on
   * @return the block function; call {@link #key} before use
   */
  public static JdkAesBlocks encryptor(Cipher ecb) {
    return new JdkAesBlocks(ecb, Cipher.ENCRYPT_MODE);
  }

  /**
   * An AES decryption function over an unkeyed {@code AES/ECB/NoPadding} cipher.
   *
   * @param ecb the cipher, owned by the new instance from now on
   * @return the block function; call {@link #key} before use
   */
  public static JdkAesBlocks decryptor(Cipher ecb) {
    return new JdkAesBlocks(ecb, Cipher.DECRYPT_MODE);
  }

  /**
   * Keys the cipher (one key schedule) for its direction.
   *
   * @param kek an AES key of 16, 24 or 32 bytes
   * @throws GeneralSecurityException if the JDK's AES refuses the key
   */
  public void key(SecretKey kek) throws GeneralSecurityException {
    ecb.init(mode, kek);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the cipher is not keyed
   */
  @Override
  public void processBlocks(byte[] in, byte[] out, int count) {
    int len = Math.multiplyExact(count, BLOCK);
    try {
      // ECB without padding returns every whole block at once; no state is carried between calls.
      // Two arrays: SunJCE copies an input that is also the output before it starts.
      ecb.update(in, 0, len, out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("AES output buffer too short", e);
    }
  }

  /**
   * 512 blocks (8 KiB a buffer): enough to fill AES-NI's pipeline many times over, small enough
   * that a pass's blocks and semiblocks stay in the core's caches between its 6n steps (one pass
   * over ten thousand lanes streams 400 KB through memory at every step).
   */
  @Override
  public int maxBlocksPerCall() {
    return 512;
  }

  /** Holds no blocks of its own (the caller's arrays are the only buffers): nothing to wipe. */
  @Override
  public void clear() {}

  @Override
  public String toString() {
    return "JdkAesBlocks[" + (mode == Cipher.ENCRYPT_MODE ? "encrypt" : "decrypt") + ", "
        + ecb.getProvider().getName() + "]";
  }
}
