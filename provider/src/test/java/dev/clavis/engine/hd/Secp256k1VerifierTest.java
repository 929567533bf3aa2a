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
  void theCompressedForm_isTheSameKey_bothParities_andABadEncodingIsRefused() throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-256").digest("m".getBytes());
    boolean sawOdd = false;
    boolean sawEven = false;
    for (int k = 1; k <= 8; k++) { // 1·G to 5·G have even y, 6·G odd: both prefixes
      byte[] d = new byte[32];
      d[31] = (byte) k;
      long[] x = Fe.create();
      long[] y = Fe.create();
      byte[] compressed = Secp256k1.publicKey(Scalar.fromBytes(d, 0), x, y);
      sawOdd |= compressed[0] == 3;
      sawEven |= compressed[0] == 2;
      byte[] sig = new Secp256k1Ecdsa().signDer(d, h);
      assertTrue(Secp256k1Verifier.ofCompressed(compressed).verify(h, sig), "k = " + k);
      byte[] other = compressed.clone();
      other[0] ^= 1; // the other y: the negated key
      assertFalse(Secp256k1Verifier.ofCompressed(other).verify(h, sig), "-" + k + "·G");
    }
    assertTrue(sawOdd && sawEven, "keys of both prefixes were verified");
    byte[] g = HexFormat.of().parseHex("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798");
    assertThrows(IllegalArgumentException.class, () -> Secp256k1Verifier.ofCompressed(java.util.Arrays.copyOf(g, 32)));
    byte[] uncompressedPrefix = g.clone();
    uncompressedPrefix[0] = 4;
    assertThrows(IllegalArgumentException.class, () -> Secp256k1Verifier.ofCompressed(uncompressedPrefix));
    byte[] offCurve = g.clone();
    offCurve[32] = 0x5b; // Gx with its last byte 5b: x³ + 7 is no square mod p, so no point has this x
    assertThrows(IllegalArgumentException.class, () -> Secp256k1Verifier.ofCompressed(offCurve));
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
