package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The codes stores write for states, algorithms and origins are pinned here: changing one (or
 * reordering the enum so that an ordinal-based writer would change it) corrupts every store
 * written before, so a change must fail this test. A new constant takes a new code and a new row.
 */
class StableEnumCodesTest {

  private static final Map<String, Integer> STATES = table(
      "PRE_ACTIVE", 0, "ACTIVE", 1, "ROTATING", 2, "DEPRECATED", 3, "SUSPENDED", 4, "REVOKED", 5,
      "COMPROMISED", 6, "PENDING_DESTRUCTION", 7, "DESTROYED", 8);
  private static final Map<String, Integer> ALGORITHMS = table(
      "AES_128", 0, "AES_192", 1, "AES_256", 2, "HMAC_SHA256", 3, "SECRET", 4, "EC_P256", 5, "EC_P384", 6,
      "RSA", 7, "ED25519", 8, "CERTIFICATE", 9, "HMAC_SHA384", 10, "HMAC_SHA512", 11, "HD_SEED", 12,
      "SECP256K1", 13, "ML_DSA_44", 14, "ML_DSA_65", 15, "ML_DSA_87", 16);
  private static final Map<String, Integer> ORIGINS = table("GENERATED", 0, "IMPORTED", 1);

  private static Map<String, Integer> table(Object... nameCode) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < nameCode.length; i += 2) {
      m.put((String) nameCode[i], (Integer) nameCode[i + 1]);
    }
    return m;
  }

  private static <E extends Enum<E>> void assertPinned(Map<String, Integer> pinned, E[] values,
      Function<E, Integer> code, IntFunction<Optional<E>> fromCode) {
    assertEquals(pinned.size(), values.length, "every constant has a pinned code: add a row for a new one");
    Set<Integer> seen = new HashSet<>();
    for (E e : values) {
      Integer want = pinned.get(e.name());
      assertEquals(want, code.apply(e), e.name() + " must keep its stored code");
      assertTrue(seen.add(code.apply(e)), "code of " + e.name() + " reused");
      assertEquals(Optional.of(e), fromCode.apply(want), "code " + want + " must read back as " + e.name());
    }
  }

  @Test
  void keyStateCodes_arePinned() {
    assertPinned(STATES, KeyState.values(), KeyState::code, KeyState::fromCode);
  }

  @Test
  void keyAlgorithmCodes_arePinned() {
    assertPinned(ALGORITHMS, KeyAlgorithm.values(), KeyAlgorithm::code, KeyAlgorithm::fromCode);
  }

  @Test
  void originCodes_arePinned() {
    assertPinned(ORIGINS, KeyVersionInfo.Origin.values(), KeyVersionInfo.Origin::code, KeyVersionInfo.Origin::fromCode);
  }

  @Test
  void unknownCodes_readAsEmpty() {
    assertEquals(Optional.empty(), KeyState.fromCode(9));
    assertEquals(Optional.empty(), KeyState.fromCode(0xFF));
    assertEquals(Optional.empty(), KeyAlgorithm.fromCode(200));
    assertEquals(Optional.empty(), KeyVersionInfo.Origin.fromCode(2));
  }
}
