package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignatureEncodingsTest {

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void realSunEcSignatures_areStrictDer() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp384r1"));
    var kp = g.generateKeyPair();
    for (int i = 0; i < 50; i++) {
      Signature s = Signature.getInstance("SHA384withECDSA", "SunEC");
      s.initSign(kp.getPrivate());
      s.update(new byte[] {(byte) i});
      byte[] sig = s.sign();
      assertNull(SignatureEncodings.malformed("SHA384withECDSA", sig), HexFormat.of().formatHex(sig));
    }
  }

  @Test
  void ecdsaIntegerWithoutItsLeadingZero_isMalformed() {
    assertTrue(SignatureEncodings.strictEcdsaDer(hex("3006020101020101")));
    assertFalse(SignatureEncodings.strictEcdsaDer(hex("3006020181020101")), "negative r (missing zero)");
    assertFalse(SignatureEncodings.strictEcdsaDer(hex("300702020001020101")), "a superfluous leading zero");
    assertTrue(SignatureEncodings.strictEcdsaDer(hex("300702020081020101")), "the zero before a high bit");
  }

  @Test
  void ecdsaTrailingBytesLongFormLengthsAndEmptyIntegers_areMalformed() {
    assertFalse(SignatureEncodings.strictEcdsaDer(hex("300602010102010100")), "trailing byte");
    assertFalse(SignatureEncodings.strictEcdsaDer(hex("30810602010102010100")), "long form below 128");
    assertFalse(SignatureEncodings.strictEcdsaDer(hex("3006020001020101")), "empty INTEGER");
    assertFalse(SignatureEncodings.strictEcdsaDer(hex("3106020101020101")), "SET, not SEQUENCE");
    assertFalse(SignatureEncodings.strictEcdsaDer(hex("3007020101020101")), "length past the end");
  }

  @Test
  void ed25519_mustBe64Bytes() {
    assertNull(SignatureEncodings.malformed("Ed25519", new byte[64]));
    assertNotNull(SignatureEncodings.malformed("Ed25519", new byte[65]));
    assertNotNull(SignatureEncodings.malformed("Ed25519", Arrays.copyOf(new byte[64], 63)));
    assertNull(SignatureEncodings.malformed("SHA256withRSA", new byte[3]), "RSA is left to SunRsaSign");
  }
}
