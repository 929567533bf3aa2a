package dev.clavis.conformance.kw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random KEKs (128, 192 or 256 bits) and random key lengths: Clavis's output equals SunJCE's for
 * the same input, and Clavis unwraps what SunJCE and Bouncy Castle wrap (and they unwrap
 * Clavis's). The seed is drawn fresh each run and printed in every failure message.
 */
class KeyWrapDifferentialTest {

  private static final int ROUNDS = 300;
  private static final int[] KEK_SIZES = {16, 24, 32};

  @ParameterizedTest(name = "padded = {0}")
  @ValueSource(booleans = {false, true})
  void randomInputs_clavisMatchesSunJceAndInteroperatesWithBc(boolean padded) throws Exception {
    long seed = new SecureRandom().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      byte[] kek = bytes(random, KEK_SIZES[random.nextInt(3)]);
      byte[] key = bytes(random, padded ? 1 + random.nextInt(300) : 8 * (2 + random.nextInt(63)));
      String id = "seed " + seed + " round " + round + ": " + (padded ? "KWP" : "KW") + " KEK "
          + kek.length * 8 + " bits, key " + key.length + " bytes";

      byte[] clavis = wrap(KwProviders.CLAVIS, padded, kek, key);
      assertArrayEquals(wrap(KwProviders.SUNJCE, padded, kek, key), clavis, id + ": differs from SunJCE");
      byte[] viaBytes = KwOps.BYTES.wrap(KwProviders.CLAVIS, padded, kek, key);
      assertArrayEquals(clavis, viaBytes, id + ": doFinal differs from wrap");

      for (KwProviders other : new KwProviders[] {KwProviders.SUNJCE, KwProviders.BC}) {
        byte[] theirs = wrap(other, padded, kek, key);
        assertArrayEquals(key, unwrap(KwProviders.CLAVIS, padded, kek, theirs), id + ": unwrapping " + other);
        assertArrayEquals(key, unwrap(other, padded, kek, clavis), id + ": " + other + " unwrapping Clavis");
      }
    }
  }

  @ParameterizedTest(name = "KEK {0} bytes")
  @ValueSource(ints = {16, 24, 32})
  void randomCustomKwIv_matchesSunJce(int kekSize) throws Exception {
    long seed = new SecureRandom().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < 50; round++) {
      byte[] kek = bytes(random, kekSize);
      byte[] iv = bytes(random, 8);
      byte[] key = bytes(random, 8 * (2 + random.nextInt(8)));
      String id = "seed " + seed + " round " + round;
      byte[][] out = new byte[2][];
      int i = 0;
      for (KwProviders p : new KwProviders[] {KwProviders.CLAVIS, KwProviders.SUNJCE}) {
        Cipher c = Cipher.getInstance("AES/KW/NoPadding", p.provider);
        c.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"), new IvParameterSpec(iv));
        out[i++] = c.wrap(new SecretKeySpec(key, "AES"));
      }
      assertArrayEquals(out[1], out[0], id);
      Cipher u = Cipher.getInstance("AES/KW/NoPadding", KwProviders.CLAVIS.provider);
      u.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"), new IvParameterSpec(iv));
      assertArrayEquals(key, u.unwrap(out[1], "AES", Cipher.SECRET_KEY).getEncoded(), id);
    }
  }

  @ParameterizedTest(name = "padded = {0}")
  @ValueSource(booleans = {false, true})
  void randomTampering_isRefusedByClavisExactlyWhenBySunJce(boolean padded) throws Exception {
    long seed = new SecureRandom().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < 100; round++) {
      byte[] kek = bytes(random, KEK_SIZES[random.nextInt(3)]);
      byte[] key = bytes(random, padded ? 1 + random.nextInt(40) : 8 * (2 + random.nextInt(5)));
      byte[] ct = wrap(KwProviders.SUNJCE, padded, kek, key);
      ct[random.nextInt(ct.length)] ^= (byte) (1 << random.nextInt(8));
      String id = "seed " + seed + " round " + round;
      assertEquals(null, KwOps.KEYS.refusal(KwProviders.CLAVIS, padded, kek, ct), id);
      assertEquals(null, KwOps.BYTES.refusal(KwProviders.CLAVIS, padded, kek, ct), id);
      assertEquals(null, KwOps.KEYS.refusal(KwProviders.SUNJCE, padded, kek, ct), id + " (SunJCE)");
    }
  }

  private static byte[] wrap(KwProviders p, boolean padded, byte[] kek, byte[] key) throws GeneralSecurityException {
    return KwOps.KEYS.wrap(p, padded, kek, key);
  }

  private static byte[] unwrap(KwProviders p, boolean padded, byte[] kek, byte[] ct) throws GeneralSecurityException {
    return KwOps.KEYS.unwrap(p, padded, kek, ct);
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
