package dev.clavis.keyring.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES Key Wrap with Padding (RFC 5649) over many independent keys at once. The wrapping function
 * W of RFC 3394 §2.2.1 chains 6n dependent AES calls per key; doing step (j, i) for every key in
 * one AES/ECB call over all their blocks lets AES-NI pipeline independent blocks, which costs
 * about a twentieth of one dependent block each.
 */
final class InterleavedKwp {

  /** RFC 5649 §3: the alternative initial value's constant half. */
  private static final int AIV_CONSTANT = 0xA65959A6;
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private InterleavedKwp() {}

  /** Wraps each key (1 to 2^31 bytes) under {@code kek}; RFC 5649 §4.1. */
  static List<byte[]> wrapAll(byte[] kek, List<byte[]> keys) throws GeneralSecurityException {
    int m = keys.size();
    byte[][] out = new byte[m][];
    // group by padded length: all members of a group run the same number of steps
    java.util.Map<Integer, List<Integer>> groups = new java.util.HashMap<>();
    for (int k = 0; k < m; k++) {
      int len = keys.get(k).length;
      if (len == 0) {
        throw new IllegalArgumentException("cannot wrap an empty key (RFC 5649 needs at least one byte)");
      }
      groups.computeIfAbsent((len + 7) / 8, x -> new ArrayList<>()).add(k);
    }
    Cipher ecb = FileMaterial.cipher("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
    for (java.util.Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
      int n = g.getKey();
      List<Integer> idx = g.getValue();
      int c = idx.size();
      long[] a = new long[c];
      long[] r = new long[c * n];
      byte[] pad = new byte[n * 8];
      for (int k = 0; k < c; k++) {
        byte[] p = keys.get(idx.get(k));
        a[k] = ((long) AIV_CONSTANT << 32) | (p.length & 0xFFFFFFFFL); // RFC 5649 §3: AIV = A65959A6 || MLI
        Arrays.fill(pad, (byte) 0);
        System.arraycopy(p, 0, pad, 0, p.length);
        for (int i = 0; i < n; i++) {
          r[k * n + i] = (long) LONG.get(pad, i * 8);
        }
      }
      Arrays.fill(pad, (byte) 0);
      byte[] in = new byte[c * 16];
      byte[] res = new byte[c * 16];
      try {
        if (n == 1) {
          // RFC 5649 §4.1: exactly one padded block is encrypted with AES in ECB mode
          fill(in, a, r, n, 0, c);
          ecb.doFinal(in, 0, in.length, res, 0);
          for (int k = 0; k < c; k++) {
            out[idx.get(k)] = Arrays.copyOfRange(res, k * 16, k * 16 + 16);
          }
          continue;
        }
        // RFC 3394 §2.2.1, index-based: for j = 0..5, i = 1..n: B = AES(K, A | R[i]), A = MSB(B) ^ t, R[i] = LSB(B)
        for (int j = 0; j <= 5; j++) {
          for (int i = 0; i < n; i++) {
            fill(in, a, r, n, i, c);
            ecb.update(in, 0, in.length, res, 0);
            long t = (long) n * j + i + 1;
            for (int k = 0; k < c; k++) {
              a[k] = (long) LONG.get(res, k * 16) ^ t;
              r[k * n + i] = (long) LONG.get(res, k * 16 + 8);
            }
          }
        }
        for (int k = 0; k < c; k++) {
          byte[] o = new byte[8 + n * 8];
          LONG.set(o, 0, a[k]);
          for (int i = 0; i < n; i++) {
            LONG.set(o, 8 + i * 8, r[k * n + i]);
          }
          out[idx.get(k)] = o;
        }
      } finally {
        Arrays.fill(r, 0);
        Arrays.fill(in, (byte) 0);
        Arrays.fill(res, (byte) 0);
      }
    }
    return Arrays.asList(out);
  }

  private static void fill(byte[] in, long[] a, long[] r, int n, int i, int c) {
    for (int k = 0; k < c; k++) {
      LONG.set(in, k * 16, a[k]);
      LONG.set(in, k * 16 + 8, r[k * n + i]);
    }
  }

  /** Unwraps each RFC 5649 output under {@code kek}; RFC 5649 §4.2 with the checks of §3. */
  static List<byte[]> unwrapAll(byte[] kek, List<byte[]> wrapped) throws GeneralSecurityException {
    int m = wrapped.size();
    byte[][] out = new byte[m][];
    java.util.Map<Integer, List<Integer>> groups = new java.util.HashMap<>();
    for (int k = 0; k < m; k++) {
      int len = wrapped.get(k).length;
      if (len < 16 || len % 8 != 0) {
        throw new AEADBadTagException("wrapped key " + k + " has an invalid length (RFC 5649 needs a multiple of 8, at least 16)");
      }
      groups.computeIfAbsent(len / 8 - 1, x -> new ArrayList<>()).add(k);
    }
    Cipher ecb = FileMaterial.cipher("AES/ECB/NoPadding");
    ecb.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"));
    int failed = -1;
    for (java.util.Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
      int n = g.getKey();
      List<Integer> idx = g.getValue();
      int c = idx.size();
      long[] a = new long[c];
      long[] r = new long[c * n];
      for (int k = 0; k < c; k++) {
        byte[] w = wrapped.get(idx.get(k));
        a[k] = (long) LONG.get(w, 0);
        for (int i = 0; i < n; i++) {
          r[k * n + i] = (long) LONG.get(w, 8 + i * 8);
        }
      }
      byte[] in = new byte[c * 16];
      byte[] res = new byte[c * 16];
      byte[] plain = new byte[n * 8];
      try {
        if (n == 1) {
          fill(in, a, r, n, 0, c);
          ecb.doFinal(in, 0, in.length, res, 0);
          for (int k = 0; k < c; k++) {
            a[k] = (long) LONG.get(res, k * 16);
            r[k] = (long) LONG.get(res, k * 16 + 8);
          }
        } else {
          // RFC 3394 §2.2.2, index-based: for j = 5..0, i = n..1: B = AES-1(K, (A ^ t) | R[i])
          for (int j = 5; j >= 0; j--) {
            for (int i = n - 1; i >= 0; i--) {
              long t = (long) n * j + i + 1;
              for (int k = 0; k < c; k++) {
                LONG.set(in, k * 16, a[k] ^ t);
                LONG.set(in, k * 16 + 8, r[k * n + i]);
              }
              ecb.update(in, 0, in.length, res, 0);
              for (int k = 0; k < c; k++) {
                a[k] = (long) LONG.get(res, k * 16);
                r[k * n + i] = (long) LONG.get(res, k * 16 + 8);
              }
            }
          }
        }
        for (int k = 0; k < c; k++) {
          for (int i = 0; i < n; i++) {
            LONG.set(plain, i * 8, r[k * n + i]);
          }
          int mli = (int) a[k];
          // RFC 5649 §3: MSB32(A) = A65959A6, 8(n-1) < MLI <= 8n, and the padding bytes are zero
          boolean ok = (int) (a[k] >>> 32) == AIV_CONSTANT && mli > 8 * (n - 1) && mli <= 8 * n;
          if (ok) {
            byte acc = 0;
            for (int b = mli; b < n * 8; b++) {
              acc |= plain[b];
            }
            ok = MessageDigest.isEqual(new byte[] {acc}, new byte[1]);
          }
          if (!ok) {
            if (failed < 0 || idx.get(k) < failed) {
              failed = idx.get(k);
            }
            continue;
          }
          out[idx.get(k)] = Arrays.copyOf(plain, mli);
        }
      } finally {
        Arrays.fill(r, 0);
        Arrays.fill(in, (byte) 0);
        Arrays.fill(res, (byte) 0);
        Arrays.fill(plain, (byte) 0);
      }
    }
    if (failed >= 0) {
      for (byte[] o : out) {
        if (o != null) {
          Arrays.fill(o, (byte) 0);
        }
      }
      throw new AEADBadTagException("wrapped key " + failed + " failed its integrity check (RFC 5649 §3)");
    }
    return Arrays.asList(out);
  }
}
