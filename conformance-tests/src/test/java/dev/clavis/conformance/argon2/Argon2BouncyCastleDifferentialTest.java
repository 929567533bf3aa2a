package dev.clavis.conformance.argon2;

import static dev.clavis.conformance.argon2.Argon2Vectors.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential test: Clavis's {@code SecretKeyFactory} and Bouncy Castle's
 * {@code Argon2BytesGenerator} agree on random parameter sets (type, t 1..4, m 8p..4096 KiB, p 1..4,
 * tags 4..64 bytes, random password, salt, optional secret and associated data). The seed is
 * printed so that a failure can be replayed with {@code -Dclavis.argon2.seed=N}.
 */
class Argon2BouncyCastleDifferentialTest {

  private static final int CASES = 60;

  @Test
  void generateSecret_randomParameters_equalsBouncyCastle() throws Exception {
    long seed = Long.getLong("clavis.argon2.seed", new SecureRandom().nextLong());
    System.err.println("Argon2BouncyCastleDifferentialTest seed " + seed);
    Random random = new Random(seed);
    for (int n = 0; n < CASES; n++) {
      Argon2Type type = Argon2Type.values()[random.nextInt(3)];
      int t = 1 + random.nextInt(4);
      int p = 1 + random.nextInt(4);
      int m = 8 * p + random.nextInt(4096 - 8 * p + 1);
      int tagLength = 4 + random.nextInt(61);
      byte[] password = bytes(random, random.nextInt(65));
      byte[] salt = bytes(random, 8 + random.nextInt(25));
      byte[] secret = random.nextBoolean() ? bytes(random, 1 + random.nextInt(32)) : null;
      byte[] ad = random.nextBoolean() ? bytes(random, 1 + random.nextInt(32)) : null;
      String id = "case " + n + " (seed " + seed + "): " + type.algorithm() + " t=" + t + " m=" + m
          + " p=" + p + " T=" + tagLength + " salt=" + HEX.formatHex(salt)
          + (secret != null ? " with secret" : "") + (ad != null ? " with ad" : "");
      byte[] expected = Argon2Vectors.bouncyCastle(type, Argon2.VERSION_13, password, salt, secret, ad,
          t, m, p, tagLength);
      byte[] actual = Argon2Vectors.clavis(type.algorithm(), password, salt, secret, ad, t, m, p, tagLength);
      assertArrayEquals(expected, actual, id);
    }
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
