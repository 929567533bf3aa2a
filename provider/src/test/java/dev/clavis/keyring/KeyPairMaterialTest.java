package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The format-1 layout of a key-pair version's material. */
class KeyPairMaterialTest {

  private static final byte[] KEY = {1, 2, 3, 4, 5};
  private static final List<byte[]> CHAIN = List.of(new byte[] {9, 9}, new byte[] {8});

  @Test
  void encodeDecode_roundTrips_andPinsTheLayout() {
    byte[] stored = KeyPairMaterial.of(KEY, CHAIN).encode();
    assertArrayEquals(new byte[] {'C', 'K', 'P', 1, 0, 0, 0, 5, 1, 2, 3, 4, 5, 0, 2, 0, 0, 0, 2, 9, 9, 0, 0, 0, 1, 8},
        stored);
    KeyPairMaterial m = KeyPairMaterial.decode(stored);
    assertArrayEquals(KEY, m.pkcs8());
    assertEquals(2, m.chain().size());
    assertArrayEquals(new byte[] {9, 9}, m.chain().get(0));
  }

  @Test
  void decode_otherFormat_truncated_trailing_areRefused() {
    byte[] stored = KeyPairMaterial.of(KEY, CHAIN).encode();
    byte[] v2 = stored.clone();
    v2[3] = 2;
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.decode(v2)).getMessage()
        .contains("format 2"));
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.decode(Arrays.copyOf(stored, stored.length - 1)));
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.decode(Arrays.copyOf(stored, stored.length + 1)));
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.decode(new byte[] {'X', 'K', 'P', 1}));
  }

  @Test
  void emptyKeyOrChain_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.of(new byte[0], CHAIN));
    assertThrows(IllegalArgumentException.class, () -> KeyPairMaterial.of(KEY, List.of()));
  }

  @Test
  void withChain_keepsTheKey_wipe_zeroesIt_toStringShowsNoMaterial() {
    KeyPairMaterial m = KeyPairMaterial.of(KEY, CHAIN);
    KeyPairMaterial n = m.withChain(List.of(new byte[] {7}));
    assertArrayEquals(KEY, n.pkcs8());
    assertEquals(1, n.chain().size());
    m.wipe();
    assertArrayEquals(new byte[5], m.pkcs8());
    assertFalse(n.toString().contains("1, 2, 3"));
  }
}
