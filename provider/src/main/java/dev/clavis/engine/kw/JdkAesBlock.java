package dev.clavis.engine.kw;

import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * {@link BlockCipher128} over the JDK's own AES: an {@code AES/ECB/NoPadding} {@link Cipher} that
 * its owner has keyed once per KEK. HotSpot compiles SunJCE's AES block function to AES-NI
 * instructions, which a Java table-based AES cannot match and which no public API exposes other
 * than {@code Cipher}; this class is the one place the key-wrap engine touches that API.
 *
 * <p>Each block goes through {@code Cipher.update} between two private 16-byte buffers: distinct
 * input and output arrays keep SunJCE from copying the input on every call, so nothing is
 * allocated per block.
 */
public final class JdkAesBlock implements BlockCipher128 {

  private static final int BLOCK = 16;

  private final Cipher ecb;
  private final byte[] in = new byte[BLOCK];
  private final byte[] out = new byte[BLOCK];
  private long hi;
  private long lo;

  /**
   * Wraps a keyed ECB cipher; the caller keeps ownership of its keying.
   *
   * @param ecb an {@code AES/ECB/NoPadding} cipher, initialised (or to be initialised before use)
   *     in {@code ENCRYPT_MODE} for wrapping or {@code DECRYPT_MODE} for unwrapping
   */
  public JdkAesBlock(Cipher ecb) {
    this.ecb = Objects.requireNonNull(ecb, "ecb");
  }

  /**
   * Returns the underlying cipher, for its owner to re-key.
   *
   * @return the ECB cipher
   */
  public Cipher cipher() {
    return ecb;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the cipher is not initialised
   */
  @Override
  public void process(long h, long l) {
    Semiblocks.set(in, 0, h);
    Semiblocks.set(in, 8, l);
    try {
      ecb.update(in, 0, BLOCK, out, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("AES block output buffer too short", e);
    }
    hi = Semiblocks.get(out, 0);
    lo = Semiblocks.get(out, 8);
  }

  @Override
  public long hi() {
    return hi;
  }

  @Override
  public long lo() {
    return lo;
  }

  @Override
  public void clear() {
    Arrays.fill(in, (byte) 0);
    Arrays.fill(out, (byte) 0);
    hi = 0;
    lo = 0;
  }

  @Override
  public String toString() {
    return "JdkAesBlock[" + ecb.getProvider().getName() + "]";
  }
}
