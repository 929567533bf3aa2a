package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HmacSha512Test {

  @Test
  void mac_randomKeysAndLengths_matchesJdkMac() throws Exception {
    Random r = new Random(9);
    for (int len : new int[] {0, 1, 37, 64, 111, 112, 127, 128, 129, 255, 256, 300}) {
      byte[] key = new byte[1 + r.nextInt(128)];
      r.nextBytes(key);
      byte[] msg = new byte[len + 3];
      r.nextBytes(msg);
      Mac jdk = Mac.getInstance("HmacSHA512");
      jdk.init(new SecretKeySpec(key, "HmacSHA512"));
      jdk.update(msg, 2, len);
      HmacSha512 mine = new HmacSha512(key);
      assertArrayEquals(jdk.doFinal(), mine.mac(msg, 2, len), "length " + len);
      assertArrayEquals(mine.mac(msg, 2, len), mine.mac(msg, 2, len), "reusable, length " + len);
    }
  }

  @Test
  void destroy_changesTheOutput() {
    HmacSha512 h = new HmacSha512(new byte[] {1, 2, 3});
    byte[] before = h.mac(new byte[37], 0, 37);
    h.destroy();
    assertFalse(Arrays.equals(before, h.mac(new byte[37], 0, 37)), "the keyed state must be gone");
  }

  @Test
  void constructor_keyLongerThanABlock_throws() {
    assertThrows(IllegalArgumentException.class, () -> new HmacSha512(new byte[129]));
  }
}
