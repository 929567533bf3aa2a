package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import dev.clavis.hd.Network;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Bip32KeyFactorySpiTest {

  private static final byte[] SEED = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final String M_XPRV =
      "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
  private static final String M_XPUB =
      "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";

  private static KeyFactory factory() throws Exception {
    return KeyFactory.getInstance("BIP32", new ClavisProvider());
  }

  @Test
  void generatePrivate_seedSpec_givesTheBip32Key() throws Exception {
    ExtendedPrivateKey k = (ExtendedPrivateKey) factory().generatePrivate(new HDKeySpec(SEED, "m/0H/1"));
    assertEquals("xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs", k.toBase58());
  }

  @Test
  void generatePublic_seedXprvAndXpubSpecs_agree() throws Exception {
    KeyFactory kf = factory();
    ExtendedPublicKey fromSeed = (ExtendedPublicKey) kf.generatePublic(new HDKeySpec(SEED, "m/0/5"));
    ExtendedPublicKey fromXprv = (ExtendedPublicKey) kf.generatePublic(new HDKeySpec(M_XPRV, "m/0/5"));
    ExtendedPublicKey fromXpub = (ExtendedPublicKey) kf.generatePublic(new HDKeySpec(M_XPUB, "m/0/5"));
    assertEquals(fromSeed, fromXprv);
    assertEquals(fromSeed, fromXpub);
  }

  @Test
  void generatePrivate_xprvSpecWithRelativePath_continuesTheTree() throws Exception {
    KeyFactory kf = factory();
    String xprv0h = ((ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(SEED, "m/0'"))).toBase58();
    ExtendedPrivateKey viaXprv = (ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(xprv0h, "m/1/2'"));
    ExtendedPrivateKey viaSeed = (ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(SEED, "m/0'/1/2'"));
    assertEquals(viaSeed.toBase58(), viaXprv.toBase58());
  }

  @Test
  void generatePrivate_testnetSeed_givesTprv() throws Exception {
    ExtendedPrivateKey k = (ExtendedPrivateKey) factory().generatePrivate(new HDKeySpec(SEED, "m/1", Network.TESTNET));
    assertTrue(k.toBase58().startsWith("tprv"));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
    "seed|m//1|step 1 is empty",
    "seed|m/1''|more than one hardened marker",
    "seed|m/2147483648'|below 2^31",
    "seed|m/-1|negative",
    "seed||path is empty",
    "xpub|m/1'|hardened",
  })
  void generate_malformedPath_throwsInvalidKeySpec(String source, String path, String expected) throws Exception {
    HDKeySpec spec = source.equals("seed") ? new HDKeySpec(SEED, path == null ? "" : path) : new HDKeySpec(M_XPUB, path);
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class, () -> factory().generatePublic(spec));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void generate_pathDeeperThan255_throwsInvalidKeySpec() {
    HDKeySpec spec = new HDKeySpec(SEED, "m" + "/1".repeat(256));
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class, () -> factory().generatePrivate(spec));
    assertTrue(e.getMessage().contains("255"), e.getMessage());
  }

  @Test
  void generatePrivate_seedTooShortOrLong_throwsInvalidKeySpec() {
    assertThrows(InvalidKeySpecException.class, () -> factory().generatePrivate(new HDKeySpec(new byte[15], "m")));
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> factory().generatePrivate(new HDKeySpec(new byte[65], "m")));
    assertTrue(e.getMessage().contains("16 to 64 bytes"), e.getMessage());
  }

  @Test
  void generatePrivate_fromXpub_throwsInvalidKeySpec() {
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> factory().generatePrivate(new HDKeySpec(M_XPUB, "m")));
    assertTrue(e.getMessage().contains("cannot give a private key"), e.getMessage());
  }

  @Test
  void generatePrivate_badChecksum_throwsInvalidKeySpec() {
    String bad = M_XPRV.substring(0, M_XPRV.length() - 1) + "j";
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> factory().generatePrivate(new HDKeySpec(bad, "m")));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void generatePrivate_foreignSpec_throwsInvalidKeySpec() {
    assertThrows(InvalidKeySpecException.class, () -> factory().generatePrivate(new PKCS8EncodedKeySpec(new byte[10])));
  }

  @Test
  void getKeySpec_roundTripsThroughEverySupportedSpec() throws Exception {
    KeyFactory kf = factory();
    ExtendedPrivateKey k = (ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(SEED, "m/4"));
    HDKeySpec hd = kf.getKeySpec(k, HDKeySpec.class);
    assertEquals(k.toBase58(), hd.getExtendedKey());
    assertEquals("m", hd.getPath());
    assertEquals(k.getS(), kf.getKeySpec(k, ECPrivateKeySpec.class).getS());
    assertEquals(k.getEncoded().length, kf.getKeySpec(k, PKCS8EncodedKeySpec.class).getEncoded().length);
    ExtendedPublicKey p = k.getPublicKey();
    assertEquals(p.toBase58(), kf.getKeySpec(p, HDKeySpec.class).getExtendedKey());
    assertEquals(p.getW(), kf.getKeySpec(p, ECPublicKeySpec.class).getW());
    assertEquals(p.getEncoded().length, kf.getKeySpec(p, X509EncodedKeySpec.class).getEncoded().length);
    assertThrows(InvalidKeySpecException.class, () -> kf.getKeySpec(p, ECPrivateKeySpec.class));
  }

  @Test
  void translateKey_ownKeysPassForeignKeysFail() throws Exception {
    KeyFactory kf = factory();
    ExtendedPrivateKey k = (ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(SEED, "m"));
    assertSame(k, kf.translateKey(k));
    assertInstanceOf(ExtendedPublicKey.class, kf.translateKey(k.getPublicKey()));
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    java.security.PrivateKey foreign = g.generateKeyPair().getPrivate();
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> kf.translateKey(foreign));
    assertTrue(e.getMessage().contains("chain code"), e.getMessage());
    k.destroy();
    assertThrows(InvalidKeyException.class, () -> kf.translateKey(k));
  }
}
