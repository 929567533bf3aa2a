package dev.clavis.conformance.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import dev.clavis.testkit.Json;
import java.security.KeyFactory;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** BIP32 test vectors 1–5 through {@code KeyFactory.getInstance("BIP32", "Clavis")}. */
class Bip32VectorsTest {

  private static final List<Object> VECTORS =
      Json.array(Json.object(Json.resource("/vectors/hd/bip32.json")).get("vectors"));

  private static KeyFactory factory() throws Exception {
    return KeyFactory.getInstance("BIP32", new ClavisProvider());
  }

  static Stream<Arguments> derivations() {
    List<Arguments> out = new ArrayList<>();
    for (Object v : VECTORS) {
      Map<String, Object> vec = Json.object(v);
      if (!vec.containsKey("chains")) {
        continue;
      }
      for (Object c : Json.array(vec.get("chains"))) {
        Map<String, Object> chain = Json.object(c);
        out.add(Arguments.of("vector " + vec.get("vector") + " " + chain.get("path"), vec.get("seed"),
            chain.get("path"), chain.get("path_bip32_h"), chain.get("xprv"), chain.get("xpub")));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> invalidKeys() {
    List<Arguments> out = new ArrayList<>();
    for (Object v : VECTORS) {
      Map<String, Object> vec = Json.object(v);
      if (vec.containsKey("invalid_keys")) {
        int i = 0;
        for (Object k : Json.array(vec.get("invalid_keys"))) {
          Map<String, Object> key = Json.object(k);
          out.add(Arguments.of("vector 5 #" + (++i) + ": " + key.get("reason"), key.get("key"), key.get("reason")));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("derivations")
  void seedAndPath_giveTheVectorsXprvAndXpub(String id, String seedHex, String path, String pathH, String xprv, String xpub)
      throws Exception {
    byte[] seed = HexFormat.of().parseHex(seedHex);
    KeyFactory kf = factory();
    ExtendedPrivateKey k = (ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(seed, path));
    assertEquals(xprv, k.toBase58(), id + ": xprv");
    assertEquals(xpub, k.getPublicKey().toBase58(), id + ": xpub");
    assertEquals(xpub, ((ExtendedPublicKey) kf.generatePublic(new HDKeySpec(seed, pathH))).toBase58(), id + ": H spelling");
    String pathLowerH = pathH.toLowerCase(Locale.ROOT);
    assertEquals(xprv, ((ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(seed, pathLowerH))).toBase58(), id + ": h spelling");
    // Serialized forms parse back to themselves.
    assertEquals(xprv, ((ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(xprv, "m"))).toBase58(), id + ": xprv round trip");
    assertEquals(xpub, ((ExtendedPublicKey) kf.generatePublic(new HDKeySpec(xpub, "m"))).toBase58(), id + ": xpub round trip");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("derivations")
  void nonHardenedTail_derivesFromTheXpubOfItsAncestor(String id, String seedHex, String path, String pathH, String xprv, String xpub)
      throws Exception {
    // Split the path after its last hardened step: CKDpub from that ancestor's xpub must agree.
    String[] steps = path.split("/");
    int lastHardened = 0;
    for (int i = 1; i < steps.length; i++) {
      if (steps[i].endsWith("'")) {
        lastHardened = i;
      }
    }
    String head = String.join("/", java.util.Arrays.copyOfRange(steps, 0, lastHardened + 1));
    String tail = "m" + (lastHardened + 1 < steps.length
        ? "/" + String.join("/", java.util.Arrays.copyOfRange(steps, lastHardened + 1, steps.length)) : "");
    KeyFactory kf = factory();
    ExtendedPublicKey ancestor = (ExtendedPublicKey) kf.generatePublic(new HDKeySpec(HexFormat.of().parseHex(seedHex), head));
    ExtendedPublicKey derived = (ExtendedPublicKey) kf.generatePublic(new HDKeySpec(ancestor.toBase58(), tail));
    assertEquals(xpub, derived.toBase58(), id + ": CKDpub from " + head);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidKeys")
  void vector5_invalidKey_isRejectedNamingTheDefect(String id, String key, String reason) {
    KeyFactory kf;
    try {
      kf = factory();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    InvalidKeySpecException pub = assertThrows(InvalidKeySpecException.class,
        () -> kf.generatePublic(new HDKeySpec(key, "m")), id);
    InvalidKeySpecException priv = assertThrows(InvalidKeySpecException.class,
        () -> kf.generatePrivate(new HDKeySpec(key, "m")), id);
    for (InvalidKeySpecException e : List.of(pub, priv)) {
      String m = e.getMessage();
      assertFalse(m == null || m.isBlank(), id + ": the message must name the defect");
      assertFalse(m.contains(key), id + ": the message must not echo the key");
    }
    // Both routes name the same defect the BIP names.
    String expected = expectedFragment(reason);
    assertTrue(pub.getMessage().contains(expected), id + ": expected \"" + expected + "\" in \"" + pub.getMessage() + "\"");
    assertTrue(priv.getMessage().contains(expected), id + ": expected \"" + expected + "\" in \"" + priv.getMessage() + "\"");
  }

  /** The phrase each vector 5 reason must produce in Clavis's message. */
  private static String expectedFragment(String reason) {
    if (reason.equals("pubkey version / prvkey mismatch")) {
      return "public key version with private key data";
    }
    if (reason.equals("prvkey version / pubkey mismatch")) {
      return "private key version with public key data";
    }
    if (reason.startsWith("invalid pubkey prefix")) {
      return "invalid public key prefix " + reason.substring(reason.length() - 2);
    }
    if (reason.startsWith("invalid prvkey prefix")) {
      return "invalid private key prefix " + reason.substring(reason.length() - 2);
    }
    if (reason.equals("zero depth with non-zero parent fingerprint")) {
      return "zero depth with non-zero parent fingerprint";
    }
    if (reason.equals("zero depth with non-zero index")) {
      return "zero depth with non-zero child index";
    }
    if (reason.equals("unknown extended key version")) {
      return "unknown extended key version";
    }
    if (reason.equals("private key 0 not in 1..n-1")) {
      return "private key is 0";
    }
    if (reason.equals("private key n not in 1..n-1")) {
      return "not below the group order n";
    }
    if (reason.startsWith("invalid pubkey 02")) {
      return "not on the secp256k1 curve";
    }
    if (reason.equals("invalid checksum")) {
      return "checksum";
    }
    throw new AssertionError("unmapped vector 5 reason: " + reason);
  }
}
