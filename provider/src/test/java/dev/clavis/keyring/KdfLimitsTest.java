package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KdfLimitsTest {

  @ParameterizedTest(name = "t={0}: m={1} KiB is the minimum")
  @CsvSource({"1,47104", "2,19456", "3,12288", "4,9216", "5,7168", "8,7168"})
  void weakness_argon2id_followsOwaspTable(int t, int minKiB) {
    assertEquals(Optional.empty(), KdfLimits.weakness(KdfParameters.argon2id(t, minKiB, 1)), "at the minimum");
    Optional<String> w = KdfLimits.weakness(KdfParameters.argon2id(t, minKiB - 1, 1));
    assertTrue(w.isPresent() && w.get().contains("m >= " + minKiB + " KiB"), String.valueOf(w));
  }

  @Test
  void weakness_pbkdf2_below600000() {
    assertEquals(Optional.empty(), KdfLimits.weakness(KdfParameters.pbkdf2()));
    assertTrue(KdfLimits.weakness(KdfParameters.pbkdf2(599_999)).orElseThrow().contains("600000"));
  }

  @Test
  void weakness_defaults_areNotWeak() {
    assertEquals(Optional.empty(), KdfLimits.weakness(KdfParameters.defaults()));
  }

  @Test
  void requireStrongEnough_refusesWeak_unlessAllowingWeak() {
    KdfParameters weak = KdfParameters.argon2id(3, 64, 4);
    WeakKdfException e = assertThrows(WeakKdfException.class, () -> KdfLimits.requireStrongEnough(weak, "cannot create x"));
    assertTrue(e.getMessage().startsWith("cannot create x: ") && e.getMessage().contains("m is in KiB"), e.getMessage());
    KdfLimits.requireStrongEnough(weak.allowingWeak(), "cannot create x");
    assertTrue(weak.allowingWeak().weakAllowed());
    assertFalse(weak.weakAllowed());
    assertEquals(weak, weak.allowingWeak(), "consent is not a parameter");
  }

  @Test
  void excess_forgedArgon2Header_namesCostCapAndProperty() {
    KdfParameters forged = KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, 8, 1 << 20, 16);
    String why = KdfLimits.excess(forged).orElseThrow();
    assertTrue(why.contains("t=8") && why.contains("1048576") && why.contains(KdfLimits.MAX_ARGON2_COST_PROPERTY), why);
    assertFalse(forged.limitsOk());
  }

  @Test
  void excess_atTheCap_isAllowed_andOneStepAbove_isNot() {
    assertEquals(Optional.empty(), KdfLimits.excess(KdfParameters.argon2id(8, 64 * 1024, 4)));
    assertEquals(Optional.empty(), KdfLimits.excess(KdfParameters.argon2id(1, 512 * 1024, 4)));
    assertTrue(KdfLimits.excess(KdfParameters.unchecked(KdfParameters.Algorithm.ARGON2ID, 9, 64 * 1024, 4)).isPresent());
    assertEquals(Optional.empty(), KdfLimits.excess(KdfParameters.pbkdf2(KdfLimits.DEFAULT_MAX_PBKDF2_ITERATIONS)));
    String why = KdfLimits.excess(KdfParameters.unchecked(KdfParameters.Algorithm.PBKDF2_HMAC_SHA256,
        KdfLimits.DEFAULT_MAX_PBKDF2_ITERATIONS + 1, 0, 0)).orElseThrow();
    assertTrue(why.contains(KdfLimits.MAX_PBKDF2_ITERATIONS_PROPERTY), why);
  }

  @Test
  void factories_refuseSettingsAboveTheCap_soClavisNeverWritesWhatItWouldNotOpen() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KdfParameters.argon2id(4, 256 * 1024, 4));
    assertTrue(e.getMessage().contains(KdfLimits.MAX_ARGON2_COST_PROPERTY), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KdfParameters.pbkdf2(2_000_000));
  }

  @Test
  void property_raisesTheCap_andGarbageIsRefusedByName() {
    String old = System.getProperty(KdfLimits.MAX_ARGON2_COST_PROPERTY);
    try {
      System.setProperty(KdfLimits.MAX_ARGON2_COST_PROPERTY, String.valueOf(1L << 20));
      assertEquals(Optional.empty(), KdfLimits.excess(KdfParameters.argon2id(4, 256 * 1024, 4)));
      System.setProperty(KdfLimits.MAX_ARGON2_COST_PROPERTY, "lots");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, KdfLimits::maxArgon2Cost);
      assertTrue(e.getMessage().contains(KdfLimits.MAX_ARGON2_COST_PROPERTY), e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty(KdfLimits.MAX_ARGON2_COST_PROPERTY);
      } else {
        System.setProperty(KdfLimits.MAX_ARGON2_COST_PROPERTY, old);
      }
    }
  }
}
