package dev.clavis.conformance.hd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bitcoinj.core.Base58;
import org.bitcoinj.core.Sha256Hash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed input through the KeyFactory: each refused with an InvalidKeySpecException whose
 * message names the defect. Damaged keys are re-encoded with bitcoinj's Base58 and a correct
 * checksum, so only the intended defect is present.
 */
class Bip32BadInputTest {

  private static final byte[] SEED = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
  private static final String XPRV =
      "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
  private static final String XPUB =
      "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8";
  private static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  private static InvalidKeySpecException refusedPrivate(HDKeySpec spec) {
    return assertThrows(InvalidKeySpecException.class,
        () -> KeyFactory.getInstance("BIP32", new ClavisProvider()).generatePrivate(spec), spec.toString());
  }

  private static InvalidKeySpecException refusedPublic(HDKeySpec spec) {
    return assertThrows(InvalidKeySpecException.class,
        () -> KeyFactory.getInstance("BIP32", new ClavisProvider()).generatePublic(spec), spec.toString());
  }

  private static void assertNames(InvalidKeySpecException e, String fragment) {
    assertTrue(e.getMessage() != null && e.getMessage().contains(fragment),
        "expected \"" + fragment + "\" in \"" + e.getMessage() + "\"");
  }

  /** Base58Check with a correct checksum, by bitcoinj's encoder. */
  private static String encode(byte[] payload) {
    byte[] sum = Sha256Hash.hashTwice(payload);
    byte[] all = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(sum, 0, all, payload.length, 4);
    return Base58.encode(all);
  }

  private static byte[] payload(String key) {
    return Base58.decodeChecked(key);
  }

  @ParameterizedTest(name = "path \"{0}\"")
  @ValueSource(strings = {"m//1", "m/1''", "m/2147483648'", "m/-1", "", "m/1/", "x/1", "m/0x10", "m/1 /2"})
  void malformedPath_fromSeedAndFromXprv_refused(String path) {
    InvalidKeySpecException a = refusedPrivate(new HDKeySpec(SEED, path));
    InvalidKeySpecException b = refusedPublic(new HDKeySpec(XPRV, path));
    assertFalse(a.getMessage().isBlank());
    assertTrue(a.getMessage().equals(b.getMessage()), "same defect from both sources");
    assertTrue(a.getMessage().contains("path"), a.getMessage());
  }

  @Test
  void specificPathDefects_areNamed() {
    assertNames(refusedPrivate(new HDKeySpec(SEED, "m//1")), "step 1 is empty");
    assertNames(refusedPrivate(new HDKeySpec(SEED, "m/1''")), "more than one hardened marker");
    assertNames(refusedPrivate(new HDKeySpec(SEED, "m/2147483648'")), "below 2^31");
    assertNames(refusedPrivate(new HDKeySpec(SEED, "m/-1")), "negative");
    assertNames(refusedPrivate(new HDKeySpec(SEED, "")), "path is empty");
  }

  @Test
  void depthOver255_refused() {
    assertNames(refusedPrivate(new HDKeySpec(SEED, "m" + "/7".repeat(256))), "at most 255");
    // 251 steps below a depth-5 key reach 256.
    String deep5 = "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76";
    assertNames(refusedPrivate(new HDKeySpec(deep5, "m" + "/1".repeat(251))), "maximum depth 255");
  }

  @Test
  void hardenedStepBelowXpub_refused() {
    assertNames(refusedPublic(new HDKeySpec(XPUB, "m/0/1'")), "hardened");
  }

  @Test
  void badChecksum_refused() {
    String bad = XPRV.substring(0, XPRV.length() - 1) + (XPRV.endsWith("i") ? "j" : "i");
    assertNames(refusedPrivate(new HDKeySpec(bad, "m")), "checksum");
    assertNames(refusedPublic(new HDKeySpec(bad, "m")), "checksum");
  }

  @Test
  void invalidBase58Character_refused() {
    assertNames(refusedPrivate(new HDKeySpec("xprv0" + XPRV.substring(5), "m")), "invalid Base58 character");
  }

  @Test
  void wrongLength_refused() {
    byte[] p = payload(XPRV);
    assertNames(refusedPrivate(new HDKeySpec(encode(Arrays.copyOf(p, 77)), "m")), "not the 78");
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(strings = {"049d7cb2", "04b24746", "0488ade5", "00000000"})
  void wrongVersion_refused(String version) {
    byte[] p = payload(XPRV);
    System.arraycopy(HexFormat.of().parseHex(version), 0, p, 0, 4);
    assertNames(refusedPrivate(new HDKeySpec(encode(p), "m")), "unknown extended key version " + version);
  }

  @Test
  void privateKeyZeroOrNotBelowN_refused() {
    byte[] p = payload(XPRV);
    Arrays.fill(p, 46, 78, (byte) 0);
    assertNames(refusedPrivate(new HDKeySpec(encode(p), "m")), "private key is 0");
    for (BigInteger k : new BigInteger[] {N, N.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)}) {
      byte[] raw = k.toByteArray();
      System.arraycopy(raw, raw.length - 32, p, 46, 32);
      assertNames(refusedPrivate(new HDKeySpec(encode(p), "m")), "not below the group order n");
    }
  }

  @Test
  void publicKeyNotOnCurve_refused() {
    byte[] p = payload(XPUB);
    // x = 5: 5³ + 7 = 132 is not a square mod p, so no point has this x.
    p[45] = 2;
    Arrays.fill(p, 46, 78, (byte) 0);
    p[77] = 5;
    assertNames(refusedPublic(new HDKeySpec(encode(p), "m")), "not on the secp256k1 curve");
    // x ≥ p is no field element.
    Arrays.fill(p, 46, 78, (byte) 0xFF);
    assertNames(refusedPublic(new HDKeySpec(encode(p), "m")), "not below the field prime");
    p[45] = 4;
    assertNames(refusedPublic(new HDKeySpec(encode(p), "m")), "invalid public key prefix 04");
  }

  @Test
  void seedOutOfRange_refused() {
    assertNames(refusedPrivate(new HDKeySpec(new byte[15], "m")), "16 to 64 bytes");
    assertNames(refusedPublic(new HDKeySpec(new byte[65], "m")), "16 to 64 bytes");
  }

  @Test
  void xpubForAPrivateKey_refused() {
    assertNames(refusedPrivate(new HDKeySpec(XPUB, "m")), "cannot give a private key");
  }
}
