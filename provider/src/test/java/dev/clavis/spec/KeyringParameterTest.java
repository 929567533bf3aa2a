package dev.clavis.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KeyringParameterTest {

  private static final Path FILE = Path.of("keys.clavis");

  @Test
  void equals_samePasswordAndFile_isEqual_otherPasswordOrLength_isNot() {
    KeyringParameter a = new KeyringParameter(FILE, "secret".toCharArray());
    assertEquals(a, new KeyringParameter(FILE, "secret".toCharArray()));
    assertNotEquals(a, new KeyringParameter(FILE, "secreT".toCharArray()));
    assertNotEquals(a, new KeyringParameter(FILE, "secret1".toCharArray()));
    assertNotEquals(a, new KeyringParameter(FILE, "".toCharArray()));
    assertNotEquals(a, new KeyringParameter(Path.of("other.clavis"), "secret".toCharArray()));
  }

  @Test
  void equals_afterDestroy_isFalseInsteadOfThrowing() {
    KeyringParameter a = new KeyringParameter(FILE, "secret".toCharArray());
    KeyringParameter b = new KeyringParameter(FILE, "secret".toCharArray());
    b.destroy();
    assertFalse(a.equals(b));
    assertFalse(b.equals(a));
    assertTrue(b.equals(b));
  }

  @Test
  void toString_hidesThePassword() {
    assertFalse(new KeyringParameter(FILE, "hunter2".toCharArray()).toString().contains("hunter2"));
  }

  @Test
  void existing_opensOnly_andDiffersFromTheCreatingParameter() {
    Path f = Path.of("k.clavis");
    KeyringParameter open = KeyringParameter.existing(f, "pw".toCharArray());
    KeyringParameter create = new KeyringParameter(f, "pw".toCharArray());
    assertFalse(open.createsMissing());
    assertTrue(create.createsMissing());
    assertNotEquals(open, create);
    assertEquals(open, KeyringParameter.existing(f, "pw".toCharArray()));
    assertTrue(open.toString().contains("existing only") && !open.toString().contains("pw,"), open.toString());
  }
}
