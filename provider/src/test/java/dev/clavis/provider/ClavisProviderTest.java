package dev.clavis.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Provider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ClavisProviderTest {

  @Test
  void name_isClavis() {
    assertEquals("Clavis", new ClavisProvider().getName());
  }

  @Test
  void serviceLoader_findsTheProvider() {
    boolean found = false;
    for (Provider p : ServiceLoader.load(Provider.class)) {
      found |= p instanceof ClavisProvider;
    }
    assertTrue(found, "META-INF/services/java.security.Provider does not name ClavisProvider");
  }
}
