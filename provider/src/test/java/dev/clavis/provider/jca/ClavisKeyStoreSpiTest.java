package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.ManagedKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClavisKeyStoreSpiTest {

  static final char[] PW = "store password".toCharArray();
  @TempDir Path dir;

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private static KeyStore clavis() throws Exception {
    return KeyStore.getInstance("Clavis", "Clavis");
  }

  private static Map<String, String> attrs(KeyStore.Entry e) {
    Map<String, String> m = new HashMap<>();
    e.getAttributes().forEach(a -> m.put(a.getName(), a.getValue()));
    return m;
  }

  @Test
  void liveStore_setEntryCreatesThenRotates_aliasesListNames_versionsAddressable() throws Exception {
    Path f = dir.resolve("live.clavis");
    KeyStore ks = clavis();
    ks.load(new KeyringParameter(f, PW));
    assertTrue(Files.exists(f));
    KeyGenerator g = KeyGenerator.getInstance("AES", "Clavis");
    g.init(256);
    SecretKey k1 = g.generateKey();
    ks.setEntry("payments", new KeyStore.SecretKeyEntry(k1), new KeyStore.PasswordProtection(PW));
    assertEquals(List.of("payments"), Collections.list(ks.aliases()));
    Map<String, String> a = attrs(ks.getEntry("payments", null));
    assertEquals("ACTIVE", a.get("clavis.status"));
    assertEquals("1", a.get("clavis.version"));
    assertEquals("never", a.get("clavis.expires"));
    assertNotNull(a.get("clavis.created"));
    assertEquals("0", a.get("clavis.usage"));

    ks.setKeyEntry("payments", g.generateKey(), null, null);
    assertEquals("2", attrs(ks.getEntry("payments", null)).get("clavis.version"));
    assertEquals("DEPRECATED", attrs(ks.getEntry("payments#1", null)).get("clavis.status"));
    assertTrue(ks.containsAlias("payments#2"));
    assertFalse(ks.containsAlias("payments#3"));
    assertEquals(1, ks.size());

    ManagedKey h = (ManagedKey) ks.getKey("payments", null);
    assertNull(h.getEncoded());
    assertNull(h.getFormat());
    assertEquals("AES", h.getAlgorithm());

    // every change was durable: a second, independent load sees it
    KeyStore other = clavis();
    other.load(new KeyringParameter(f, PW));
    assertTrue(other.containsAlias("payments#2"));
    // the old version decrypts what it encrypted (made here with its raw key on SunJCE)
    Cipher sun = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    sun.init(Cipher.ENCRYPT_MODE, k1, new GCMParameterSpec(128, new byte[12]));
    byte[] ct = sun.doFinal("old".getBytes());
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, other.getKey("payments", null), new GCMParameterSpec(128, new byte[12]));
    assertArrayEquals("old".getBytes(), c.doFinal(ct));
  }

  @Test
  void deleteEntry_schedulesDestruction_nameLeavesAliasesAtOnce() throws Exception {
    KeyStore ks = clavis();
    ks.load(new KeyringParameter(dir.resolve("d.clavis"), PW));
    ks.setKeyEntry("gone", new SecretKeySpec(new byte[32], "AES"), null, null);
    ks.deleteEntry("gone");
    assertFalse(ks.containsAlias("gone"));
    assertNull(ks.getKey("gone", null));
    assertEquals(0, ks.size());
    ClavisKeyStoreSpi spi = new ClavisKeyStoreSpi();
    spi.engineLoad(new KeyringParameter(dir.resolve("d.clavis"), PW));
    assertEquals("PENDING_DESTRUCTION", spi.keyring().find("gone").orElseThrow().latest().state().name());
    spi.keyring().cancelDestruction("gone");
    assertTrue(ks.containsAlias("gone") || spi.engineContainsAlias("gone"));
  }

  @Test
  void streamLoadStore_roundTrip_forKeytool() throws Exception {
    KeyStore ks = clavis();
    ks.load(null, null);
    ks.setKeyEntry("a", new SecretKeySpec(new byte[16], "AES"), PW, null);
    KeyGenerator hg = KeyGenerator.getInstance("HmacSHA256", "Clavis");
    ks.setKeyEntry("h", hg.generateKey(), PW, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, PW);
    Path f = dir.resolve("ks.clavis");
    Files.write(f, out.toByteArray());

    KeyStore back = clavis();
    back.load(new ByteArrayInputStream(out.toByteArray()), PW);
    assertEquals(List.of("a", "h"), Collections.list(back.aliases()));
    assertEquals("HmacSHA256", back.getKey("h", PW).getAlgorithm());
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(back.getKey("h", PW));
    assertEquals(32, mac.doFinal(new byte[3]).length);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, back.getKey("a", PW));
    byte[] ct = c.doFinal("x".getBytes());
    Cipher sun = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    sun.init(Cipher.DECRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), c.getParameters());
    assertArrayEquals("x".getBytes(), sun.doFinal(ct));
    // the written image is also a live file store
    KeyStore live = clavis();
    live.load(new KeyringParameter(f, PW));
    assertEquals(2, live.size());
  }

  @Test
  void load_wrongPassword_isIOExceptionCausedByUnrecoverableKey_fileUntouched() throws Exception {
    KeyStore ks = clavis();
    ks.load(null, null);
    ks.setKeyEntry("a", new SecretKeySpec(new byte[16], "AES"), PW, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ks.store(out, PW);
    Path f = dir.resolve("w.clavis");
    Files.write(f, out.toByteArray());
    byte[] before = Files.readAllBytes(f);
    IOException e = assertThrows(IOException.class,
        () -> clavis().load(new ByteArrayInputStream(before), "wrong".toCharArray()));
    assertInstanceOf(UnrecoverableKeyException.class, e.getCause());
    IOException e2 = assertThrows(IOException.class,
        () -> clavis().load(new KeyringParameter(f, "wrong".toCharArray())));
    assertInstanceOf(UnrecoverableKeyException.class, e2.getCause());
    assertArrayEquals(before, Files.readAllBytes(f));
  }

  @Test
  void setEntry_refusesVersionAliasesAndUnsupportedKeys() throws Exception {
    KeyStore ks = clavis();
    ks.load(null, null);
    assertThrows(java.security.KeyStoreException.class,
        () -> ks.setKeyEntry("a#2", new SecretKeySpec(new byte[16], "AES"), null, null));
    assertThrows(java.security.KeyStoreException.class,
        () -> ks.setKeyEntry("big", new SecretKeySpec(new byte[2000], "GENERIC"), null, null));
    assertThrows(java.security.KeyStoreException.class,
        () -> ks.setKeyEntry("bad name!", new SecretKeySpec(new byte[16], "AES"), null, null));
  }

  @Test
  void setEntry_passwordAsKeytoolImportpassDoes_isKeptAsOpaqueSecret() throws Exception {
    KeyStore ks = clavis();
    ks.load(null, null);
    javax.crypto.SecretKeyFactory f = javax.crypto.SecretKeyFactory.getInstance("PBE");
    SecretKey pbe = f.generateSecret(new javax.crypto.spec.PBEKeySpec("hunter2".toCharArray()));
    ks.setEntry("db-password", new KeyStore.SecretKeyEntry(pbe), new KeyStore.PasswordProtection(PW));
    assertTrue(ks.isKeyEntry("db-password"));
    ManagedKey h = (ManagedKey) ks.getKey("db-password", PW);
    assertEquals(dev.clavis.keyring.KeyAlgorithm.SECRET, h.keyAlgorithm());
    assertThrows(java.security.InvalidKeyException.class,
        () -> Cipher.getInstance("AES/GCM/NoPadding", "Clavis").init(Cipher.ENCRYPT_MODE, h));
  }

  @Test
  void probe_recognisesClavisFiles() throws Exception {
    Path f = dir.resolve("p.clavis");
    KeyStore ks = clavis();
    ks.load(new KeyringParameter(f, PW));
    assertTrue(new ClavisKeyStoreSpi().engineProbe(Files.newInputStream(f)));
    assertFalse(new ClavisKeyStoreSpi().engineProbe(new ByteArrayInputStream(new byte[] {0x30, 0x01})));
  }

  @Test
  void keyGenerators_makeRawKeysOfTheRightSize() throws Exception {
    KeyGenerator a = KeyGenerator.getInstance("AES", "Clavis");
    assertEquals(32, a.generateKey().getEncoded().length);
    a.init(128);
    assertEquals(16, a.generateKey().getEncoded().length);
    assertThrows(java.security.InvalidParameterException.class, () -> a.init(100));
    KeyGenerator h = KeyGenerator.getInstance("HmacSHA256", "Clavis");
    SecretKey k = h.generateKey();
    assertEquals("RAW", k.getFormat());
    assertEquals(32, k.getEncoded().length);
  }
}
