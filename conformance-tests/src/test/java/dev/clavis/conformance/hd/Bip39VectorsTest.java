package dev.clavis.conformance.hd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.Mnemonic;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HDKeySpec;
import dev.clavis.testkit.Json;
import java.security.KeyFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** trezor/python-mnemonic English vectors: entropy ↔ mnemonic, the TREZOR-passphrase seed, the root xprv. */
class Bip39VectorsTest {

  static Stream<Arguments> english() {
    List<Arguments> out = new ArrayList<>();
    int i = 0;
    for (Object c : Json.array(Json.object(Json.resource("/vectors/hd/bip39-vectors.json")).get("english"))) {
      List<Object> v = Json.array(c);
      out.add(Arguments.of("english #" + (i++), v.get(0), v.get(1), v.get(2), v.get(3)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("english")
  void vector_entropyMnemonicSeedAndXprv_match(String id, String entropy, String words, String seed, String xprv)
      throws Exception {
    HexFormat hex = HexFormat.of();
    assertEquals(words, Mnemonic.fromEntropy(hex.parseHex(entropy)).phrase(), id + ": mnemonic");
    Mnemonic m = Mnemonic.parse(words);
    assertArrayEquals(hex.parseHex(entropy), m.entropy(), id + ": entropy");
    byte[] s = m.toSeed("TREZOR");
    assertEquals(seed, hex.formatHex(s), id + ": seed");
    assertEquals(xprv, ExtendedPrivateKey.fromSeed(s).toBase58(), id + ": root xprv");
    KeyFactory kf = KeyFactory.getInstance("BIP32", new ClavisProvider());
    assertEquals(xprv, ((ExtendedPrivateKey) kf.generatePrivate(HDKeySpec.fromMnemonic(m, "TREZOR", "m"))).toBase58(), id + ": via KeyFactory");
  }

  @Test
  void wordlist_providerCopyEqualsTheVectorCopy() throws Exception {
    byte[] vectors = Bip39VectorsTest.class.getResourceAsStream("/vectors/hd/bip39-english.txt").readAllBytes();
    byte[] provider = Mnemonic.class.getResourceAsStream("/dev/clavis/hd/english.txt").readAllBytes();
    assertArrayEquals(vectors, provider);
  }
}
