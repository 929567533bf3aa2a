package dev.clavis.testkit;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/** Many random 32-byte keys for a bulk import, named {@code k0}, {@code k1}, ... in order. */
public final class RandomKeys {

  private RandomKeys() {}

  /**
   * @param n how many
   * @return {@code k0} … {@code k(n-1)}, each 32 random bytes, in that order
   */
  public static Map<String, byte[]> aes256(int n) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    SecureRandom r = new SecureRandom();
    for (int i = 0; i < n; i++) {
      byte[] k = new byte[32];
      r.nextBytes(k);
      keys.put("k" + i, k);
    }
    return keys;
  }
}
