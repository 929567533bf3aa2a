package dev.clavis.engine.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;

class Secp256k1EcdsaTest {

  private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(X9);
  private static final BigInteger N = X9.getN();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Bouncy Castle's RFC 6979 signature, low-S applied (BC signs with whichever s comes out). */
  static byte[] bouncyCastle(byte[] priv, byte[] hash) throws Exception {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, priv), DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger s = rs[1].compareTo(N.shiftRight(1)) > 0 ? N.subtract(rs[1]) : rs[1];
    return StandardDSAEncoding.INSTANCE.encode(N, rs[0], s);
  }

  static byte[] randomKey() {
    BigInteger d;
    do {
      d = new BigInteger(256, RANDOM);
    } while (d.signum() == 0 || d.compareTo(N) >= 0);
    byte[] raw = d.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  static byte[] sha256(byte[] m) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(m);
  }

  @Test
  void signature_isByteForByteBouncyCastlesRfc6979_onRandomKeysAndMessages() throws Exception {
    Secp256k1Ecdsa ecdsa = new Secp256k1Ecdsa();
    for (int i = 0; i < 300; i++) {
      byte[] priv = randomKey();
      byte[] msg = new byte[RANDOM.nextInt(200)];
      RANDOM.nextBytes(msg);
      byte[] hash = sha256(msg);
      byte[] ours = ecdsa.signDer(priv, hash);
      assertArrayEquals(bouncyCastle(priv, hash), ours, "key " + HexFormat.of().formatHex(priv) + " message "
          + HexFormat.of().formatHex(msg));
      ECDSASigner v = new ECDSASigner();
      v.init(false, new ECPublicKeyParameters(DOMAIN.getG().multiply(new BigInteger(1, priv)), DOMAIN));
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(N, ours);
      assertTrue(v.verifySignature(hash, rs[0], rs[1]));
    }
  }

  @Test
  void signature_isAlwaysLowS() {
    Secp256k1Ecdsa ecdsa = new Secp256k1Ecdsa();
    for (int i = 0; i < 300; i++) {
      byte[] hash = new byte[32];
      RANDOM.nextBytes(hash);
      byte[] rs = ecdsa.signRaw(randomKey(), hash);
      BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64));
      assertTrue(s.signum() > 0 && s.compareTo(N.shiftRight(1)) <= 0, "s is high: " + s.toString(16));
    }
  }

  @Test
  void signature_hashesAtOrAboveTheOrder_areReducedAsBouncyCastleDoes() throws Exception {
    Secp256k1Ecdsa ecdsa = new Secp256k1Ecdsa();
    byte[] ff = new byte[32];
    java.util.Arrays.fill(ff, (byte) 0xFF);
    byte[] nBytes = HexFormat.of().parseHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
    for (byte[] hash : new byte[][] {ff, nBytes, new byte[32]}) {
      byte[] priv = randomKey();
      assertArrayEquals(bouncyCastle(priv, hash), ecdsa.signDer(priv, hash));
    }
  }

  /** The widely published RFC 6979 secp256k1 vector: private key 1, SHA-256("Satoshi Nakamoto"), low S. */
  @Test
  void knownVector_rfc6979_privateKeyOne_satoshiNakamoto() throws Exception {
    byte[] priv = HexFormat.of().parseHex("0000000000000000000000000000000000000000000000000000000000000001");
    byte[] hash = sha256("Satoshi Nakamoto".getBytes(StandardCharsets.UTF_8));
    assertEquals("3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
        + "02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5",
        HexFormat.of().formatHex(new Secp256k1Ecdsa().signDer(priv, hash)));
  }

  @Test
  void sign_refusesKeysOutsideOneToNMinusOne() {
    Secp256k1Ecdsa ecdsa = new Secp256k1Ecdsa();
    byte[] hash = new byte[32];
    assertThrows(IllegalArgumentException.class, () -> ecdsa.signRaw(new byte[32], hash));
    assertThrows(IllegalArgumentException.class, () -> ecdsa.signRaw(
        HexFormat.of().parseHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"), hash));
    assertThrows(IllegalArgumentException.class, () -> ecdsa.signRaw(new byte[31], hash));
  }
}
