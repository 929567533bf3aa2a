package dev.clavis.engine.shamir;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;
import org.junit.jupiter.api.Test;

/**
 * Shamir over GF(2^8) against an independent implementation, Bouncy Castle's {@code
 * ShamirSecretSplitter} (AES field, both of its multiplication modes): each side combines the
 * other's shares; and the field arithmetic against a plain carry-less reference.
 */
class ShamirTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Reference multiply: carry-less product, then reduction by 0x11B, written with branches. */
  private static int slowMul(int a, int b) {
    int p = 0;
    for (int i = 0; i < 8; i++) {
      if (((b >> i) & 1) != 0) {
        p ^= a << i;
      }
    }
    for (int i = 14; i >= 8; i--) {
      if (((p >> i) & 1) != 0) {
        p ^= 0x11B << (i - 8);
      }
    }
    return p;
  }

  @Test
  void mul_matchesTheReference_forAllPairs_andInverseInverts() {
    for (int a = 0; a < 256; a++) {
      for (int b = 0; b < 256; b++) {
        assertEquals(slowMul(a, b), Shamir.mul(a, b), a + "*" + b);
      }
      if (a != 0) {
        assertEquals(1, Shamir.mul(a, Shamir.inverse(a)), "inverse of " + a);
      }
    }
    assertEquals(0xC1, Shamir.mul(0x57, 0x83), "FIPS 197 §4.2 example");
  }

  private static int rOf(ShamirSplitSecretShare s) throws Exception {
    Field f = ShamirSplitSecretShare.class.getDeclaredField("r");
    f.setAccessible(true);
    return f.getInt(s);
  }

  @Test
  void ourShares_combineInBouncyCastle() throws Exception {
    for (ShamirSecretSplitter.Mode mode : ShamirSecretSplitter.Mode.values()) {
      for (int[] nm : new int[][] {{2, 2}, {3, 2}, {5, 3}, {10, 7}, {255, 2}}) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        byte[][] ys = Shamir.split(secret, nm[0], nm[1], RANDOM);
        ShamirSplitSecretShare[] pick = new ShamirSplitSecretShare[nm[1]];
        for (int i = 0; i < nm[1]; i++) {
          int x = nm[0] - i; // the last m shares
          pick[i] = new ShamirSplitSecretShare(ys[x - 1], x);
        }
        byte[] bc = new ShamirSplitSecret(ShamirSecretSplitter.Algorithm.AES, mode, pick).getSecret();
        assertArrayEquals(secret, bc, mode + " " + nm[1] + " of " + nm[0]);
      }
    }
  }

  @Test
  void bouncyCastleShares_combineHere() throws Exception {
    for (int[] nm : new int[][] {{2, 2}, {5, 3}, {9, 9}, {20, 4}}) {
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      ShamirSecretSplitter sp = new ShamirSecretSplitter(ShamirSecretSplitter.Algorithm.AES,
          ShamirSecretSplitter.Mode.Table, secret.length, RANDOM);
      // BC 1.82 sizes the returned array by the secret's length; its first n entries are the shares (x = 1..n)
      ShamirSplitSecretShare[] all = Arrays.stream(sp.resplit(secret, nm[1], nm[0]).getSecretShares())
          .filter(java.util.Objects::nonNull).toArray(ShamirSplitSecretShare[]::new);
      assertEquals(nm[0], all.length);
      int[] xs = new int[nm[1]];
      byte[][] ys = new byte[nm[1]][];
      for (int i = 0; i < nm[1]; i++) {
        ShamirSplitSecretShare s = all[all.length - 1 - i]; // the last m shares
        xs[i] = rOf(s);
        ys[i] = s.getEncoded();
      }
      assertArrayEquals(secret, Shamir.combine(xs, ys), nm[1] + " of " + nm[0]);
    }
  }

  @Test
  void everySubsetOfThreshold_recovers_andFewerDoNot() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    byte[][] ys = Shamir.split(secret, 5, 3, RANDOM);
    List<int[]> subsets = new ArrayList<>();
    for (int a = 1; a <= 5; a++) {
      for (int b = a + 1; b <= 5; b++) {
        for (int c = b + 1; c <= 5; c++) {
          subsets.add(new int[] {a, b, c});
        }
      }
    }
    for (int[] s : subsets) {
      assertArrayEquals(secret, Shamir.combine(s, new byte[][] {ys[s[0] - 1], ys[s[1] - 1], ys[s[2] - 1]}),
          Arrays.toString(s));
    }
    assertFalse(Arrays.equals(secret, Shamir.combine(new int[] {1, 2}, new byte[][] {ys[0], ys[1]})),
        "two of a 3-quorum give something else");
  }

  @Test
  void badQuorums_andBadShares_areRefusedWithTheirReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shamir.checkQuorum(3, 4));
    assertTrue(e.getMessage().contains("larger than the number of shares"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Shamir.checkQuorum(3, 1));
    assertTrue(e.getMessage().contains("below 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Shamir.checkQuorum(256, 2));
    assertThrows(IllegalArgumentException.class, () -> Shamir.split(new byte[0], 3, 2, RANDOM));
    assertThrows(IllegalArgumentException.class, () -> Shamir.combine(new int[] {1, 1}, new byte[][] {{1}, {2}}));
    assertThrows(IllegalArgumentException.class, () -> Shamir.combine(new int[] {1, 2}, new byte[][] {{1}, {2, 3}}));
    assertThrows(IllegalArgumentException.class, () -> Shamir.combine(new int[] {0, 2}, new byte[][] {{1}, {2}}));
  }
}
