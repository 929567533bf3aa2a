package dev.clavis.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clavis.engine.hd.Base58Check;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

/**
 * The PKCS#8 and X.509 encodings of HD keys are byte for byte what the Bouncy Castle code they
 * replaced wrote (the old {@code getEncoded()} bodies, verbatim, are the oracle here).
 */
class Secp256k1SpecTest {

  private static final BigInteger N = Secp256k1Spec.N;
  private static final AlgorithmIdentifier BC_ALGORITHM =
      new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1);

  private static byte[] bcPkcs8(ExtendedPrivateKey k) throws Exception {
    return new PrivateKeyInfo(BC_ALGORITHM,
            new org.bouncycastle.asn1.sec.ECPrivateKey(256, k.getS(), SECObjectIdentifiers.secp256k1))
        .getEncoded("DER");
  }

  private static byte[] bcX509(ExtendedPublicKey k) throws Exception {
    byte[] point = new byte[65];
    point[0] = 4;
    byte[] x = unsigned32(k.getW().getAffineX());
    byte[] y = unsigned32(k.getW().getAffineY());
    System.arraycopy(x, 0, point, 1, 32);
    System.arraycopy(y, 0, point, 33, 32);
    return new SubjectPublicKeyInfo(BC_ALGORITHM, point).getEncoded("DER");
  }

  private static byte[] unsigned32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  /** An xprv at depth 0 holding the scalar s, to reach scalars with leading zero bytes. */
  private static ExtendedPrivateKey withScalar(BigInteger s) {
    byte[] payload = new byte[78];
    System.arraycopy(HexFormat.of().parseHex("0488ade4"), 0, payload, 0, 4);
    payload[13] = 1; // any chain code
    System.arraycopy(unsigned32(s), 0, payload, 46, 32);
    return ExtendedPrivateKey.fromBase58(Base58Check.encode(payload));
  }

  private static void assertBoth(ExtendedPrivateKey k) throws Exception {
    assertArrayEquals(bcPkcs8(k), k.getEncoded(), k.toString());
    assertArrayEquals(bcX509(k.getPublicKey()), k.getPublicKey().getEncoded(), k.toString());
  }

  @Test
  void getEncoded_randomKeys_byteIdenticalToBouncyCastle() throws Exception {
    SecureRandom rnd = new SecureRandom();
    for (int i = 0; i < 40; i++) {
      byte[] seed = new byte[16 + rnd.nextInt(49)];
      rnd.nextBytes(seed);
      ExtendedPrivateKey master = ExtendedPrivateKey.fromSeed(seed);
      assertBoth(master);
      assertBoth(master.deriveChild(rnd.nextInt()));
      assertBoth(master.deriveChild(rnd.nextInt() & 0x7FFFFFFF).deriveChild(rnd.nextInt()));
    }
  }

  @Test
  void getEncoded_edgeScalars_byteIdenticalToBouncyCastle() throws Exception {
    SecureRandom rnd = new SecureRandom();
    BigInteger[] edges = {
      BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(255), BigInteger.ONE.shiftLeft(248).subtract(BigInteger.ONE),
      BigInteger.ONE.shiftLeft(255), N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO),
      new BigInteger(200, rnd).add(BigInteger.ONE), new BigInteger(120, rnd).add(BigInteger.ONE)
    };
    for (BigInteger s : edges) {
      ExtendedPrivateKey k = withScalar(s);
      assertEquals(s, k.getS());
      assertBoth(k);
    }
  }

  @Test
  void getEncoded_readBackByTheJdkAndBouncyCastle() throws Exception {
    ExtendedPrivateKey k = withScalar(BigInteger.valueOf(7));
    for (KeyFactory kf : new KeyFactory[] {
        KeyFactory.getInstance("EC", new BouncyCastleProvider()), KeyFactory.getInstance("EC", "SunEC")}) {
      ECPublicKey pub = (ECPublicKey) kf.generatePublic(new X509EncodedKeySpec(k.getPublicKey().getEncoded()));
      assertEquals(k.getPublicKey().getW(), pub.getW());
      // the JDK's SunEC is asked for the public encoding only; Bouncy Castle reads both
      if (kf.getProvider() instanceof BouncyCastleProvider) {
        ECPrivateKey priv = (ECPrivateKey) kf.generatePrivate(new PKCS8EncodedKeySpec(k.getEncoded()));
        assertEquals(BigInteger.valueOf(7), priv.getS());
      }
    }
  }

  @Test
  void pkcs8_wrongLength_throws() {
    assertThrows(IllegalArgumentException.class, () -> Secp256k1Spec.pkcs8(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Secp256k1Spec.x509(new byte[33]));
  }
}
