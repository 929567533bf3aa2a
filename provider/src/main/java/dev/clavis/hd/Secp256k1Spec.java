package dev.clavis.hd;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import java.util.Arrays;

/** The secp256k1 domain parameters (SEC 2 §2.4.1) as JCA values, and the DER key encodings on it. */
public final class Secp256k1Spec {

  static final BigInteger P = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
  static final BigInteger N = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  static final ECParameterSpec PARAMS = new ECParameterSpec(
      new EllipticCurve(new ECFieldFp(P), BigInteger.ZERO, BigInteger.valueOf(7)),
      new ECPoint(
          new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
          new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16)),
      N,
      1);
  /** SEC 2 {@code secp256k1}: {@code iso(1) identified-organization(3) certicom(132) curve(0) 10}. */
  static final String CURVE_OID = "1.3.132.0.10";
  /** ANSI X9.62 {@code id-ecPublicKey}. */
  static final String EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1";

  private Secp256k1Spec() {}

  /** {@code AlgorithmIdentifier ::= SEQUENCE { id-ecPublicKey, namedCurve secp256k1 }} (RFC 5480 §2.1.1). */
  private static byte[] algorithm() {
    return Der.sequence(Der.oid(EC_PUBLIC_KEY_OID), Der.oid(CURVE_OID));
  }

  /**
   * The PKCS#8 (RFC 5208) {@code PrivateKeyInfo} of the scalar s: version 0, the algorithm above,
   * and as privateKey the RFC 5915 {@code ECPrivateKey} {version 1, s as 32 octets, [0] the curve}
   * without the optional public key, the same bytes Bouncy Castle's
   * {@code new PrivateKeyInfo(alg, new ECPrivateKey(256, s, secp256k1))} writes.
   *
   * @param s the 32-byte big-endian private scalar (left as it is; the caller wipes it)
   * @return a fresh array the caller wipes
   * @throws IllegalArgumentException if s is not 32 bytes
   */
  public static byte[] pkcs8(byte[] s) {
    if (s.length != 32) {
      throw new IllegalArgumentException("a secp256k1 private key is 32 bytes, not " + s.length);
    }
    byte[] scalar = Der.octetString(s);
    byte[] ecPrivateKey = Der.sequence(Der.smallInteger(1), scalar, Der.explicit(0, Der.oid(CURVE_OID)));
    byte[] privateKey = Der.octetString(ecPrivateKey);
    try {
      return Der.sequence(Der.smallInteger(0), algorithm(), privateKey);
    } finally {
      Arrays.fill(scalar, (byte) 0);
      Arrays.fill(ecPrivateKey, (byte) 0);
      Arrays.fill(privateKey, (byte) 0);
    }
  }

  /**
   * The X.509 {@code SubjectPublicKeyInfo} (RFC 5480) of a SEC 1 point encoding.
   *
   * @param point the 65-byte uncompressed point {@code 04 || x || y}
   * @return a fresh array
   * @throws IllegalArgumentException if point is not an uncompressed point encoding
   */
  static byte[] x509(byte[] point) {
    if (point.length != 65 || point[0] != 4) {
      throw new IllegalArgumentException("expected a 65-byte uncompressed secp256k1 point");
    }
    return Der.sequence(algorithm(), Der.bitString(point));
  }
}
