package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.engine.hd.Bip32Node;
import dev.clavis.engine.hd.Bip32Path;
import dev.clavis.keyring.HdDerivation;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedPrivateKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Managed HD keys: a seed entry, children derived by path and by BIP44 levels that sign
 * SHA256withECDSA on secp256k1 through the JCA (byte for byte Bouncy Castle's RFC 6979 signature,
 * low S), their own lifecycle and their seed's.
 */
class ManagedHdKeyTest {

  private static final X9ECParameters X9 = HdKeyFixture.X9;
  private static final ECDomainParameters DOMAIN = HdKeyFixture.DOMAIN;
  private static final BigInteger N = HdKeyFixture.N;
  private static final byte[] SEED = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final SecureRandom RANDOM = HdKeyFixture.RANDOM;

  @TempDir Path dir;
  Keyring ring;

  @BeforeEach
  void open() {
    ring = HdKeyFixture.openWithSeed(dir.resolve("hd.clavis"), "wallet", SEED);
  }

  @AfterEach
  void close() throws Exception {
    ring.close();
  }

  private static byte[] expectedPrivate(String path) {
    return HdKeyFixture.privateKey(SEED, path);
  }

  private static byte[] bcSignature(byte[] priv, byte[] hash) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(new BigInteger(1, priv), DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger s = rs[1].compareTo(N.shiftRight(1)) > 0 ? N.subtract(rs[1]) : rs[1];
    try {
      return StandardDSAEncoding.INSTANCE.encode(N, rs[0], s);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private byte[] sign(String name, byte[] msg) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(ring.privateKeyHandle(KeyRef.parse(name)));
    assertEquals("Clavis", s.getProvider().getName());
    s.update(msg);
    return s.sign();
  }

  @Test
  void derivedKey_signsThroughJca_byteForByteBouncyCastlesRfc6979_andVerifiesWithItsPublicKey() throws Exception {
    KeyInfo child = ring.deriveKey("wallet", "m/44'/0'/0'/0'/5'", null, KeyPolicy.defaults());
    assertEquals("wallet/44h/0h/0h/0h/5h", child.name());
    assertEquals(KeyAlgorithm.SECP256K1, child.algorithm());
    byte[] priv = expectedPrivate("m/44'/0'/0'/0'/5'");
    byte[] pub = ring.hdPublicKey(KeyRef.parse(child.name()));
    assertArrayEquals(DOMAIN.getG().multiply(new BigInteger(1, priv)).getEncoded(true), pub);
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(X9.getCurve().decodePoint(pub), DOMAIN));
    for (int i = 0; i < 50; i++) {
      byte[] msg = new byte[RANDOM.nextInt(300)];
      RANDOM.nextBytes(msg);
      byte[] sig = sign(child.name(), msg);
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(msg);
      assertArrayEquals(bcSignature(priv, hash), sig, "message " + HexFormat.of().formatHex(msg));
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(N, sig);
      assertTrue(verifier.verifySignature(hash, rs[0], rs[1]));
      assertTrue(rs[1].compareTo(N.shiftRight(1)) <= 0, "low S");
    }
  }

  @Test
  void clavisKeyStore_getKey_ofADerivedKey_isASigningHandle() throws Exception {
    ring.deriveKey("wallet", "m/7'", "ks", KeyPolicy.defaults());
    ring.close();
    java.security.KeyStore store = java.security.KeyStore.getInstance("Clavis");
    store.load(new dev.clavis.spec.KeyringParameter(dir.resolve("hd.clavis"), "pw".toCharArray()));
    java.security.Key k = store.getKey("ks", null);
    assertInstanceOf(ManagedPrivateKey.class, k);
    assertNull(k.getEncoded(), "not exportable");
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign((ManagedPrivateKey) k);
    s.update(new byte[] {9});
    assertArrayEquals(bcSignature(expectedPrivate("m/7'"), MessageDigest.getInstance("SHA-256").digest(new byte[] {9})),
        s.sign());
    ring = HdKeyFixture.reopen(dir.resolve("hd.clavis"));
  }

  @Test
  void bip44Levels_areFullyHardened_andRecordedAsMetadata() {
    KeyInfo child = ring.deriveKey("wallet", 44, 0, 1, 7, "payout", KeyPolicy.defaults());
    HdDerivation d = child.metadata().derivation().orElseThrow();
    assertEquals("m/44'/0'/0'/1'/7'", d.path(), "coin type 0 between purpose and account, as BIP44");
    assertEquals(KeyRef.parse("wallet#1"), d.seedRef());
    assertArrayEquals(Bip32Node.master(SEED, false).derive(Bip32Path.parse("m/44'/0'/0'/1'/7'")).publicKey(),
        ring.hdPublicKey(KeyRef.parse("payout")));
  }

  @Test
  void derivation_survivesReopen_andCannotBeRelabelledAway() throws Exception {
    ring.deriveKey("wallet", "m/0'/1'", "c", KeyPolicy.defaults());
    ring.updateMetadata("c", KeyMetadata.builder().purpose("payments").build());
    ring.close();
    ring = HdKeyFixture.reopen(dir.resolve("hd.clavis"));
    KeyInfo c = ring.find("c").orElseThrow();
    assertEquals("m/0'/1'", c.metadata().derivation().orElseThrow().path());
    assertEquals("payments", c.metadata().purpose().orElseThrow());
  }

  @Test
  void revokingTheSeed_revokesEveryChild_andTheChildRefusesToSign() throws Exception {
    ring.deriveKey("wallet", "m/44'/0'/0'/0'/0'", "a", KeyPolicy.defaults());
    ring.deriveKey("wallet", "m/44'/0'/0'/0'/1'", "b", KeyPolicy.defaults());
    ManagedPrivateKey h = ring.privateKeyHandle(KeyRef.parse("a"));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(h);
    s.update(new byte[] {1});
    ring.revoke(KeyRef.parse("wallet"), "seed leaked");
    SignatureException e = assertThrows(SignatureException.class, s::sign);
    assertTrue(e.getMessage().contains("a#1") || e.getMessage().contains("wallet#1"), e.getMessage());
    assertEquals(KeyState.REVOKED, ring.find("a").orElseThrow().versions().get(0).state());
    assertEquals(KeyState.REVOKED, ring.find("b").orElseThrow().versions().get(0).state());
    assertThrows(InvalidKeyException.class, () -> Signature.getInstance("SHA256withECDSA").initSign(h));
  }

  /** The seed's state (version 1 of the seed brought into it): its children sign only while it is ACTIVE. */
  @ParameterizedTest
  @EnumSource(HdKeyFixture.Reachable.class)
  void child_signsOnlyWhileItsSeedMay_evenWithAHandleIssuedBefore(HdKeyFixture.Reachable st) throws Exception {
    ring.deriveKey("wallet", "m/1'", "c", KeyPolicy.defaults());
    sign("c", new byte[] {1}); // the hot path is warm
    ManagedPrivateKey h = ring.privateKeyHandle(KeyRef.parse("c"));
    st.enter(ring, KeyRef.parse("wallet#1"));
    Signature s = Signature.getInstance("SHA256withECDSA");
    if (st.allowsUse()) {
      s.initSign(h);
      s.update(new byte[] {2});
      assertNotNull(s.sign());
    } else {
      InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> s.initSign(h));
      assertTrue(e.getMessage().contains("c"), e.getMessage());
    }
  }

  @Test
  void suspendingTheSeed_stopsTheChild_untilResumed() throws Exception {
    ring.deriveKey("wallet", "m/1'", "c", KeyPolicy.defaults());
    ring.suspend(KeyRef.parse("wallet"), "audit");
    KeyUsageException e = assertThrows(KeyUsageException.class,
        () -> ((dev.clavis.keyring.lifecycle.KeyringEngine) ring).protect(KeyRef.parse("c"), 1));
    assertTrue(e.getMessage().contains("wallet#1") && e.getMessage().contains("SUSPENDED"), e.getMessage());
    assertEquals(KeyState.ACTIVE, ring.find("c").orElseThrow().versions().get(0).state(), "suspension is not cascaded");
    ring.resume(KeyRef.parse("wallet"));
    assertNotNull(sign("c", new byte[] {3}));
  }

  /** The child's own state × sign, as for any key pair: only ACTIVE signs. */
  @ParameterizedTest
  @EnumSource(HdKeyFixture.Reachable.class)
  void child_ownState_followsTheEncryptColumn(HdKeyFixture.Reachable st) throws Exception {
    ring.deriveKey("wallet", "m/2'", "c", KeyPolicy.defaults());
    ManagedPrivateKey h = ring.privateKeyHandle(KeyRef.parse("c#1"));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(h);
    s.update(new byte[] {1});
    st.enter(ring, KeyRef.parse("c#1"));
    if (st.allowsUse()) {
      assertNotNull(s.sign());
    } else {
      SignatureException e = assertThrows(SignatureException.class, s::sign);
      assertTrue(e.getMessage().contains("c#1") && e.getMessage().contains(st.name()), e.getMessage());
    }
  }

  @Test
  void seed_isNeverExportableByDefault_andNeverRotated_norIsAChild() {
    assertThrows(KeyUsageException.class, () -> ring.exportKey(KeyRef.parse("wallet")));
    assertThrows(IllegalArgumentException.class, () -> ring.rotate("wallet", null));
    ring.deriveKey("wallet", "m/3'", "c", KeyPolicy.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ring.rotate("c", null));
    assertTrue(e.getMessage().contains("derive"), e.getMessage());
    // nor is other material imported as their next version
    assertThrows(IllegalArgumentException.class, () -> ring.importKey("c", KeyAlgorithm.SECP256K1, new byte[32],
        KeyPolicy.defaults()));
    assertThrows(IllegalArgumentException.class, () -> ring.importKey("wallet", KeyAlgorithm.HD_SEED, new byte[32],
        KeyPolicy.defaults()));
  }

  @Test
  void exportableChild_exportsPkcs8_whileItsSeedIsLive() throws Exception {
    ring.deriveKey("wallet", "m/4'", "c", KeyPolicy.builder().exportable(true).build());
    byte[] pkcs8 = ring.privateKeyHandle(KeyRef.parse("c")).getEncoded();
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(pkcs8);
    BigInteger d = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
    assertEquals(new BigInteger(1, expectedPrivate("m/4'")), d);
    ring.revoke(KeyRef.parse("wallet"), "t");
    assertThrows(KeyUsageException.class, () -> ring.exportKey(KeyRef.parse("c")));
  }

  @Test
  void derive_refusesWhatIsNoSeed_aTakenName_aBadPath_andASeedThatMayNotSign() {
    ring.create("aes", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertThrows(IllegalArgumentException.class, () -> ring.deriveKey("aes", "m/0'", null, KeyPolicy.defaults()));
    ring.deriveKey("wallet", "m/0'", "x", KeyPolicy.defaults());
    assertThrows(dev.clavis.keyring.KeyringException.class, () -> ring.deriveKey("wallet", "m/1'", "x", KeyPolicy.defaults()));
    assertThrows(IllegalArgumentException.class, () -> ring.deriveKey("wallet", "m", null, KeyPolicy.defaults()));
    assertThrows(IllegalArgumentException.class, () -> ring.deriveKey("wallet", "44'/0'", null, KeyPolicy.defaults()));
    ring.suspend(KeyRef.parse("wallet"), "t");
    assertThrows(KeyUsageException.class, () -> ring.deriveKey("wallet", "m/9'", null, KeyPolicy.defaults()));
  }

  @Test
  void createdSeed_is64RandomBytes_andDerivesDistinctKeys() {
    ring.createSeed("fresh", KeyPolicy.defaults(), KeyMetadata.empty());
    ring.createSeed("other", KeyPolicy.defaults(), KeyMetadata.empty());
    ring.deriveKey("fresh", "m/0'", "f0", KeyPolicy.defaults());
    ring.deriveKey("other", "m/0'", "o0", KeyPolicy.defaults());
    assertFalse(java.util.Arrays.equals(ring.hdPublicKey(KeyRef.parse("f0")), ring.hdPublicKey(KeyRef.parse("o0"))));
    assertEquals(KeyAlgorithm.HD_SEED, ring.find("fresh").orElseThrow().algorithm());
  }
}
