package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.ManagedKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.Pkcs11Parameter;
import dev.clavis.testkit.SoftHsm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ClavisProvider.configure} and the {@code ClavisPKCS11} key store on SoftHSM2. */
class ClavisPkcs11KeyStoreTest {

  @TempDir
  Path dir;

  private Path cfg(String text) throws IOException {
    return Files.writeString(dir.resolve("p11-" + UUID.randomUUID() + ".cfg"), text);
  }

  @Test
  void configure_goodFile_returnsNewProviderNamedAfterTheConfig() throws Exception {
    Provider base = new ClavisProvider();
    Provider p = base.configure(SoftHsm.configFile().toString());
    assertEquals("Clavis-softhsm", p.getName());
    assertTrue(p != base);
    assertTrue(p.getService("KeyStore", "ClavisPKCS11") != null);
    assertTrue(p.getService("Cipher", "AES/GCM/NoPadding") != null);
  }

  @Test
  void load_withPin_setEntryGetKeyAndEncryptOnToken() throws Exception {
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, SoftHsm.PIN.toCharArray());
    String name = "ks-" + UUID.randomUUID().toString().substring(0, 8);
    byte[] raw = new byte[32];
    raw[0] = 1;
    ks.setEntry(name, new KeyStore.SecretKeyEntry(new SecretKeySpec(raw, "AES")), null);
    assertTrue(Collections.list(ks.aliases()).contains(name));
    ManagedKey k = assertInstanceOf(ManagedKey.class, ks.getKey(name, null));
    assertNull(k.getEncoded(), "token keys are not exportable");
    KeyStore.Entry e = ks.getEntry(name, null);
    Map<String, String> attrs = new HashMap<>();
    e.getAttributes().forEach(a -> attrs.put(a.getName(), a.getValue()));
    assertEquals("ACTIVE", attrs.get("clavis.status"));
    assertEquals("1", attrs.get("clavis.version"));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
    c.init(Cipher.ENCRYPT_MODE, k);
    byte[] ct = c.doFinal(new byte[] {7, 7, 7});
    // The token key is the imported one: the JDK decrypts it.
    Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
    jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, c.getIV()));
    assertArrayEquals(new byte[] {7, 7, 7}, jdk.doFinal(ct));
    // setEntry again rotates.
    ks.setEntry(name, new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[32], "AES")), null);
    Map<String, String> after = new HashMap<>();
    ks.getEntry(name, null).getAttributes().forEach(a -> after.put(a.getName(), a.getValue()));
    assertEquals("2", after.get("clavis.version"));
    ks.deleteEntry(name);
    assertTrue(!Collections.list(ks.aliases()).contains(name));
  }

  /**
   * The visibility of a name is the one rule of the managed key store, for both types: a name
   * whose only version was scheduled for destruction stays listed and contained (only a deleted
   * name leaves), so {@code aliases()} and {@code containsAlias} never disagree.
   */
  @Test
  void deleteEntry_ofTheOnlyVersion_aliasesAndContainsAliasAgree_onBothKeyStoreTypes() throws Exception {
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore token = KeyStore.getInstance("ClavisPKCS11", p);
    token.load(null, SoftHsm.PIN.toCharArray());
    KeyStore file = KeyStore.getInstance("Clavis", new ClavisProvider());
    file.load(new dev.clavis.spec.KeyringParameter(dir.resolve("agree.clavis"), "pw".toCharArray()));
    for (KeyStore ks : new KeyStore[] {token, file}) {
      String name = "one-" + UUID.randomUUID().toString().substring(0, 8);
      ks.setEntry(name, new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[32], "AES")), null);
      ks.deleteEntry(name + "#1");
      boolean listed = Collections.list(ks.aliases()).contains(name);
      assertEquals(listed, ks.containsAlias(name), ks.getType() + ": aliases() and containsAlias agree");
      assertEquals(listed, ks.getKey(name, null) != null, ks.getType() + ": aliases() and getKey agree");
      assertEquals("PENDING_DESTRUCTION", attribute(ks.getEntry(name + "#1", null), "clavis.status"), ks.getType());
      ks.deleteEntry(name);
      assertTrue(!Collections.list(ks.aliases()).contains(name) && !ks.containsAlias(name), ks.getType());
    }
  }

  private static String attribute(KeyStore.Entry e, String name) {
    return e.getAttributes().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow().getValue();
  }

  @Test
  void load_nullPassword_usesThePinOfTheFile() throws Exception {
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, null);
    assertTrue(ks.size() >= 0);
  }

  @Test
  void load_wrongPin_isIoExceptionCausedByUnrecoverableKey() throws Exception {
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    IOException e = assertThrows(IOException.class, () -> ks.load(null, "9999".toCharArray()));
    assertInstanceOf(UnrecoverableKeyException.class, e.getCause());
    assertTrue(e.getMessage().contains("CKR_PIN_INCORRECT"), e.getMessage());
    assertTrue(!e.getMessage().contains("9999"));
    KeyStore good = KeyStore.getInstance("ClavisPKCS11", p);
    good.load(null, SoftHsm.PIN.toCharArray()); // the retry counter was not burned
  }

  @Test
  void defaultProvider_loadWithPkcs11Parameter_opensTheToken() throws Exception {
    SoftHsm.require();
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", new ClavisProvider());
    IOException unbound = assertThrows(IOException.class, () -> ks.load(null, SoftHsm.PIN.toCharArray()));
    assertTrue(unbound.getMessage().contains("configure"), unbound.getMessage());
    ks.load(new Pkcs11Parameter(SoftHsm.configFile(), null));
    assertTrue(ks.size() >= 0);
  }

  @Test
  void configure_missingLibrary_failsNamingThePath() throws Exception {
    Path f = cfg("name = x\nlibrary = /nonexistent/libp11.so\ntokenLabel = clavis\n");
    ProviderException e = assertThrows(ProviderException.class, () -> new ClavisProvider().configure(f.toString()));
    assertTrue(e.getMessage().contains("/nonexistent/libp11.so") && e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void configure_libc_failsSayingNotPkcs11() throws Exception {
    Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(libc));
    Path f = cfg("library = " + libc + "\ntokenLabel = clavis\n");
    ProviderException e = assertThrows(ProviderException.class, () -> new ClavisProvider().configure(f.toString()));
    assertTrue(e.getMessage().contains("not a PKCS#11 module"), e.getMessage());
  }

  @Test
  void configure_unknownTokenLabel_failsListingTokens() throws Exception {
    SoftHsm.require();
    Path f = cfg("library = " + SoftHsm.LIBRARY + "\ntokenLabel = nope\n");
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> new ClavisProvider().configure(f.toString()));
    assertTrue(e.getMessage().contains("no token labelled 'nope'") && e.getMessage().contains("'clavis'"), e.getMessage());
  }

  @Test
  void configure_badLine_failsNamingTheLine() throws Exception {
    Path f = cfg("library = /x.so\ntokenLabel clavis\n");
    InvalidParameterException e = assertThrows(InvalidParameterException.class,
        () -> new ClavisProvider().configure(f.toString()));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }
}
