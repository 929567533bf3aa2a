package dev.clavis.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class ExtendedPrivateKeyTest {

  private static final byte[] SEED = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  @Test
  void derive_vectorOne_matchesBip32() {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED).derive("m/0'/1/2'/2/1000000000");
    assertEquals("xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76", k.toBase58());
    assertEquals("xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy", k.getPublicKey().toBase58());
    assertEquals(5, k.getDepth());
    assertEquals(1000000000, k.getChildNumber());
    assertEquals(0xd880d7d8, k.getParentFingerprint());
    assertEquals("m/0'/1/2'/2/1000000000", k.getPath());
    assertEquals(Network.MAINNET, k.getNetwork());
  }

  @Test
  void deriveChild_equalsDeriveOfOneStep() {
    ExtendedPrivateKey m = ExtendedPrivateKey.fromSeed(SEED);
    assertEquals(m.derive("m/7'").toBase58(), m.deriveChild(7 | 0x80000000).toBase58());
    assertEquals(m.derive("m/7").toBase58(), m.deriveChild(7).toBase58());
  }

  @Test
  void ecPrivateKey_getSAndParams_describeTheScalarOnSecp256k1() {
    ExtendedPrivateKey m = ExtendedPrivateKey.fromSeed(SEED);
    assertEquals(new BigInteger("e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35", 16), m.getS());
    assertEquals(new BigInteger(1, m.getPrivateKeyBytes()), m.getS());
    assertEquals(7, m.getParams().getCurve().getB().intValue());
    assertEquals("EC", m.getAlgorithm());
    assertEquals("PKCS#8", m.getFormat());
  }

  @Test
  void sign_withBouncyCastleSha256WithEcdsa_verifiesWithThePublicKey() throws Exception {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED).derive("m/44'/0'/0'/0/7");
    byte[] msg = "pay 1 BTC to Alice".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Signature signer = Signature.getInstance("SHA256withECDSA", BC);
    signer.initSign(k);
    signer.update(msg);
    byte[] sig = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA", BC);
    verifier.initVerify(k.getPublicKey());
    verifier.update(msg);
    assertTrue(verifier.verify(sig), "the derived public key must verify the derived key's signature");
    verifier.initVerify(ExtendedPrivateKey.fromSeed(SEED).derive("m/44'/0'/0'/0/8").getPublicKey());
    verifier.update(msg);
    assertFalse(verifier.verify(sig), "a sibling's public key must not verify");
  }

  @Test
  void getEncoded_isPkcs8ThatBouncyCastleReadsBack() throws Exception {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED).derive("m/1");
    java.security.interfaces.ECPrivateKey back = (java.security.interfaces.ECPrivateKey)
        KeyFactory.getInstance("EC", BC).generatePrivate(new PKCS8EncodedKeySpec(k.getEncoded()));
    assertEquals(k.getS(), back.getS());
  }

  @Test
  void destroy_wipesAndRefusesFurtherUse() {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED).derive("m/0'");
    ExtendedPrivateKey child = k.derive("m/1");
    k.destroy();
    assertTrue(k.isDestroyed());
    assertThrows(IllegalStateException.class, k::getS);
    assertThrows(IllegalStateException.class, k::toBase58);
    assertThrows(IllegalStateException.class, k::getEncoded);
    assertThrows(IllegalStateException.class, () -> k.deriveChild(1));
    assertTrue(k.toString().contains("destroyed"));
    assertFalse(child.isDestroyed(), "children own their key material");
    assertTrue(child.toBase58().startsWith("xprv"), "a child stays usable after its parent is destroyed");
  }

  @Test
  void toString_showsFingerprintAndPathButNoKey() {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED).derive("m/0'/1");
    String s = k.toString();
    assertEquals("ExtendedPrivateKey[fingerprint=" + String.format("%08x", k.getFingerprint()) + ", path=m/0'/1]", s);
    assertFalse(s.contains(k.getS().toString(16)));
    assertFalse(s.contains(k.toBase58()));
    assertFalse(s.contains(HexFormat.of().formatHex(k.getChainCode())));
  }

  @Test
  void toString_ofParsedKey_marksUnknownAncestry() {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromBase58(ExtendedPrivateKey.fromSeed(SEED).derive("m/0'/1").toBase58());
    assertEquals("…/1 (depth 3)", k.derive("m/1").getPath());
  }

  @Test
  void serialization_isRefused() throws Exception {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED);
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      assertThrows(NotSerializableException.class, () -> out.writeObject(k));
      assertThrows(NotSerializableException.class, () -> out.writeObject(k.getPublicKey()));
    }
  }

  @Test
  void fromBase58_xpub_throws() {
    String xpub = ExtendedPrivateKey.fromSeed(SEED).getPublicKey().toBase58();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExtendedPrivateKey.fromBase58(xpub));
    assertTrue(e.getMessage().contains("public"), e.getMessage());
  }

  @Test
  void fromSeed_testnet_roundTripsThroughTprv() {
    ExtendedPrivateKey k = ExtendedPrivateKey.fromSeed(SEED, Network.TESTNET).derive("m/1'");
    assertTrue(k.toBase58().startsWith("tprv"));
    ExtendedPrivateKey back = ExtendedPrivateKey.fromBase58(k.toBase58());
    assertEquals(Network.TESTNET, back.getNetwork());
    assertArrayEquals(k.getPrivateKeyBytes(), back.getPrivateKeyBytes());
  }
}
