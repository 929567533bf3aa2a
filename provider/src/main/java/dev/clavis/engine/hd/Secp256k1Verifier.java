package dev.clavis.engine.hd;

import java.math.BigInteger;
import java.security.SignatureException;

/**
 * ECDSA verification on secp256k1 (SEC 1 §4.1.4) of DER signatures, the counterpart of
 * {@link Secp256k1Ecdsa}. Everything it handles is public (key, hash, signature), so it is plain
 * variable-time affine arithmetic on {@link BigInteger}, written for clarity, not speed.
 *
 * <p>Strict: the signature must be DER ({@code SEQUENCE { INTEGER r, INTEGER s }}, minimal
 * lengths and integers, nothing after it), with 1 ≤ r, s ≤ n-1. A high S verifies (SEC 1 does
 * not forbid it; low S is a BIP 146 relay rule, and {@link Secp256k1Ecdsa} only produces low S).
 */
public final class Secp256k1Verifier {

  private static final BigInteger P = new BigInteger(
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
  private static final BigInteger N = new BigInteger(
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  private static final BigInteger[] G = {
    new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
    new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16)};
  private static final BigInteger SEVEN = BigInteger.valueOf(7);

  private final BigInteger[] q;

  private Secp256k1Verifier(BigInteger[] q) {
    this.q = q;
  }

  /**
   * @param x the public key's affine x
   * @param y the public key's affine y
   * @return a verifier for that key
   * @throws IllegalArgumentException if (x, y) is not a point of secp256k1
   */
  public static Secp256k1Verifier of(BigInteger x, BigInteger y) {
    if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P) >= 0 || y.compareTo(P) >= 0
        || !y.multiply(y).subtract(x.pow(3)).subtract(SEVEN).mod(P).equals(BigInteger.ZERO)) {
      throw new IllegalArgumentException("the public key is not a point of secp256k1");
    }
    return new Secp256k1Verifier(new BigInteger[] {x, y});
  }

  /**
   * @param compressed the public key as SEC 1 §2.3.3 writes it compressed (33 bytes: 02 or 03, then x),
   *     as {@code Keyring.hdPublicKey} and BIP32 give it
   * @return a verifier for that key
   * @throws IllegalArgumentException if it is not 33 bytes, has another prefix, or names no point of secp256k1
   */
  public static Secp256k1Verifier ofCompressed(byte[] compressed) {
    long[] x = Fe.create();
    long[] y = Fe.create();
    String defect = Secp256k1.decompress(compressed, x, y);
    if (defect != null) {
      throw new IllegalArgumentException(defect);
    }
    byte[] xb = new byte[32];
    byte[] yb = new byte[32];
    Fe.toBytes(xb, 0, x);
    Fe.toBytes(yb, 0, y);
    return of(new BigInteger(1, xb), new BigInteger(1, yb));
  }

  /**
   * @param hash the message hash (SHA-256 for {@code SHA256withECDSA}: 32 bytes)
   * @param der the signature, DER
   * @return whether it is a valid signature of {@code hash} under this key
   * @throws SignatureException if the signature is not strict DER
   * @throws IllegalArgumentException if the hash is not 32 bytes
   */
  public boolean verify(byte[] hash, byte[] der) throws SignatureException {
    if (hash.length != 32) {
      throw new IllegalArgumentException("secp256k1 ECDSA takes a 32-byte hash, got " + hash.length);
    }
    BigInteger[] rs = decode(der);
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (r.signum() <= 0 || s.signum() <= 0 || r.compareTo(N) >= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    BigInteger e = new BigInteger(1, hash).mod(N);
    BigInteger w = s.modInverse(N);
    BigInteger[] pt = add(multiply(G, e.multiply(w).mod(N)), multiply(q, r.multiply(w).mod(N)));
    return pt != null && pt[0].mod(N).equals(r);
  }

  // ---------------------------------------------------------------- affine arithmetic; null is the point at infinity

  private static BigInteger[] multiply(BigInteger[] pt, BigInteger k) {
    BigInteger[] acc = null;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      acc = add(acc, acc);
      if (k.testBit(i)) {
        acc = add(acc, pt);
      }
    }
    return acc;
  }

  private static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    BigInteger lambda;
    if (a[0].equals(b[0])) {
      if (!a[1].equals(b[1]) || a[1].signum() == 0) {
        return null; // a = -b
      }
      lambda = a[0].pow(2).multiply(BigInteger.valueOf(3)).multiply(a[1].shiftLeft(1).modInverse(P)).mod(P);
    } else {
      lambda = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
    }
    BigInteger x = lambda.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
    BigInteger y = lambda.multiply(a[0].subtract(x)).subtract(a[1]).mod(P);
    return new BigInteger[] {x, y};
  }

  // ---------------------------------------------------------------- strict DER

  private static BigInteger[] decode(byte[] der) throws SignatureException {
    int[] pos = {0};
    if (der.length < 8 || der[pos[0]++] != 0x30) {
      throw new SignatureException("a secp256k1 signature is a DER SEQUENCE");
    }
    int len = length(der, pos);
    if (pos[0] + len != der.length) {
      throw new SignatureException("the DER SEQUENCE length does not match the signature's");
    }
    BigInteger r = integer(der, pos);
    BigInteger s = integer(der, pos);
    if (pos[0] != der.length) {
      throw new SignatureException("bytes after the two DER INTEGERs");
    }
    return new BigInteger[] {r, s};
  }

  private static int length(byte[] b, int[] pos) throws SignatureException {
    if (pos[0] >= b.length) {
      throw new SignatureException("truncated DER");
    }
    int first = b[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    throw new SignatureException("a long-form DER length in a secp256k1 signature (at most 72 bytes)");
  }

  private static BigInteger integer(byte[] b, int[] pos) throws SignatureException {
    if (pos[0] >= b.length || b[pos[0]++] != 0x02) {
      throw new SignatureException("a DER INTEGER expected");
    }
    int len = length(b, pos);
    if (len == 0 || pos[0] + len > b.length) {
      throw new SignatureException("a DER INTEGER of length " + len + " does not fit");
    }
    int v = pos[0];
    pos[0] += len;
    if ((b[v] & 0x80) != 0) {
      throw new SignatureException("a negative DER INTEGER (its leading zero is missing)");
    }
    if (len > 1 && b[v] == 0 && (b[v + 1] & 0x80) == 0) {
      throw new SignatureException("a DER INTEGER with a superfluous leading zero");
    }
    byte[] mag = new byte[len];
    System.arraycopy(b, v, mag, 0, len);
    return new BigInteger(1, mag);
  }
}
