package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical form of an encryption context: sorted by UTF-8 bytes, length-prefixed, strict on reading. */
class EncryptionContextTest {

  @Test
  void canonical_isSortedAndLengthPrefixed_whateverTheMapOrder() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("tenant", "acme");
    a.put("table", "orders");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("table", "orders");
    b.put("tenant", "acme");
    // u16 2 | u16 5 "table" u16 6 "orders" | u16 6 "tenant" u16 4 "acme"
    assertEquals("0002" + "0005" + hex("table") + "0006" + hex("orders") + "0006" + hex("tenant") + "0004" + hex("acme"),
        HexFormat.of().formatHex(EncryptionContext.of(a).canonical()));
    assertEquals(EncryptionContext.of(a), EncryptionContext.of(b));
    assertEquals("{table=orders, tenant=acme}", EncryptionContext.of(b).toString());
  }

  @Test
  void sortOrder_isThatOfTheUtf8Bytes_notOfJavaStrings() {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16 code units
    EncryptionContext c = EncryptionContext.of(Map.of("\uD83D\uDE00", "x", "\uFF21", "y"));
    assertEquals("\uFF21", c.asMap().keySet().iterator().next());
  }

  @Test
  void lengthPrefixes_keepPairsApart() {
    assertNotEquals(EncryptionContext.of(Map.of("ab", "c")), EncryptionContext.of(Map.of("a", "bc")));
    assertNotEquals(EncryptionContext.of(Map.of("a", "")), EncryptionContext.empty());
  }

  @Test
  void fromCanonical_roundTrips_andRefusesUnsortedTrailingOrCutBytes() {
    EncryptionContext c = EncryptionContext.of(Map.of("b", "2", "a", "1"));
    byte[] bytes = c.canonical();
    assertEquals(c, EncryptionContext.fromCanonical(bytes, 0, bytes.length));
    byte[] unsorted = HexFormat.of().parseHex("0002" + "0001" + hex("b") + "0001" + hex("2") + "0001" + hex("a") + "0001" + hex("1"));
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.fromCanonical(unsorted, 0, unsorted.length));
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.fromCanonical(longer, 0, longer.length));
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.fromCanonical(bytes, 0, bytes.length - 1));
    byte[] dup = HexFormat.of().parseHex("0002" + "0001" + hex("a") + "0000" + "0001" + hex("a") + "0000");
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.fromCanonical(dup, 0, dup.length));
  }

  @Test
  void invalidPairs_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(Map.of("", "v")));
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(Map.of("k", "x".repeat(1025))));
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(Map.of("k".repeat(256), "v")));
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(Map.of("\uD800", "v")));
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 65; i++) {
      many.put("k" + i, "v");
    }
    assertThrows(IllegalArgumentException.class, () -> EncryptionContext.of(many));
    assertSame(EncryptionContext.empty(), EncryptionContext.of(null));
  }

  @Test
  void difference_namesMissingExtraAndDifferingKeys() {
    EncryptionContext bound = EncryptionContext.of(Map.of("tenant", "a", "table", "t"));
    EncryptionContext given = EncryptionContext.of(Map.of("tenant", "b", "purpose", "p"));
    assertEquals("table missing, tenant differs, purpose not expected", bound.differenceFrom(given));
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
