package dev.clavis.engine.kw;

import static dev.clavis.engine.kw.Semiblocks.SEMIBLOCK;

import java.util.Arrays;

/**
 * AES Key Wrap with Padding, RFC 5649 (NIST SP 800-38F §6.3, "KWP"): any key length from 1 byte,
 * an Alternative Initial Value (AIV) that carries the message length, and zero padding to a
 * multiple of 8 bytes, checked in constant time on unwrapping.
 */
public final class KeyWrapPadded {

  /** The 32-bit constant of the AIV, A65959A6 (RFC 5649 §3). */
  public static final int AIV_CONSTANT = 0xA65959A6;

  /** The shortest ciphertext: one AES block (RFC 5649 §4.1, n = 1). */
  public static final int MIN_CIPHERTEXT = 2 * SEMIBLOCK;

  private KeyWrapPadded() {}

  /**
   * Returns the wrapped length of a plaintext of {@code length} bytes: the plaintext padded to a
   * multiple of 8, plus the 8-byte AIV.
   *
   * @param length plaintext length in bytes, at least 1
   * @return the ciphertext length
   * @throws ArithmeticException if the result does not fit in an {@code int}
   */
  public static int wrappedLength(int length) {
    return Math.toIntExact(paddedLength(length) + SEMIBLOCK);
  }

  /**
   * Tells whether a ciphertext of this length can be a RFC 5649 output.
   *
   * @param length ciphertext length in bytes
   * @return true for a multiple of 8 that is at least 16
   */
  public static boolean isValidCiphertextLength(int length) {
    return length >= MIN_CIPHERTEXT && length % SEMIBLOCK == 0;
  }

  /**
   * Wraps {@code in[inOff, inOff + inLen)} into {@code out[outOff, outOff + wrappedLength(inLen))}.
   * The ranges may overlap.
   *
   * @param aes AES keyed with the KEK for encryption
   * @param aivConstant the 32-bit constant of the AIV, {@link #AIV_CONSTANT}
   * @param in the key data
   * @param inOff where it starts
   * @param inLen its length, at least 1 byte
   * @param out receives the wrapped key
   * @param outOff where to write it
   * @throws IllegalArgumentException if {@code inLen} is 0 or negative
   */
  public static void wrap(
      BlockCipher128 aes, int aivConstant, byte[] in, int inOff, int inLen, byte[] out, int outOff) {
    if (inLen < 1) {
      throw new IllegalArgumentException("KWP plaintext must be at least 1 byte, got " + inLen);
    }
    int padded = (int) paddedLength(inLen);
    // RFC 5649 §4.1 step 1: append 8 * (ceil(m / 8)) - m zero octets. The plaintext goes where
    // C[1..n] will be written, so W can run in place.
    System.arraycopy(in, inOff, out, outOff + SEMIBLOCK, inLen);
    Arrays.fill(out, outOff + SEMIBLOCK + inLen, outOff + SEMIBLOCK + padded, (byte) 0);
    // RFC 5649 §3: AIV = A65959A6 || MLI, MLI = the plaintext length in octets, 32-bit big-endian.
    long aiv = ((long) aivConstant << 32) | (inLen & 0xFFFFFFFFL);
    int n = padded / SEMIBLOCK;
    if (n == 1) {
      // RFC 5649 §4.1 step 2: exactly one semiblock: C[0] | C[1] = ENC(K, A | P[1]), one AES-ECB block.
      aes.process(aiv, Semiblocks.get(out, outOff + SEMIBLOCK));
      Semiblocks.set(out, outOff, aes.hi());
      Semiblocks.set(out, outOff + SEMIBLOCK, aes.lo());
      aes.clear();
    } else {
      // RFC 5649 §4.1 step 2, otherwise: the RFC 3394 wrapping process W with IV = AIV.
      KeyWrap.w(aes, aiv, out, outOff, n);
    }
  }

  /**
   * Unwraps {@code in[inOff, inOff + inLen)} and runs the three checks of RFC 5649 §3 in constant
   * time. Nothing is written to {@code out} unless they all pass.
   *
   * @param aesInverse AES keyed with the KEK for decryption
   * @param aivConstant the 32-bit constant of the AIV, {@link #AIV_CONSTANT}
   * @param in the wrapped key
   * @param inOff where it starts
   * @param inLen its length, a multiple of 8 and at least 16
   * @param out receives the key data; needs room for {@code inLen - 8} bytes
   * @param outOff where to write it
   * @return the key data length (the MLI)
   * @throws IntegrityCheckException if the AIV constant, the MLI or the padding is wrong
   * @throws IllegalArgumentException if {@code inLen} is not a valid ciphertext length
   */
  public static int unwrap(
      BlockCipher128 aesInverse,
      int aivConstant,
      byte[] in,
      int inOff,
      int inLen,
      byte[] out,
      int outOff)
      throws IntegrityCheckException {
    byte[] work = Arrays.copyOfRange(in, inOff, inOff + inLen);
    try {
      int length = unwrapInPlace(aesInverse, aivConstant, work, 0, inLen);
      System.arraycopy(work, SEMIBLOCK, out, outOff, length);
      return length;
    } finally {
      Arrays.fill(work, (byte) 0);
    }
  }

  /**
   * Unwraps {@code buf[off, off + len)} in place and runs the three checks of RFC 5649 §3 in
   * constant time: on success the key data is at {@code buf[off + 8, off + 8 + result)}; on
   * failure the range is zeroed.
   *
   * @param aesInverse AES keyed with the KEK for decryption
   * @param aivConstant the 32-bit constant of the AIV, {@link #AIV_CONSTANT}
   * @param buf the wrapped key, overwritten
   * @param off where it starts
   * @param len its length, a multiple of 8 and at least 16
   * @return the key data length (the MLI)
   * @throws IntegrityCheckException if the AIV constant, the MLI or the padding is wrong
   * @throws IllegalArgumentException if {@code len} is not a valid ciphertext length
   */
  public static int unwrapInPlace(
      BlockCipher128 aesInverse, int aivConstant, byte[] buf, int off, int len)
      throws IntegrityCheckException {
    if (!isValidCiphertextLength(len)) {
      throw new IllegalArgumentException(
          "KWP ciphertext must be a multiple of 8 bytes and at least 16 bytes, got " + len);
    }
    int n = len / SEMIBLOCK - 1;
    long a;
    if (n == 1) {
      // RFC 5649 §4.2 step 1: exactly two semiblocks: A | P[1] = DEC(K, C[0] | C[1]).
      aesInverse.process(Semiblocks.get(buf, off), Semiblocks.get(buf, off + SEMIBLOCK));
      a = aesInverse.hi();
      Semiblocks.set(buf, off + SEMIBLOCK, aesInverse.lo());
      aesInverse.clear();
    } else {
      // RFC 5649 §4.2 step 1, otherwise: the RFC 3394 unwrapping process W⁻¹.
      a = KeyWrap.wInverse(aesInverse, buf, off, n);
    }
    // The last semiblock of P, P[n], starts at off + 8n (P starts at off + 8).
    long bad = badAiv(a, aivConstant, n, Semiblocks.get(buf, off + SEMIBLOCK * n));
    if (bad != 0) {
      Arrays.fill(buf, off, off + len, (byte) 0);
      throw new IntegrityCheckException();
    }
    return (int) (a & 0xFFFFFFFFL);
  }

  /**
   * The three checks of RFC 5649 §3 on the value A recovered by W⁻¹ and the last recovered
   * semiblock P[n], folded into one word without data-dependent branches, so that neither timing
   * nor the result tells which check failed. Shared by the single and the multi-lane unwrap.
   *
   * @return zero exactly when all three checks pass
   */
  static long badAiv(long a, int aivConstant, int n, long lastSemiblock) {
    long mli = a & 0xFFFFFFFFL;
    // 1) MSB(32, A) = A65959A6.
    long bad = (a >>> 32) ^ (aivConstant & 0xFFFFFFFFL);
    // 2) 8 * (n - 1) < LSB(32, A) <= 8 * n. Each difference is negative exactly when the bound is
    //    broken; the arithmetic shift spreads its sign bit over the word.
    bad |= (mli - 8L * (n - 1) - 1) >> 63;
    bad |= (8L * n - mli) >> 63;
    // 3) the b = 8n - MLI rightmost octets of P are zero. Only the last semiblock can hold
    //    padding; its byte k (most significant first) is at plaintext index 8(n - 1) + k, and is
    //    padding exactly when that index is >= MLI.
    for (int k = 0; k < SEMIBLOCK; k++) {
      long pos = 8L * (n - 1) + k;
      long isPadding = (mli - pos - 1) >> 63; // all ones when pos >= mli
      bad |= (lastSemiblock >>> (56 - 8 * k)) & 0xFF & isPadding;
    }
    return bad;
  }

  private static long paddedLength(int length) {
    return ((long) length + SEMIBLOCK - 1) / SEMIBLOCK * SEMIBLOCK;
  }
}
