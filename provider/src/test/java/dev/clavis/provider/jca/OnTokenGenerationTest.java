package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import dev.clavis.testkit.SoftHsm;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Provider;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys of a token-bound provider's {@code KeyGenerator} are generated on the token when stored. */
class OnTokenGenerationTest {

  @TempDir Path dir;

  private static Provider p;
  private static KeyStore ks;
  private static Pkcs11Token raw;
  private static Keyring view;

  @BeforeAll
  static void token() throws Exception {
    p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, SoftHsm.PIN.toCharArray());
    raw = SoftHsmTokens.open();
    view = Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
  }

  @AfterAll
  static void close() {
    view.close();
  }

  private static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static AttributeValues attributes(String label) throws Exception {
    return raw.call(s -> {
      long[] h = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).string(CKA.LABEL, label).build());
      assertEquals(1, h.length, "one key object labelled " + label);
      return s.getAttributes(h[0], CKA.LOCAL, CKA.NEVER_EXTRACTABLE, CKA.ALWAYS_SENSITIVE, CKA.SENSITIVE,
          CKA.EXTRACTABLE);
    });
  }

  private static void assertGeneratedOnToken(String label) throws Exception {
    AttributeValues a = attributes(label);
    assertEquals(true, a.bool(CKA.LOCAL).orElseThrow(), label + " CKA_LOCAL");
    assertEquals(true, a.bool(CKA.NEVER_EXTRACTABLE).orElseThrow(), label + " CKA_NEVER_EXTRACTABLE");
    assertEquals(true, a.bool(CKA.ALWAYS_SENSITIVE).orElseThrow(), label + " CKA_ALWAYS_SENSITIVE");
    assertEquals(true, a.bool(CKA.SENSITIVE).orElseThrow(), label + " CKA_SENSITIVE");
    assertEquals(false, a.bool(CKA.EXTRACTABLE).orElseThrow(), label + " CKA_EXTRACTABLE");
  }

  private static KeyInfo info(String name) {
    return view.list().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void keyGenerator_ofTokenProvider_setKeyEntry_generatesOnToken_localNeverExtractableSensitive() throws Exception {
    String name = name("gen");
    KeyGenerator kg = KeyGenerator.getInstance("AES", p);
    kg.init(256);
    SecretKey k = kg.generateKey();
    assertNull(k.getEncoded(), "the key never exists in the JVM");
    assertNull(k.getFormat());
    assertEquals("AES", k.getAlgorithm());
    ks.setKeyEntry(name, k, null, null);

    assertGeneratedOnToken(name + "#1");
    KeyVersionInfo v1 = info(name).version(1).orElseThrow();
    assertEquals(KeyVersionInfo.Origin.GENERATED, v1.origin());
    ManagedKey h = assertInstanceOf(ManagedKey.class, ks.getKey(name, null));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
    c.init(Cipher.ENCRYPT_MODE, h);
    assertEquals(3 + 16, c.doFinal(new byte[3]).length);
  }

  @Test
  void keyGenerator_ofTokenProvider_onExistingName_rotatesToAGeneratedVersion() throws Exception {
    String name = name("rot");
    KeyGenerator kg = KeyGenerator.getInstance("AES", p);
    ks.setEntry(name, new KeyStore.SecretKeyEntry(kg.generateKey()), null);
    ks.setEntry(name, new KeyStore.SecretKeyEntry(kg.generateKey()), null);
    KeyInfo k = info(name);
    assertEquals(KeyState.DEPRECATED, k.version(1).orElseThrow().state());
    assertEquals(KeyState.ACTIVE, k.version(2).orElseThrow().state());
    assertEquals(KeyVersionInfo.Origin.GENERATED, k.version(2).orElseThrow().origin());
    assertGeneratedOnToken(name + "#2");
  }

  @Test
  void keyGenerator_ofTokenProvider_hmac_generatesOnToken() throws Exception {
    String name = name("mac");
    KeyGenerator kg = KeyGenerator.getInstance("HmacSHA256", p);
    ks.setKeyEntry(name, kg.generateKey(), null, null);
    assertGeneratedOnToken(name + "#1");
    assertEquals(dev.clavis.keyring.KeyAlgorithm.HMAC_SHA256, info(name).algorithm());
  }

  @Test
  void keyGenerator_ofTokenProvider_hmacOfAnotherSize_isRefusedAtInit() throws Exception {
    KeyGenerator kg = KeyGenerator.getInstance("HmacSHA256", p);
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> kg.init(128));
    assertTrue(e.getMessage().contains("256"), e.getMessage());
  }

  @Test
  void generatedKey_storedTwice_isRefused_andMakesNoSecondKey() throws Exception {
    String a = name("once");
    String b = name("twice");
    SecretKey k = KeyGenerator.getInstance("AES", p).generateKey();
    ks.setKeyEntry(a, k, null, null);
    KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setKeyEntry(b, k, null, null));
    assertTrue(e.getMessage().contains("stored already, as " + a), e.getMessage());
    assertFalse(ks.containsAlias(b));
  }

  @Test
  void generatedKey_inAFileStore_isRefusedNamingTheToken() throws Exception {
    SecretKey k = KeyGenerator.getInstance("AES", p).generateKey();
    KeyStore file = KeyStore.getInstance("Clavis", new ClavisProvider());
    file.load(new KeyringParameter(dir.resolve("f.clavis"), "pw".toCharArray()));
    KeyStoreException e = assertThrows(KeyStoreException.class, () -> file.setKeyEntry("x", k, null, null));
    assertTrue(e.getMessage().contains("is generated on token '" + SoftHsm.LABEL + "'"), e.getMessage());
    assertFalse(file.containsAlias("x"));
    // not consumed by the refusal: the right key store still takes it
    String name = name("later");
    ks.setKeyEntry(name, k, null, null);
    assertGeneratedOnToken(name + "#1");
  }

  /** What is not generated on the token: bytes from outside it are imported (README says so). */
  @Test
  void softwareKey_ofTheDefaultProvider_isImported_notLocal() throws Exception {
    String name = name("imp");
    ks.setKeyEntry(name, KeyGenerator.getInstance("AES", new ClavisProvider()).generateKey(), null, null);
    assertEquals(KeyVersionInfo.Origin.IMPORTED, info(name).version(1).orElseThrow().origin());
    AttributeValues a = attributes(name + "#1");
    assertEquals(false, a.bool(CKA.LOCAL).orElseThrow());
    assertEquals(false, a.bool(CKA.EXTRACTABLE).orElseThrow());
    assertEquals(true, a.bool(CKA.SENSITIVE).orElseThrow());
  }

  @Test
  void keytoolFrame_absent_isNotKeytool() {
    assertFalse(OnTokenGeneration.calledByKeytoolGenSecKey());
  }
}
