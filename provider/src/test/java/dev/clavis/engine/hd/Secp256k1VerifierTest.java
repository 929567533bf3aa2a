package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SignatureException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Secp256k1VerifierTest {

  private static final BigInteger GX = new BigInteger(
      "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16);
  private static final BigInteger GY = new BigInteger(
      "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16);

  @Test
  void aSignatureOfClavisSigner_verifies_andAnotherHashDoesNot() throws Exception {
    byte[] d = new byte[32];
    d[31] = 1; // public key G
    byte[] h = MessageDigest.getInstance("SHA-256").digest("m".getBytes());
    byte[] sig = new Secp256k1Ecdsa().signDer(d, h);
    Secp256k1Verifier v = Secp256k1Verifier.of(GX, GY);
    assertTrue(v.verify(h, sig));
    h[0] ^= 1;
    assertFalse(v.verify(h, sig));
  }

  @Test
  void aPointOffTheCurve_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Secp256k1Verifier.of(GX, GY.add(BigInteger.ONE)));
  }

  @Test
  void malformedDer_isASignatureException_zeroRIsFalse() throws Exception {
    Secp256k1Verifier v = Secp256k1Verifier.of(GX, GY);
    byte[] h = new byte[32];
    assertThrows(SignatureException.class, () -> v.verify(h, HexFormat.of().parseHex("3006020181020101")));
    assertThrows(SignatureException.class, () -> v.verify(h, HexFormat.of().parseHex("300602010102010100")));
    assertFalse(v.verify(h, HexFormat.of().parseHex("3006020100020101")));
    assertThrows(IllegalArgumentException.class, () -> v.verify(new byte[31], HexFormat.of().parseHex("3006020101020101")));
  }
}
