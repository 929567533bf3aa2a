package dev.clavis.pkcs11;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A PIN kept for re-login after a lost session: UTF-8, XOR-masked with a random pad so it never
 * sits in memory in the clear between logins. Unmasked only into a buffer that
 * {@link Session#login} wipes. Never printed.
 */
final class MaskedPin {

  private final byte[] masked;
  private final byte[] pad;

  /** @param pin copied; the caller wipes its array */
  MaskedPin(char[] pin) {
    ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pin));
    byte[] plain = new byte[utf8.remaining()];
    utf8.get(plain);
    if (utf8.hasArray()) {
      Arrays.fill(utf8.array(), (byte) 0);
    }
    pad = new byte[plain.length];
    new SecureRandom().nextBytes(pad);
    masked = new byte[plain.length];
    for (int i = 0; i < plain.length; i++) {
      masked[i] = (byte) (plain[i] ^ pad[i]);
    }
    Arrays.fill(plain, (byte) 0);
  }

  /** @return the PIN as UTF-8 in a fresh array the caller wipes */
  byte[] reveal() {
    byte[] out = new byte[masked.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (masked[i] ^ pad[i]);
    }
    return out;
  }

  void wipe() {
    Arrays.fill(masked, (byte) 0);
    Arrays.fill(pad, (byte) 0);
  }

  @Override
  public String toString() {
    return "pin=***";
  }
}
