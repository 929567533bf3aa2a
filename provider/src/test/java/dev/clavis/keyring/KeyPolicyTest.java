package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** KeyPolicy's retention and protection fields: validated, defaulted, part of equality, copied by toBuilder. */
class KeyPolicyTest {

  @Test
  void defaults_haveNoFloorKeepAllNoWindowNoProtection() {
    KeyPolicy p = KeyPolicy.defaults();
    assertEquals(0, p.minDecryptionVersion());
    assertEquals(0, p.keepVersions());
    assertTrue(p.decryptWindow().isEmpty());
    assertFalse(p.deletionProtection());
  }

  @Test
  void negativeValues_areRefused() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyPolicy.builder().usageLimit(-1))
        .getMessage().contains("usage limit"));
    assertThrows(IllegalArgumentException.class, () -> KeyPolicy.builder().minDecryptionVersion(-1));
    assertThrows(IllegalArgumentException.class, () -> KeyPolicy.builder().keepVersions(-2));
    assertThrows(IllegalArgumentException.class, () -> KeyPolicy.builder().decryptWindow(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> KeyPolicy.builder().deletionWindow(Duration.ofSeconds(-1)));
  }

  @Test
  void newFields_takePartInEquality_andSurviveToBuilder() {
    KeyPolicy p = KeyPolicy.builder().minDecryptionVersion(2).keepVersions(3).decryptWindow(Duration.ofDays(9))
        .deletionProtection(true).build();
    assertEquals(p, p.toBuilder().build());
    assertEquals(p.hashCode(), p.toBuilder().build().hashCode());
    assertNotEquals(p, p.toBuilder().deletionProtection(false).build());
    assertNotEquals(p, p.toBuilder().keepVersions(0).build());
    assertTrue(p.toString().contains("keepVersions=3"));
  }
}
