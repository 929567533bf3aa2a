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
 * <p>Lanes live where the block cipher reads them: the 16-byte block of lane k at {@code 16·k} of
 * one input array holds A and the R[i] of the current step; every R[i] waits in {@code r[i - 1][k]}
 * as a raw word (its 8 bytes in native order: moved, never byte-swapped). Between two steps one
 * pass over the lanes takes the output apart and lays out the next input; RFC 3394's big-endian
 * A ^ t is a raw XOR with the raw form of t.
 */
public final class KeyWrapPaddedLanes {

  private static final int BLOCK = 2 * SEMIBLOCK;

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
        for (int[] pass : passes(g.getValue(), aes.maxBlocksPerCall())) {
          wrapGroup(aes, aivConstant, keys, g.getKey(), pass, out);
        }
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
        for (int[] pass : passes(g.getValue(), aesInverse.maxBlocksPerCall())) {
          failed = Math.min(failed, unwrapGroup(aesInverse, aivConstant, wrapped, g.getKey(), pass, out));
        }
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
    byte[] in = new byte[c * BLOCK];
    byte[] res = new byte[c * BLOCK];
    long[][] r = new long[n][c];
    byte[] pad = new byte[n * SEMIBLOCK];
    try {
      for (int k = 0; k < c; k++) {
        byte[] p = keys.get(idx[k]);
        // RFC 5649 §3: AIV = A65959A6 || MLI; §4.1 step 1: zero padding to a multiple of 8.
        Semiblocks.set(in, k * BLOCK, ((long) aivConstant << 32) | (p.length & 0xFFFFFFFFL));
        System.arraycopy(p, 0, pad, 0, p.length);
        Arrays.fill(pad, p.length, pad.length, (byte) 0);
        for (int i = 0; i < n; i++) {
          r[i][k] = Semiblocks.getRaw(pad, i * SEMIBLOCK);
        }
      }
      if (n == 1) {
        // RFC 5649 §4.1 step 2: exactly one semiblock: C[0] | C[1] = ENC(K, A | P[1]).
        for (int k = 0; k < c; k++) {
          Semiblocks.setRaw(in, k * BLOCK + SEMIBLOCK, r[0][k]);
        }
        aes.processBlocks(in, res, c);
        for (int k = 0; k < c; k++) {
          out[idx[k]] = Arrays.copyOfRange(res, k * BLOCK, (k + 1) * BLOCK);
        }
        return;
      }
      w(aes, in, res, r, n, c);
      for (int k = 0; k < c; k++) {
        byte[] o = new byte[SEMIBLOCK + n * SEMIBLOCK];
        System.arraycopy(in, k * BLOCK, o, 0, SEMIBLOCK);
        for (int i = 0; i < n; i++) {
          Semiblocks.setRaw(o, SEMIBLOCK + i * SEMIBLOCK, r[i][k]);
        }
        out[idx[k]] = o;
      }
    } finally {
      for (long[] column : r) {
        Arrays.fill(column, 0);
      }
      Arrays.fill(pad, (byte) 0);
      Arrays.fill(in, (byte) 0);
      Arrays.fill(res, (byte) 0);
    }
  }

  /** @return the lowest index of the group that failed its checks, or {@code Integer.MAX_VALUE} */
  private static int unwrapGroup(
      MultiBlockCipher128 aesInverse, int aivConstant, List<byte[]> wrapped, int n, int[] idx, byte[][] out) {
    int c = idx.length;
    byte[] in = new byte[c * BLOCK];
    byte[] res = new byte[c * BLOCK];
    long[][] r = new long[n][c];
    byte[] plain = new byte[n * SEMIBLOCK];
    int failed = Integer.MAX_VALUE;
    try {
      byte[] a; // where A of lane k is, at k·BLOCK, once W⁻¹ is done
      if (n == 1) {
        // RFC 5649 §4.2 step 1: exactly two semiblocks: A | P[1] = DEC(K, C[0] | C[1]).
        for (int k = 0; k < c; k++) {
          System.arraycopy(wrapped.get(idx[k]), 0, in, k * BLOCK, BLOCK);
        }
        aesInverse.processBlocks(in, res, c);
        for (int k = 0; k < c; k++) {
          r[0][k] = Semiblocks.getRaw(res, k * BLOCK + SEMIBLOCK);
        }
        a = res;
      } else {
        for (int k = 0; k < c; k++) {
          byte[] w = wrapped.get(idx[k]);
          System.arraycopy(w, 0, in, k * BLOCK, SEMIBLOCK);
          for (int i = 0; i < n; i++) {
            r[i][k] = Semiblocks.getRaw(w, SEMIBLOCK + i * SEMIBLOCK);
          }
        }
        wInverse(aesInverse, in, res, r, n, c);
        a = in;
      }
      for (int k = 0; k < c; k++) {
        // RFC 5649 §3: the three checks folded into one word, branch-free; only their combined
        // result decides, as in KeyWrapPadded.unwrapInPlace.
        long ak = Semiblocks.get(a, k * BLOCK);
        long bad = KeyWrapPadded.badAiv(ak, aivConstant, n, Semiblocks.raw(r[n - 1][k]));
        if (bad != 0) {
          failed = Math.min(failed, idx[k]);
          continue;
        }
        for (int i = 0; i < n; i++) {
          Semiblocks.setRaw(plain, i * SEMIBLOCK, r[i][k]);
        }
        out[idx[k]] = Arrays.copyOf(plain, (int) (ak & 0xFFFFFFFFL));
      }
      return failed;
    } finally {
      for (long[] column : r) {
        Arrays.fill(column, 0);
      }
      Arrays.fill(plain, (byte) 0);
      Arrays.fill(in, (byte) 0);
      Arrays.fill(res, (byte) 0);
    }
  }

  /**
   * W of RFC 3394 §2.2.1 (index-based form) on c lanes of n semiblocks. On entry {@code in[16k..)}
   * holds lane k's initial value A and {@code r[i][k]} its P[i+1] (raw words); on exit
   * {@code in[16k..)} holds C[0] and {@code r} C[1..n]. {@code res} is the cipher's output buffer.
   */
  static void w(MultiBlockCipher128 aes, byte[] in, byte[] res, long[][] r, int n, int c) {
    // for j = 0 to 5, for i = 1 to n: B = AES(K, A | R[i]); A = MSB(64, B) ^ t, t = (n*j) + i;
    // R[i] = LSB(64, B). One pass over the lanes per step: it takes the previous step's output
    // (R[prev] = LSB, A = MSB ^ t) and lays out this step's input (A | R[i]).
    long t = 0;
    int prev = -1;
    for (int j = 0; j <= 5; j++) {
      for (int i = 0; i < n; i++) {
        long[] ri = r[i];
        if (prev < 0) {
          for (int k = 0, o = 0; k < c; k++, o += BLOCK) {
            Semiblocks.setRaw(in, o + SEMIBLOCK, ri[k]);
          }
        } else {
          long[] rp = r[prev];
          long tr = Semiblocks.raw(t);
          for (int k = 0, o = 0; k < c; k++, o += BLOCK) {
            rp[k] = Semiblocks.getRaw(res, o + SEMIBLOCK);
            Semiblocks.setRaw(in, o, Semiblocks.getRaw(res, o) ^ tr);
            Semiblocks.setRaw(in, o + SEMIBLOCK, ri[k]);
          }
        }
        aes.processBlocks(in, res, c);
        t++;
        prev = i;
      }
    }
    long[] rp = r[prev];
    long tr = Semiblocks.raw(t);
    for (int k = 0, o = 0; k < c; k++, o += BLOCK) {
      rp[k] = Semiblocks.getRaw(res, o + SEMIBLOCK);
      Semiblocks.setRaw(in, o, Semiblocks.getRaw(res, o) ^ tr);
    }
  }

  /**
   * W⁻¹ of RFC 3394 §2.2.2 (index-based form) on c lanes. On entry {@code in[16k..)} holds lane
   * k's C[0] and {@code r} its C[1..n] (raw words); on exit {@code in[16k..)} holds the recovered A
   * and {@code r} R[1..n].
   */
  static void wInverse(MultiBlockCipher128 aesInverse, byte[] in, byte[] res, long[][] r, int n, int c) {
    // for j = 5 to 0, for i = n to 1: B = AES-1(K, (A ^ t) | R[i]), t = n*j + i;
    // A = MSB(64, B); R[i] = LSB(64, B).
    long t = 6L * n;
    int prev = -1;
    for (int j = 5; j >= 0; j--) {
      for (int i = n - 1; i >= 0; i--, t--) {
        long[] ri = r[i];
        long tr = Semiblocks.raw(t);
        if (prev < 0) {
          for (int k = 0, o = 0; k < c; k++, o += BLOCK) {
            Semiblocks.setRaw(in, o, Semiblocks.getRaw(in, o) ^ tr);
            Semiblocks.setRaw(in, o + SEMIBLOCK, ri[k]);
          }
        } else {
          long[] rp = r[prev];
          for (int k = 0, o = 0; k < c; k++, o += BLOCK) {
            rp[k] = Semiblocks.getRaw(res, o + SEMIBLOCK);
            Semiblocks.setRaw(in, o, Semiblocks.getRaw(res, o) ^ tr);
            Semiblocks.setRaw(in, o + SEMIBLOCK, ri[k]);
          }
        }
        aesInverse.processBlocks(in, res, c);
        prev = i;
      }
    }
    long[] rp = r[prev];
    for (int k = 0, o = 0; k < c; k++, o += BLOCK) {
      rp[k] = Semiblocks.getRaw(res, o + SEMIBLOCK);
      Semiblocks.setRaw(in, o, Semiblocks.getRaw(res, o));
    }
  }

  /**
   * A group's lanes in passes of at most {@code size} (the cipher's
   * {@link MultiBlockCipher128#maxBlocksPerCall}): each pass runs all 6n steps on its lanes.
   */
  private static List<int[]> passes(int[] idx, int size) {
    if (idx.length <= size) {
      return List.of(idx);
    }
    List<int[]> out = new ArrayList<>();
    for (int from = 0; from < idx.length; from += size) {
      out.add(Arrays.copyOfRange(idx, from, Math.min(idx.length, from + size)));
    }
    return out;
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
