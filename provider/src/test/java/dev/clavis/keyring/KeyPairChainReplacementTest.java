package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain replacement a backend that keeps its private keys (a token) receives for a CA reply. */
class KeyPairChainReplacementTest {

  @Test
  void roundTrip_pinnedBytes_andNeverMistakenForKeyPairMaterial() {
    List<byte[]> chain = List.of(new byte[] {1, 2, 3}, new byte[] {4});
    byte[] enc = KeyPairMaterial.encodeChainReplacement(chain);
    assertArrayEquals(new byte[] {'C', 'K', 'C', 1, 0, 2, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 1, 4}, enc);
    List<byte[]> back = KeyPairMaterial.decodeChainReplacement(enc).orElseThrow();
    assertEquals(2, back.size());
    assertArrayEquals(chain.get(0), back.get(0));
    assertArrayEquals(chain.get(1), back.get(1));
    byte[] material = KeyPairMaterial.of(new byte[] {9}, chain).encode();
    assertTrue(KeyPairMaterial.decodeChainReplacement(material).isEmpty(), "a key pair's material is no chain replacement");
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.decode(enc), "nor the other way round");
  }

  @Test
  void malformedReplacements_areRefused() {
    byte[] enc = KeyPairMaterial.encodeChainReplacement(List.of(new byte[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class,
        () -> KeyPairMaterial.decodeChainReplacement(Arrays.copyOf(enc, enc.length - 1)));
    byte[] longer = Arrays.copyOf(enc, enc.length + 1);
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.decodeChainReplacement(longer));
    byte[] format2 = enc.clone();
    format2[3] = 2;
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.decodeChainReplacement(format2));
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.encodeChainReplacement(List.of()));
  }
}
