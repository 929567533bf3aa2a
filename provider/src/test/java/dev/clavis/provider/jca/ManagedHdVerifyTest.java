package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.ManagedPublicKey;
import dev.clavis.provider.jca.HdKeyFixture.Reachable;
import dev.clavis.spec.KeyringParameter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The managed public-key handle of a derived HD key ({@code Keyring.publicKeyHandle}):
 * {@code SHA256withECDSA} {@code initVerify} reaches Clavis (by delayed provider selection or by
 * name), verifies with Clavis's secp256k1 verifier, and follows the decrypt column of the state
 * table for the child's own version and for the seed version it came from, at {@code initVerify}
 * and again at each {@code verify()}. Signatures cross over with Bouncy Castle both ways.
 *
 * <p>A child has no DEPRECATED, PRE_ACTIVE or ROTATING version: it is never rotated (a rotation
 * is refused, {@link ManagedHdKeyTest}), so its states here are those it can reach.
 */
class ManagedHdVerifyTest {

  private static final BigInteger N = HdKeyFixture.N;
  private static final byte[] SEED = HexFormat.of().parseHex("fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a2"
      + "9f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542");
  private static final String PATH = "m/44'/0'/0'/0'/3'";
  private static final KeyRef CHILD = KeyRef.parse("c#1");
  private static final KeyRef SEED_VERSION = KeyRef.parse("wallet#1");
  private static final byte[] MESSAGE = {7, 1, 7};

  @TempDir Path dir;
  Keyring ring;

  @BeforeEach
  void open() {
    ring = HdKeyFixture.openWithSeed(dir.resolve("hd.clavis"), "wallet", SEED);
    ring.deriveKey("wallet", PATH, "c", KeyPolicy.defaults());
  }

  @AfterEach
  void close() throws Exception {
    ring.close();
  }

  /** How the verifying {@code Signature} is obtained. */
  enum Selection {
    DELAYED, CLAVIS;

    Signature signature() throws Exception {
      return this == DELAYED ? Signature.getInstance("SHA256withECDSA") : Signature.getInstance("SHA256withECDSA", "Clavis");
    }
  }

  /** Every reachable state (of the child's version {@code c#1}, or of the seed's {@code wallet#1}) × both selections. */
  static Stream<Arguments> states() {
    List<Arguments> out = new ArrayList<>();
    for (Reachable st : Reachable.values()) {
      for (Selection sel : Selection.values()) {
        out.add(Arguments.of(st, sel));
      }
    }
    return out.stream();
  }

  private byte[] managedSign(byte[] msg) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(ring.privateKeyHandle(KeyRef.parse("c")));
    s.update(msg);
    return s.sign();
  }

  /** The exact version's handle and the name's: both follow the table. */
  private List<ManagedPublicKey> handles() {
    return List.of(ring.publicKeyHandle(KeyRef.parse("c#1")), ring.publicKeyHandle(KeyRef.parse("c")));
  }

  private static boolean verify(Selection sel, ManagedPublicKey pub, byte[] msg, byte[] sig) throws Exception {
    Signature v = sel.signature();
    v.initVerify(pub);
    assertEquals("Clavis", v.getProvider().getName());
    v.update(msg);
    return v.verify(sig);
  }

  private ECPublicKeyParameters childPublicForBc() {
    return new ECPublicKeyParameters(HdKeyFixture.X9.getCurve().decodePoint(ring.hdPublicKey(KeyRef.parse("c"))),
        HdKeyFixture.DOMAIN);
  }

  private static void assertNames(Exception e, Reachable st, String... parts) {
    assertTrue(e.getMessage().contains(st.name()), "the refusal names the state " + st + ": " + e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "the refusal names " + p + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- the handle

  @Test
  void publicKeyHandle_ofAChild_isAManagedHandle_andOfTheSeedIsRefused() {
    ManagedPublicKey h = ring.publicKeyHandle(KeyRef.parse("c#1"));
    assertEquals(KeyAlgorithm.SECP256K1, h.keyAlgorithm());
    assertEquals("EC", h.getAlgorithm());
    assertNull(h.getEncoded(), "no encoding: other providers skip it");
    assertNull(h.getFormat());
    assertThrows(IllegalArgumentException.class, () -> ring.publicKeyHandle(KeyRef.parse("wallet")),
        "a seed does not verify");
    assertThrows(dev.clavis.keyring.UnknownKeyException.class, () -> ring.publicKeyHandle(KeyRef.parse("c#2")));
  }

  @Test
  void theHandle_reachesNoOtherProvider_norAnotherAlgorithm() throws Exception {
    ManagedPublicKey h = ring.publicKeyHandle(KeyRef.parse("c"));
    assertThrows(InvalidKeyException.class, () -> Signature.getInstance("SHA256withECDSA", "SunEC").initVerify(h));
    assertThrows(InvalidKeyException.class, () -> Signature.getInstance("SHA256withECDSA",
        new org.bouncycastle.jce.provider.BouncyCastleProvider()).initVerify(h));
    assertThrows(InvalidKeyException.class, () -> Signature.getInstance("SHA384withECDSA").initVerify(h),
        "secp256k1 verifies SHA256withECDSA only");
  }

  @Test
  void theKeyStoresSigningHandle_givesItsKeyring_andTheVerifyHandle_asForAKeyPair() throws Exception {
    ring.close();
    KeyStore ks = KeyStore.getInstance("Clavis");
    ks.load(new KeyringParameter(dir.resolve("hd.clavis"), "pw".toCharArray()));
    ManagedPrivateKey priv = (ManagedPrivateKey) ks.getKey("c", null);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(priv);
    s.update(MESSAGE);
    byte[] sig = s.sign();
    ManagedPublicKey pub = priv.keyring().publicKeyHandle(KeyRef.parse("c"));
    assertTrue(verify(Selection.DELAYED, pub, MESSAGE, sig));
    ring = HdKeyFixture.reopen(dir.resolve("hd.clavis"));
  }

  // ---------------------------------------------------------------- the child's state, the seed's

  @ParameterizedTest
  @MethodSource("states")
  void initVerify_followsTheDecryptColumn_ofTheChild(Reachable st, Selection sel) throws Exception {
    initVerifyAfter(st, CHILD, sel, "c#1");
  }

  @ParameterizedTest
  @MethodSource("states")
  void verify_checksTheChildsStateAtThatMoment(Reachable st, Selection sel) throws Exception {
    verifyAfter(st, CHILD, sel, "c#1");
  }

  @ParameterizedTest
  @MethodSource("states")
  void initVerify_followsTheDecryptColumn_ofTheSeedVersion(Reachable st, Selection sel) throws Exception {
    initVerifyAfter(st, SEED_VERSION, sel, "c", "wallet#1");
  }

  @ParameterizedTest
  @MethodSource("states")
  void verify_checksTheSeedsStateAtThatMoment(Reachable st, Selection sel) throws Exception {
    verifyAfter(st, SEED_VERSION, sel, "c", "wallet#1");
  }

  /** Both handles, issued before {@code version} enters {@code st}: {@code initVerify} reads the state then. */
  private void initVerifyAfter(Reachable st, KeyRef version, Selection sel, String... named) throws Exception {
    byte[] sig = managedSign(MESSAGE);
    List<ManagedPublicKey> handles = handles();
    st.enter(ring, version);
    for (ManagedPublicKey pub : handles) {
      if (st.allowsUse()) {
        assertTrue(verify(sel, pub, MESSAGE, sig), pub.toString());
      } else {
        Signature v = sel.signature();
        assertNames(assertThrows(InvalidKeyException.class, () -> v.initVerify(pub), pub.toString()), st, named);
      }
    }
  }

  /** Both handles initialised and fed before {@code version} enters {@code st}: {@code verify()} reads it again. */
  private void verifyAfter(Reachable st, KeyRef version, Selection sel, String... named) throws Exception {
    byte[] sig = managedSign(MESSAGE);
    List<Signature> inFlight = new ArrayList<>();
    for (ManagedPublicKey pub : handles()) {
      Signature v = sel.signature();
      v.initVerify(pub);
      v.update(MESSAGE);
      inFlight.add(v);
    }
    st.enter(ring, version);
    for (Signature v : inFlight) {
      if (st.allowsUse()) {
        assertTrue(v.verify(sig));
      } else {
        assertNames(assertThrows(SignatureException.class, () -> v.verify(sig)), st, named);
      }
    }
  }

  @Test
  void revokingTheSeed_revokesTheChild_andItsVerifyHandleRefuses() throws Exception {
    byte[] sig = managedSign(MESSAGE);
    ManagedPublicKey pub = ring.publicKeyHandle(KeyRef.parse("c"));
    assertTrue(verify(Selection.DELAYED, pub, MESSAGE, sig));
    ring.revoke(KeyRef.parse("wallet"), "seed leaked");
    assertEquals(KeyState.REVOKED, ring.find("c").orElseThrow().versions().get(0).state(), "cascaded");
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> Signature.getInstance("SHA256withECDSA").initVerify(pub));
    assertNames(e, Reachable.REVOKED, "c", "wallet#1");
  }

  @Test
  void suspendingTheSeed_stopsTheChildsVerify_untilResumed() throws Exception {
    byte[] sig = managedSign(MESSAGE);
    ManagedPublicKey pub = ring.publicKeyHandle(KeyRef.parse("c#1"));
    ring.suspend(KeyRef.parse("wallet"), "audit");
    assertThrows(InvalidKeyException.class, () -> Signature.getInstance("SHA256withECDSA").initVerify(pub));
    ring.resume(KeyRef.parse("wallet"));
    assertTrue(verify(Selection.DELAYED, pub, MESSAGE, sig));
  }

  // ---------------------------------------------------------------- the signatures themselves

  @Test
  void managedSignatures_onRandomMessages_verifyThroughTheManagedHandle_andWithBouncyCastle() throws Exception {
    ECDSASigner bc = new ECDSASigner();
    bc.init(false, childPublicForBc());
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    Signature exact = Signature.getInstance("SHA256withECDSA");
    exact.initVerify(ring.publicKeyHandle(KeyRef.parse("c#1")));
    Signature byName = Signature.getInstance("SHA256withECDSA", "Clavis");
    byName.initVerify(ring.publicKeyHandle(KeyRef.parse("c")));
    for (int i = 0; i < 40; i++) {
      byte[] msg = new byte[HdKeyFixture.RANDOM.nextInt(400)];
      HdKeyFixture.RANDOM.nextBytes(msg);
      byte[] sig = managedSign(msg);
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(N, sig);
      assertTrue(bc.verifySignature(sha256.digest(msg), rs[0], rs[1]), "Bouncy Castle verifies");
      for (Signature v : List.of(exact, byName)) { // one initVerify, many messages
        v.update(msg);
        assertTrue(v.verify(sig), "message " + HexFormat.of().formatHex(msg));
      }
    }
  }

  @Test
  void bouncyCastleSignatures_withTheChildsKey_verifyThroughTheManagedHandle_highSIncluded() throws Exception {
    ECDSASigner bc = new ECDSASigner(); // random nonces, S as it comes: about half are high S
    bc.init(true, new ParametersWithRandom(new ECPrivateKeyParameters(
        new BigInteger(1, HdKeyFixture.privateKey(SEED, PATH)), HdKeyFixture.DOMAIN),
        HdKeyFixture.RANDOM));
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(ring.publicKeyHandle(KeyRef.parse("c")));
    int high = 0;
    for (int i = 0; i < 40; i++) {
      byte[] msg = new byte[1 + HdKeyFixture.RANDOM.nextInt(400)];
      HdKeyFixture.RANDOM.nextBytes(msg);
      BigInteger[] rs = bc.generateSignature(MessageDigest.getInstance("SHA-256").digest(msg));
      high += rs[1].compareTo(N.shiftRight(1)) > 0 ? 1 : 0;
      v.update(msg);
      assertTrue(v.verify(StandardDSAEncoding.INSTANCE.encode(N, rs[0], rs[1])), "message " + i);
    }
    assertTrue(high > 0, "some high-S signatures were tried");
  }

  @Test
  void tamperedSignatures_andMessages_andAnotherKeysSignature_fail() throws Exception {
    byte[] sig = managedSign(MESSAGE);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(ring.publicKeyHandle(KeyRef.parse("c#1")));
    BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(N, sig);
    for (byte[] forged : List.of(
        StandardDSAEncoding.INSTANCE.encode(N, rs[0], rs[1].add(BigInteger.ONE)),
        StandardDSAEncoding.INSTANCE.encode(N, rs[0].add(BigInteger.ONE), rs[1]),
        StandardDSAEncoding.INSTANCE.encode(N, rs[0], N.subtract(rs[1]).add(BigInteger.ONE)))) {
      v.update(MESSAGE);
      assertFalse(v.verify(forged), HexFormat.of().formatHex(forged));
    }
    byte[] other = MESSAGE.clone();
    other[0] ^= 1;
    v.update(other);
    assertFalse(v.verify(sig), "another message");
    ring.deriveKey("wallet", "m/44'/0'/0'/0'/4'", "d", KeyPolicy.defaults());
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(ring.privateKeyHandle(KeyRef.parse("d")));
    s.update(MESSAGE);
    byte[] byD = s.sign();
    v.update(MESSAGE);
    assertFalse(v.verify(byD), "a sibling's signature");
    byte[] flipped = sig.clone();
    flipped[flipped.length - 1] ^= 1;
    v.update(MESSAGE);
    assertFalse(v.verify(flipped), "a flipped bit of s");
    v.update(MESSAGE);
    assertTrue(v.verify(sig), "each verify reset the verifier: the genuine one still verifies");
  }

  @Test
  void malformedDer_isASignatureException_andLeavesTheVerifierReset() throws Exception {
    byte[] sig = managedSign(MESSAGE);
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(ring.publicKeyHandle(KeyRef.parse("c#1")));
    byte[] trailing = java.util.Arrays.copyOf(sig, sig.length + 1);
    v.update(MESSAGE);
    assertThrows(SignatureException.class, () -> v.verify(trailing));
    byte[] negative = sig.clone();
    negative[4] = (byte) (negative[4] | 0x80); // r's first byte: a missing leading zero
    if (sig[3] == 33) {
      negative[4] = (byte) 0x80; // r had a leading zero: replace it with a high byte, still negative
    }
    v.update(MESSAGE);
    assertThrows(SignatureException.class, () -> v.verify(negative));
    v.update(MESSAGE);
    assertTrue(v.verify(sig));
  }
}
