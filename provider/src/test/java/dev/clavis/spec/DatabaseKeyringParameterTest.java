package dev.clavis.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseKeyringParameterTest {

  private static final String URL = "jdbc:postgresql://db.example:5432/keys";

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void equals_sameUrlPropertiesAndPassword_isEqual_anyDifference_isNot() {
    DatabaseKeyringParameter a = new DatabaseKeyringParameter(URL, props("user", "app"), "secret".toCharArray());
    assertEquals(a, new DatabaseKeyringParameter(URL, props("user", "app"), "secret".toCharArray()));
    assertEquals(a.hashCode(), new DatabaseKeyringParameter(URL, props("user", "app"), "x".toCharArray()).hashCode());
    assertNotEquals(a, new DatabaseKeyringParameter(URL, props("user", "app"), "secreT".toCharArray()));
    assertNotEquals(a, new DatabaseKeyringParameter(URL, props("user", "app"), "secret1".toCharArray()));
    assertNotEquals(a, new DatabaseKeyringParameter(URL, props("user", "ops"), "secret".toCharArray()));
    assertNotEquals(a, new DatabaseKeyringParameter(URL + "2", props("user", "app"), "secret".toCharArray()));
    assertNotEquals(a, DatabaseKeyringParameter.existing(URL, props("user", "app"), "secret".toCharArray()));
  }

  @Test
  void destroy_wipesTheCopy_andADestroyedParameterEqualsNoOther() {
    char[] pw = "secret".toCharArray();
    DatabaseKeyringParameter a = new DatabaseKeyringParameter(URL, new Properties(), pw);
    DatabaseKeyringParameter b = new DatabaseKeyringParameter(URL, new Properties(), pw);
    pw[0] = 'X';
    assertEquals("secret", new String(((KeyStore.PasswordProtection) a.getProtectionParameter()).getPassword()),
        "the password is copied");
    b.destroy();
    assertTrue(((KeyStore.PasswordProtection) b.getProtectionParameter()).isDestroyed());
    assertFalse(a.equals(b));
    assertFalse(b.equals(a));
    assertTrue(b.equals(b));
  }

  @Test
  void connection_isCopiedInAndOut() {
    Properties p = props("user", "app");
    DatabaseKeyringParameter a = new DatabaseKeyringParameter(URL, p, "pw".toCharArray());
    p.setProperty("user", "changed");
    a.getConnection().setProperty("user", "changed too");
    assertEquals("app", a.getConnection().getProperty("user"));
  }

  @Test
  void toString_showsNeitherTheKeyringPasswordNorADatabasePassword() {
    DatabaseKeyringParameter a = new DatabaseKeyringParameter(
        "jdbc:postgresql://app:urlSecret1@db.example:5432/keys?sslmode=require&password=querySecret2&user=app",
        props("password", "propSecret3", "sslpassword", "propSecret4", "user", "app", "clavis.keyring", "payments"),
        "ringSecret5".toCharArray());
    String s = a.toString();
    for (String secret : new String[] {"urlSecret1", "querySecret2", "propSecret3", "propSecret4", "ringSecret5"}) {
      assertFalse(s.contains(secret), secret + " in " + s);
    }
    assertTrue(s.contains("jdbc:postgresql://app:***@db.example:5432/keys?sslmode=require&password=***&user=app"), s);
    assertTrue(s.contains("clavis.keyring=payments") && s.contains("password=***"), s);
  }

  @Test
  void redact_keepsAUrlWithoutPasswordsAsIs() {
    assertEquals(URL, DatabaseKeyringParameter.redact(URL));
    assertEquals(URL + "?user=app&sslmode=verify-full", DatabaseKeyringParameter.redact(URL + "?user=app&sslmode=verify-full"));
    assertEquals("jdbc:postgresql://app@h/db", DatabaseKeyringParameter.redact("jdbc:postgresql://app@h/db"));
  }

  @Test
  void construction_refusesANonJdbcUrl_withoutShowingItsPassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DatabaseKeyringParameter(
        "postgresql://h/db?password=querySecret2", new Properties(), "pw".toCharArray()));
    assertFalse(e.getMessage().contains("querySecret2"), e.getMessage());
    assertThrows(NullPointerException.class, () -> new DatabaseKeyringParameter(URL, null, "pw".toCharArray()));
  }
}
