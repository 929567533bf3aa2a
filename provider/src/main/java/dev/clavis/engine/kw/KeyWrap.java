package dev.clavis.engine.kw;

import static dev.clavis.engine.kw.Semiblocks.SEMIBLOCK;

import java.util.Arrays;

/**
 * AES Key Wrap, RFC 3394 (NIST SP 800-38F §6.2, "KW"): the wrapping function W, its inverse, and
 * the integrity check of the initial value.
 *
 * <p>The algorithm knows only a {@link BlockCipher128}; it neither allocates nor copies per AES
 * block. It is free of JCA types, which belong to the SPI.
 */
public final class KeyWrap {

  /** The default initial value A6A6A6A6A6A6A6A6 of RFC 3394 §2.2.3.1. */
  public static final long DEFAULT_IV = 0xA6A6A6A6A6A6A6A6L;

  /** The shortest plaintext: RFC 3394 §2 wraps n ≥ 2 semiblocks. */
  public static final int MIN_PLAINTEXT = 2 * SEMIBLOCK;

  /** The shortest ciphertext: n + 1 ≥ 3 semiblocks. */
  public static final int MIN_CIPHERTEXT = MIN_PLAINTEXT + SEMIBLOCK;

  private KeyWrap() {}

  /**
   * Tells whether RFC 3394 can wrap a plaintext of this length.
   *
   * @param length plaintext length in bytes
   * @return true for a multiple of 8 that is at least 16
   */
  public static boolean isValidPlaintextLength(int length) {
    return length >= MIN_PLAINTEXT && length % SEMIBLOCK == 0;
  }

  /**
   * Tells whether a ciphertext of this length can be a RFC 3394 output.
   *
   * @param length ciphertext length in bytes
   * @return true for a multiple of 8 that is at least 24
   */
  public static boolean isValidCiphertextLength(int length) {
    return length >= MIN_CIPHERTEXT && length % SEMIBLOCK == 0;
  }

  /**
   * Wraps {@code in[inOff, inOff + inLen)} into {@code out[outOff, outOff + inLen + 8)}. The two
   * ranges may overlap.
   *
   * @param aes AES keyed with the KEK for encryption
   * @param iv the 64-bit initial value (RFC 3394 §2.2.3), usually {@link #DEFAULT_IV}
   * @param in the plaintext key data
   * @param inOff where it starts
   * @param inLen its length, a multiple of 8 and at least 16
   * @param out receives the wrapped key, {@code inLen + 8} bytes
   * @param outOff where to write it
   * @throws IllegalArgumentException if {@code inLen} is not a valid plaintext length
   */
  public static void wrap(
      BlockCipher128 aes, long iv, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
    if (!isValidPlaintextLength(inLen)) {
      throw new IllegalArgumentException(
          "KW plaintext must be a multiple of 8 bytes and at least 16 bytes, got " + inLen);
    }
    // RFC 3394 §2.2.1 step 1: R[i] = P[i]; R lives where C[1..n] will be written.
    System.arraycopy(in, inOff, out, outOff + SEMIBLOCK, inLen);
    w(aes, iv, out, outOff, inLen / SEMIBLOCK);
  }

  /**
   * Unwraps {@code in[inOff, inOff + inLen)} and checks the initial value. Nothing is written to
   * {@code out} unless the check passes.
   *
   * @param aesInverse AES keyed with the KEK for decryption
   * @param iv the initial value the key was wrapped with
   * @param in the wrapped key
   * @param inOff where it starts
   * @param inLen its length, a multiple of 8 and at least 24
   * @param out receives the key data, {@code inLen - 8} bytes
   * @param outOff where to write it
   * @return the number of bytes written, {@code inLen - 8}
   * @throws IntegrityCheckException if the recovered initial value differs from {@code iv}
   * @throws IllegalArgumentException if {@code inLen} is not a valid ciphertext length
   */
  public static int unwrap(
      BlockCipher128 aesInverse, long iv, byte[] in, int inOff, int inLen, byte[] out, int outOff)
      throws IntegrityCheckException {
    // Work on a private copy: the recovered key data must not reach the caller before the check.
    byte[] work = Arrays.copyOfRange(in, inOff, inOff + inLen);
    try {
      int n = unwrapInPlace(aesInverse, iv, work, 0, inLen);
      System.arraycopy(work, SEMIBLOCK, out, outOff, n);
      return n;
    } finally {
      Arrays.fill(work, (byte) 0);
    }
  }

  /**
   * Unwraps {@code buf[off, off + len)} in place and checks the initial value: on success the key
   * data is at {@code buf[off + 8, off + len)}; on failure the range is zeroed.
   *
   * @param aesInverse AES keyed with the KEK for decryption
   * @param iv the initial value the key was wrapped with
   * @param buf the wrapped key, overwritten
   * @param off where it starts
   * @param len its length, a multiple of 8 and at least 24
   * @return the key data length, {@code len - 8}
   * @throws IntegrityCheckException if the recovered initial value differs from {@code iv}
   * @throws IllegalArgumentException if {@code len} is not a valid ciphertext length
   */
  public static int unwrapInPlace(BlockCipher128 aesInverse, long iv, byte[] buf, int off, int len)
      throws IntegrityCheckException {
    if (!isValidCiphertextLength(len)) {
      throw new IllegalArgumentException(
          "KW ciphertext must be a multiple of 8 bytes and at least 24 bytes, got " + len);
    }
    long a = wInverse(aesInverse, buf, off, len / SEMIBLOCK - 1);
    // RFC 3394 §2.2.3: A must equal the initial value. One 64-bit comparison: no early exit on
    // the first differing byte.
    if ((a ^ iv) != 0) {
      Arrays.fill(buf, off, off + len, (byte) 0);
      throw new IntegrityCheckException();
    }
    return len - SEMIBLOCK;
  }

  /**
   * The wrapping function W (RFC 3394 §2.2.1, index-based form; SP 800-38F Algorithm 1), in place:
   * on entry {@code buf[off + 8, off + 8 + 8n)} holds P[1..n], on exit {@code buf[off, off + 8 + 8n)}
   * holds C[0..n].
   */
  static void w(BlockCipher128 aes, long iv, byte[] buf, int off, int n) {
    // Step 1: A = IV (R[i] = P[i] already in place).
    long a = iv;
    // Step 2: for j = 0 to 5, for i = 1 to n:
    //   B = AES(K, A | R[i]);  A = MSB(64, B) ^ t where t = (n*j) + i;  R[i] = LSB(64, B)
    long t = 0;
    for (int j = 0; j <= 5; j++) {
      int r = off + SEMIBLOCK;
      for (int i = 1; i <= n; i++, r += SEMIBLOCK) {
        aes.process(a, Semiblocks.get(buf, r));
        a = aes.hi() ^ ++t;
        Semiblocks.set(buf, r, aes.lo());
      }
    }
    // Step 3: C[0] = A (C[i] = R[i] already in place).
    Semiblocks.set(buf, off, a);
    aes.clear();
  }

  /**
   * The unwrapping function W⁻¹ (RFC 3394 §2.2.2, index-based form; SP 800-38F Algorithm 2), in
   * place: on entry {@code buf[off, off + 8 + 8n)} holds C[0..n], on exit
   * {@code buf[off + 8, off + 8 + 8n)} holds R[1..n]. Returns A, for the caller to check.
   */
  static long wInverse(BlockCipher128 aesInverse, byte[] buf, int off, int n) {
    // Step 1: A = C[0], R[i] = C[i] (in place).
    long a = Semiblocks.get(buf, off);
    // Step 2: for j = 5 to 0, for i = n to 1:
    //   B = AES-1(K, (A ^ t) | R[i]) where t = n*j + i;  A = MSB(64, B);  R[i] = LSB(64, B)
    long t = 6L * n;
    for (int j = 5; j >= 0; j--) {
      int r = off + n * SEMIBLOCK;
      for (int i = n; i >= 1; i--, r -= SEMIBLOCK) {
        aesInverse.process(a ^ t--, Semiblocks.get(buf, r));
        a = aesInverse.hi();
        Semiblocks.set(buf, r, aesInverse.lo());
      }
    }
    aesInverse.clear();
    return a;
  }
}
