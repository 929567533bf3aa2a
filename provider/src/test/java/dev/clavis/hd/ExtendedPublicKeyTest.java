package dev.clavis.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class ExtendedPublicKeyTest {

  private static final byte[] SEED = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");

  @Test
  void derive_fromXpub_matchesPrivateDerivation() {
    ExtendedPrivateKey acct = ExtendedPrivateKey.fromSeed(SEED).derive("m/44'/0'/0'");
    ExtendedPublicKey xpub = ExtendedPublicKey.fromBase58(acct.getPublicKey().toBase58());
    assertEquals(acct.derive("m/0/9").getPublicKey(), xpub.derive("m/0/9"));
    assertEquals(acct.derive("m/0/9").getPublicKey().toBase58(), xpub.deriveChild(0).deriveChild(9).toBase58());
  }

  @Test
  void derive_hardenedStep_throwsNamingTheStep() {
    ExtendedPublicKey xpub = ExtendedPrivateKey.fromSeed(SEED).getPublicKey();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> xpub.derive("m/0/1'"));
    assertTrue(e.getMessage().contains("step 2") && e.getMessage().contains("hardened"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> xpub.deriveChild(0x80000000));
  }

  @Test
  void getW_isTheBouncyCastlePointOfTheScalar() {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED).derive("m/3");
    org.bouncycastle.math.ec.ECPoint p =
        SECNamedCurves.getByName("secp256k1").getG().multiply(k.getS()).normalize();
    ECPublicKey pub = k.getPublicKey();
    assertEquals(p.getAffineXCoord().toBigInteger(), pub.getW().getAffineX());
    assertEquals(p.getAffineYCoord().toBigInteger(), pub.getW().getAffineY());
    assertArrayEquals(p.getEncoded(true), k.getPublicKey().getCompressed());
  }

  @Test
  void getEncoded_isX509ThatBouncyCastleReadsBack() throws Exception {
    ExtendedPublicKey pub = ExtendedPrivateKey.fromSeed(SEED).getPublicKey();
    ECPublicKey back = (ECPublicKey) KeyFactory.getInstance("EC", new BouncyCastleProvider())
        .generatePublic(new X509EncodedKeySpec(pub.getEncoded()));
    assertEquals(pub.getW(), back.getW());
    assertEquals("X.509", pub.getFormat());
  }

  @Test
  void fromBase58_xprv_throws() {
    String xprv = ExtendedPrivateKey.fromSeed(SEED).toBase58();
    assertThrows(IllegalArgumentException.class, () -> ExtendedPublicKey.fromBase58(xprv));
  }

  @Test
  void equalsAndToString_useSerializationAndFingerprint() {
    ExtendedPublicKey a = ExtendedPrivateKey.fromSeed(SEED).getPublicKey();
    ExtendedPublicKey b = ExtendedPublicKey.fromBase58(a.toBase58());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, a.deriveChild(0));
    assertEquals("ExtendedPublicKey[fingerprint=3442193e, path=m]", a.toString());
    assertEquals(new BigInteger("3442193e", 16).intValue(), a.getFingerprint());
  }
}
