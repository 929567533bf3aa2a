package dev.clavis.keyring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.provider.ClavisProvider;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delayed provider selection with no Clavis provider installed names the fix. */
class ProviderNotInstalledTest {

  @TempDir Path dir;

  private final List<Provider> removed = new ArrayList<>();
  private final List<Integer> positions = new ArrayList<>();
  private Keyring ring;

  @BeforeEach
  void noClavisInstalled() {
    Provider[] all = Security.getProviders();
    for (int i = 0; i < all.length; i++) {
      if (all[i] instanceof ClavisProvider) {
        removed.add(all[i]);
        positions.add(i + 1);
        Security.removeProvider(all[i].getName());
      }
    }
    ring = TestStores.open(dir.resolve("s.clavis"));
    ring.create("payments", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.create("tokens", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
  }

  @AfterEach
  void restore() {
    for (Provider p : Security.getProviders()) {
      if (p instanceof ClavisProvider) {
        Security.removeProvider(p.getName());
      }
    }
    for (int i = 0; i < removed.size(); i++) {
      Security.insertProviderAt(removed.get(i), positions.get(i));
    }
    ring.close();
  }

  @Test
  void cipherInit_noClavisProviderInstalled_throwsInvalidKeyNamingAddProvider() throws Exception {
    ManagedKey h = ring.handle(KeyRef.of("payments"));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, h));
    assertTrue(e.getMessage().contains("Security.addProvider(p)"), e.getMessage());
    assertTrue(e.getMessage().contains("payments"), e.getMessage());
  }

  @Test
  void macInit_noClavisProviderInstalled_throwsInvalidKeyNamingAddProvider() throws Exception {
    ManagedKey h = ring.handle(KeyRef.of("tokens"));
    Mac m = Mac.getInstance("HmacSHA256");
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> m.init(h));
    assertTrue(e.getMessage().contains("Security.addProvider(p)"), e.getMessage());
  }

  @Test
  void cipherInit_configuredProviderInstalled_encrypts() throws Exception {
    Security.addProvider(new ClavisProvider());
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("payments")));
    assertEquals(16 + 5, c.doFinal(new byte[5]).length);
    assertEquals(ClavisProvider.NAME, c.getProvider().getName());
  }

  @Test
  void cipherWithNamedProvider_notInstalled_encrypts() throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", new ClavisProvider());
    c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("payments")));
    assertEquals(16 + 5, c.doFinal(new byte[5]).length);
  }

  @Test
  void getFormat_calledDirectly_isNullWhetherInstalledOrNot() {
    ManagedKey h = ring.handle(KeyRef.of("payments"));
    assertFalse(ProviderNotInstalled.clavisInstalled());
    assertNull(h.getFormat());
    Security.addProvider(new ClavisProvider());
    assertTrue(ProviderNotInstalled.clavisInstalled());
    assertNull(h.getFormat());
  }
}
