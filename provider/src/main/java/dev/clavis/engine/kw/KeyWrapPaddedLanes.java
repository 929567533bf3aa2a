package dev.clavis.engine.kw;

import static dev.clavis.engine.kw.Semiblocks.SEMIBLOCK;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AES Key Wrap with Padding (RFC 5649) over many independent keys at once, on a
 * {@link MultiBlockCipher128}. The wrapping function W of RFC 3394 §2.2.1 chains 6n dependent
 * block operations per key; here step (j, i) runs for every key of the same semiblock count n in
 * one {@link MultiBlockCipher128#processBlocks} call, the keys being the lanes. The output of each
 * key equals {@link KeyWrapPadded#wrap} of it, and each unwrapped key passes the same constant-time
 * checks ({@code KeyWrapPadded.badAiv}).
 *
 * <p>Lanes are held as longs: A of lane k in {@code a[k]}, R[i] of lane k in {@code r[i - 1][k]}, so
 * step i hands {@code a} and {@code r[i - 1]} to the block cipher without copying.
 */
public final class KeyWrapPaddedLanes {

  private KeyWrapPaddedLanes() {}

  /**
   * Wraps each key under the cipher's KEK (RFC 5649 §4.1).
   *
   * @param aes AES keyed with the KEK for encryption
   * @param aivConstant the 32-bit constant of the AIV, {@link KeyWrapPadded#AIV_CONSTANT}
   * @param keys the keys, each at least 1 byte; not kept
   * @return the wrapped keys, in the order of {@code keys}
   * @throws IllegalArgumentException if a key is empty; the message names its index
   */
  public static List<byte[]> wrapAll(MultiBlockCipher128 aes, int aivConstant, List<byte[]> keys) {
    int[] semiblocks = new int[keys.size()];
    for (int k = 0; k < semiblocks.length; k++) {
      int len = keys.get(k).length;
      if (len < 1) {
        throw new IllegalArgumentException("key " + k + " is empty: RFC 5649 wraps at least 1 byte");
      }
      semiblocks[k] = (len + SEMIBLOCK - 1) / SEMIBLOCK;
    }
    byte[][] out = new byte[semiblocks.length][];
    try {
      for (Map.Entry<Integer, int[]> g : groups(semiblocks).entrySet()) {
        wrapGroup(aes, aivConstant, keys, g.getKey(), g.getValue(), out);
      }
    } catch (RuntimeException e) {
      wipe(out);
      throw e;
    } finally {
      aes.clear();
    }
    return Arrays.asList(out);
  }

  /**
   * Unwraps each RFC 5649 output under the cipher's KEK (RFC 5649 §4.2) and checks each as RFC 5649
   * §3 says, in constant time per key. Every key is unwrapped and checked before the result is
   * decided; if any fails, nothing is returned (every recovered key is wiped).
   *
   * @param aesInverse AES keyed with the KEK for decryption
   * @param aivConstant the 32-bit constant of the AIV, {@link KeyWrapPadded#AIV_CONSTANT}
   * @param wrapped the wrapped keys; not kept
   * @return the keys, in the order of {@code wrapped}
   * @throws IntegrityCheckException if a check fails: the fixed message and the lowest failing
   *     index
   * @throws IllegalArgumentException if a wrapped key has a length no RFC 5649 output has; the
   *     message names its index
   */
  public static List<byte[]> unwrapAll(MultiBlockCipher128 aesInverse, int aivConstant, List<byte[]> wrapped)
      throws IntegrityCheckException {
    int[] semiblocks = new int[wrapped.size()];
    for (int k = 0; k < semiblocks.length; k++) {
      int len = wrapped.get(k).length;
      if (!KeyWrapPadded.isValidCiphertextLength(len)) {
        throw new IllegalArgumentException("wrapped key " + k + " has an invalid length, " + len
            + " bytes (RFC 5649 needs a multiple of 8, at least 16)");
      }
      semiblocks[k] = len / SEMIBLOCK - 1;
    }
    byte[][] out = new byte[semiblocks.length][];
    int failed = Integer.MAX_VALUE;
    try {
      for (Map.Entry<Integer, int[]> g : groups(semiblocks).entrySet()) {
        failed = Math.min(failed, unwrapGroup(aesInverse, aivConstant, wrapped, g.getKey(), g.getValue(), out));
      }
    } catch (RuntimeException e) {
      wipe(out);
      throw e;
    } finally {
      aesInverse.clear();
    }
    if (failed != Integer.MAX_VALUE) {
      wipe(out);
      throw new IntegrityCheckException(failed);
    }
    return Arrays.asList(out);
  }

  private static void wrapGroup(
      MultiBlockCipher128 aes, int aivConstant, List<byte[]> keys, int n, int[] idx, byte[][] out) {
    int c = idx.length;
    long[] a = new long[c];
    long[][] r = new long[n][c];
    byte[] pad = new byte[n * SEMIBLOCK];
    try {
      for (int k = 0; k < c; k++) {
        byte[] p = keys.get(idx[k]);
        // RFC 5649 §3: AIV = A65959A6 || MLI; §4.1 step 1: zero padding to a multiple of 8.
        a[k] = ((long) aivConstant << 32) | (p.length & 0xFFFFFFFFL);
        System.arraycopy(p, 0, pad, 0, p.length);
        Arrays.fill(pad, p.length, pad.length, (byte) 0);
        for (int i = 0; i < n; i++) {
          r[i][k] = Semiblocks.get(pad, i * SEMIBLOCK);
        }
      }
      if (n == 1) {
        // RFC 5649 §4.1 step 2: exactly one semiblock: C[0] | C[1] = ENC(K, A | P[1]).
        aes.processBlocks(a, r[0], c);
      } else {
        w(aes, a, r, n, c);
      }
      for (int k = 0; k < c; k++) {
        byte[] o = new byte[SEMIBLOCK + n * SEMIBLOCK];
        Semiblocks.set(o, 0, a[k]);
        for (int i = 0; i < n; i++) {
          Semiblocks.set(o, SEMIBLOCK + i * SEMIBLOCK, r[i][k]);
        }
        out[idx[k]] = o;
      }
    } finally {
      for (long[] column : r) {
        Arrays.fill(column, 0);
      }
      Arrays.fill(pad, (byte) 0);
    }
  }

  /** @return the lowest index of the group that failed its checks, or {@code Integer.MAX_VALUE} */
  private static int unwrapGroup(
      MultiBlockCipher128 aesInverse, int aivConstant, List<byte[]> wrapped, int n, int[] idx, byte[][] out) {
    int c = idx.length;
    long[] a = new long[c];
    long[][] r = new long[n][c];
    byte[] plain = new byte[n * SEMIBLOCK];
    int failed = Integer.MAX_VALUE;
    try {
      for (int k = 0; k < c; k++) {
        byte[] w = wrapped.get(idx[k]);
        a[k] = Semiblocks.get(w, 0);
        for (int i = 0; i < n; i++) {
          r[i][k] = Semiblocks.get(w, SEMIBLOCK + i * SEMIBLOCK);
        }
      }
      if (n == 1) {
        // RFC 5649 §4.2 step 1: exactly two semiblocks: A | P[1] = DEC(K, C[0] | C[1]).
        aesInverse.processBlocks(a, r[0], c);
      } else {
        wInverse(aesInverse, a, r, n, c);
      }
      for (int k = 0; k < c; k++) {
        // RFC 5649 §3: the three checks folded into one word, branch-free; only their combined
        // result decides, as in KeyWrapPadded.unwrapInPlace.
        long bad = KeyWrapPadded.badAiv(a[k], aivConstant, n, r[n - 1][k]);
        if (bad != 0) {
          failed = Math.min(failed, idx[k]);
          continue;
        }
        for (int i = 0; i < n; i++) {
          Semiblocks.set(plain, i * SEMIBLOCK, r[i][k]);
        }
        out[idx[k]] = Arrays.copyOf(plain, (int) (a[k] & 0xFFFFFFFFL));
      }
      return failed;
    } finally {
      for (long[] column : r) {
        Arrays.fill(column, 0);
      }
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * W of RFC 3394 §2.2.1 (index-based form) on c lanes of n semiblocks: on entry {@code a} holds
   * the initial values and {@code r} P[1..n], on exit C[0] and C[1..n].
   */
  static void w(MultiBlockCipher128 aes, long[] a, long[][] r, int n, int c) {
    // for j = 0 to 5, for i = 1 to n: B = AES(K, A | R[i]); A = MSB(64, B) ^ t, t = (n*j) + i;
    // R[i] = LSB(64, B). The cipher writes MSB into a and LSB into R[i] of every lane.
    long t = 0;
    for (int j = 0; j <= 5; j++) {
      for (int i = 0; i < n; i++) {
        aes.processBlocks(a, r[i], c);
        t++;
        for (int k = 0; k < c; k++) {
          a[k] ^= t;
        }
      }
    }
  }

  /**
   * W⁻¹ of RFC 3394 §2.2.2 (index-based form) on c lanes: on entry {@code a} holds C[0] and
   * {@code r} C[1..n], on exit the recovered A and R[1..n].
   */
  static void wInverse(MultiBlockCipher128 aesInverse, long[] a, long[][] r, int n, int c) {
    // for j = 5 to 0, for i = n to 1: B = AES-1(K, (A ^ t) | R[i]), t = n*j + i;
    // A = MSB(64, B); R[i] = LSB(64, B).
    long t = 6L * n;
    for (int j = 5; j >= 0; j--) {
      for (int i = n - 1; i >= 0; i--, t--) {
        for (int k = 0; k < c; k++) {
          a[k] ^= t;
        }
        aesInverse.processBlocks(a, r[i], c);
      }
    }
  }

  /** Lane groups: indexes of the inputs with the same semiblock count, which run the same steps. */
  private static Map<Integer, int[]> groups(int[] semiblocks) {
    Map<Integer, List<Integer>> lists = new TreeMap<>();
    for (int k = 0; k < semiblocks.length; k++) {
      lists.computeIfAbsent(semiblocks[k], x -> new ArrayList<>()).add(k);
    }
    Map<Integer, int[]> groups = new TreeMap<>();
    for (Map.Entry<Integer, List<Integer>> e : lists.entrySet()) {
      groups.put(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray());
    }
    return groups;
  }

  private static void wipe(byte[][] out) {
    for (byte[] o : out) {
      if (o != null) {
        Arrays.fill(o, (byte) 0);
      }
    }
  }
}
