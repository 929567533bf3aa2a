package dev.clavis.conformance.hd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import dev.clavis.testkit.Json;
import java.security.KeyFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SLIP-0010 secp256k1 vectors (the BIP32 algorithm): private key, chain code, public key, parent fingerprint. */
class Slip10VectorsTest {

  static Stream<Arguments> secp256k1() {
    List<Arguments> out = new ArrayList<>();
    for (Object v : Json.array(Json.object(Json.resource("/vectors/hd/slip10.json")).get("vectors"))) {
      Map<String, Object> vec = Json.object(v);
      if (!"secp256k1".equals(vec.get("curve"))) {
        continue;
      }
      for (Object c : Json.array(vec.get("chains"))) {
        Map<String, Object> ch = Json.object(c);
        out.add(Arguments.of(vec.get("name") + " " + ch.get("path"), vec.get("seed"), ch.get("path"),
            ch.get("fingerprint"), ch.get("chain_code"), ch.get("private"), ch.get("public")));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secp256k1")
  void derivation_matchesSlip10(String id, String seed, String path, String fingerprint, String chainCode,
      String priv, String pub) throws Exception {
    KeyFactory kf = KeyFactory.getInstance("BIP32", new ClavisProvider());
    ExtendedPrivateKey k = (ExtendedPrivateKey) kf.generatePrivate(new HDKeySpec(HexFormat.of().parseHex(seed), path));
    HexFormat hex = HexFormat.of();
    assertEquals(priv, hex.formatHex(k.getPrivateKeyBytes()), id + ": private key");
    assertEquals(chainCode, hex.formatHex(k.getChainCode()), id + ": chain code");
    assertEquals(pub, hex.formatHex(k.getPublicKey().getCompressed()), id + ": public key");
    assertEquals(fingerprint, String.format("%08x", k.getParentFingerprint()), id + ": parent fingerprint");
  }
}
