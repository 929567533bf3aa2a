package dev.clavis.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PinVerifierTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void encoded_verifierReadBack_acceptsOnlyThePin_andHoldsNoPinBytes() {
    PinVerifier v = new PinVerifier(utf8("1234"));
    byte[] enc = v.encoded();
    assertEquals(PinVerifier.ENCODED_LENGTH, enc.length);
    PinVerifier back = PinVerifier.decode(enc);
    assertTrue(back.matches(utf8("1234")));
    assertFalse(back.matches(utf8("1235")));
    assertFalse(back.matches(utf8("")));
    assertArrayEquals(enc, back.encoded());
    assertFalse(new String(enc, StandardCharsets.ISO_8859_1).contains("1234"));
    assertFalse(java.util.Arrays.equals(enc, new PinVerifier(utf8("1234")).encoded()), "salted: two verifiers differ");
  }

  @Test
  void decode_ofDamagedOrForeignBytes_isRefused() {
    byte[] enc = new PinVerifier(utf8("1234")).encoded();
    assertThrows(IllegalArgumentException.class, () -> PinVerifier.decode(java.util.Arrays.copyOf(enc, enc.length - 1)));
    enc[0] = 9;
    assertThrows(IllegalArgumentException.class, () -> PinVerifier.decode(enc));
    assertThrows(IllegalArgumentException.class, () -> PinVerifier.decode(null));
  }
}
