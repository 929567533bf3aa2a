package dev.clavis.conformance.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;

/**
 * Clients nobody here wrote open the token Clavis keeps its keyring on: the JDK's SunPKCS11, the
 * IAIK-derived {@code org.xipki:ipkcs11wrapper} and OpenSC's {@code pkcs11-tool}.
 */
class Pkcs11InteropTest {

  private static KeyringEngine ring;
  private static Provider sun;
  private static KeyStore sunKeyStore;
  private static Session iaikSession;

  @BeforeAll
  static void open() throws Exception {
    SoftHsm.require();
    ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(dev.clavis.pkcs11.Pkcs11Config.parse(SoftHsm.configFile())).pin(SoftHsm.PIN.toCharArray()));
    Path sunCfg = SoftHsm.configFile().resolveSibling("sunpkcs11.cfg");
    long slotId = dev.clavis.pkcs11.Pkcs11Token.locate(dev.clavis.pkcs11.Pkcs11Config.parse(SoftHsm.configFile())).slotId();
    // SunPKCS11 selects tokens by slot ID, not label.
    Files.writeString(sunCfg, "name = ClavisInterop\nlibrary = " + SoftHsm.LIBRARY + "\nslot = " + slotId + "\n");
    sun = Security.getProvider("SunPKCS11").configure(sunCfg.toString());
    iaikSession = IaikSessions.userSession(SoftHsm.LIBRARY.toString(), SoftHsm.LABEL, SoftHsm.PIN.toCharArray(), true);
  }

  /** SunPKCS11 reads its KeyStore once per load, so each test loads it afresh. */
  private static KeyStore sunKeyStore() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS11", sun);
    ks.load(null, SoftHsm.PIN.toCharArray());
    return ks;
  }

  @AfterAll
  static void close() throws Exception {
    if (iaikSession != null) {
      iaikSession.closeSession();
    }
    if (ring != null) {
      ring.close();
    }
  }

  private static String name(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static long iaikFind(String label) throws Exception {
    long[] h = iaikSession.findObjectsSingle(AttributeVector.newSecretKey().label(label), 10);
    assertEquals(1, h.length, "the IAIK wrapper finds exactly one object labelled " + label);
    return h[0];
  }

  @Test
  void iaikWrapper_seesClavisKeyWithTheRightAttributes() throws Exception {
    String n = name("iaik");
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    long h = iaikFind(n + "#1");
    AttributeVector a = iaikSession.getAttrValues(h, PKCS11Constants.CKA_TOKEN, PKCS11Constants.CKA_PRIVATE,
        PKCS11Constants.CKA_SENSITIVE, PKCS11Constants.CKA_EXTRACTABLE, PKCS11Constants.CKA_KEY_TYPE,
        PKCS11Constants.CKA_VALUE_LEN, PKCS11Constants.CKA_ENCRYPT, PKCS11Constants.CKA_DECRYPT);
    assertTrue(a.token());
    assertTrue(a.private_());
    assertTrue(a.sensitive());
    assertFalse(a.extractable());
    assertEquals(PKCS11Constants.CKK_AES, a.keyType());
    assertEquals(32, a.valueLen());
    assertTrue(a.encrypt());

    ring.rotate(n, "interop");
    AttributeVector old = iaikSession.getAttrValues(h, PKCS11Constants.CKA_ENCRYPT, PKCS11Constants.CKA_WRAP,
        PKCS11Constants.CKA_DECRYPT, PKCS11Constants.CKA_UNWRAP);
    assertFalse(old.encrypt(), "DEPRECATED: the IAIK wrapper sees CKA_ENCRYPT false");
    assertFalse(old.wrap());
    assertTrue(old.decrypt());
    PKCS11Exception refused = assertThrows(PKCS11Exception.class, () -> iaikSession.encryptSingle(
        new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_AES_GCM, new GCM_PARAMS(new byte[12], null, 128)),
        h, new byte[16]));
    assertEquals(PKCS11Constants.CKR_KEY_FUNCTION_NOT_PERMITTED, refused.getErrorCode());

    ring.revoke(KeyRef.of(n, 1), "interop");
    AttributeVector revoked = iaikSession.getAttrValues(h, PKCS11Constants.CKA_DECRYPT, PKCS11Constants.CKA_UNWRAP);
    assertFalse(revoked.decrypt(), "REVOKED: CKA_DECRYPT false");
    assertFalse(revoked.unwrap(), "REVOKED: CKA_UNWRAP false");
  }

  @Test
  void iaikWrapper_decryptsWhatClavisEncryptedOnTheToken_andTheReverse() throws Exception {
    String n = name("iaik-gcm");
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey k = ring.handle(KeyRef.of(n, 1));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", new ClavisProvider());
    c.init(Cipher.ENCRYPT_MODE, k);
    byte[] pt = "clavis to iaik".getBytes(StandardCharsets.UTF_8);
    byte[] ct = c.doFinal(pt);
    long h = iaikFind(n + "#1");
    byte[] back = iaikSession.decryptSingle(new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_AES_GCM,
        new GCM_PARAMS(c.getIV(), null, 128)), h, ct);
    assertArrayEquals(pt, back);
    byte[] iv = new byte[12];
    iv[0] = 1;
    byte[] fromIaik = iaikSession.encryptSingle(new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_AES_GCM,
        new GCM_PARAMS(iv, null, 128)), h, pt);
    c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
    assertArrayEquals(pt, c.doFinal(fromIaik));
  }

  @Test
  void sunPkcs11_keyStoreListsClavisKeysAndDecryptsClavisCiphertext() throws Exception {
    String n = name("sun");
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    KeyStore ks = sunKeyStore();
    List<String> aliases = Collections.list(ks.aliases());
    assertTrue(aliases.contains(n + "#1"), "SunPKCS11 aliases " + aliases);
    Key sunKey = ks.getKey(n + "#1", null);
    assertEquals("AES", sunKey.getAlgorithm());
    assertNull(sunKey.getEncoded(), "SunPKCS11 sees a sensitive key: no encoding");

    ManagedKey k = ring.handle(KeyRef.of(n, 1));
    Cipher clavis = Cipher.getInstance("AES/GCM/NoPadding", new ClavisProvider());
    clavis.init(Cipher.ENCRYPT_MODE, k);
    clavis.updateAAD("aad".getBytes(StandardCharsets.UTF_8));
    byte[] pt = new byte[1024];
    pt[5] = 42;
    byte[] ct = clavis.doFinal(pt);

    Cipher viaSun = Cipher.getInstance("AES/GCM/NoPadding", sun);
    viaSun.init(Cipher.DECRYPT_MODE, sunKey, new GCMParameterSpec(128, clavis.getIV()));
    viaSun.updateAAD("aad".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(pt, viaSun.doFinal(ct));

    // and the other way round
    byte[] iv = new byte[12];
    iv[11] = 9;
    viaSun.init(Cipher.ENCRYPT_MODE, sunKey, new GCMParameterSpec(128, iv));
    byte[] fromSun = viaSun.doFinal(pt);
    clavis.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, iv));
    assertArrayEquals(pt, clavis.doFinal(fromSun));
  }

  @Test
  void sunPkcs11_cannotEncryptWithADeprecatedVersion() throws Exception {
    String n = name("sun-dep");
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.rotate(n, "interop");
    Key old = sunKeyStore().getKey(n + "#1", null);
    Cipher viaSun = Cipher.getInstance("AES/GCM/NoPadding", sun);
    try {
      viaSun.init(Cipher.ENCRYPT_MODE, old, new GCMParameterSpec(128, new byte[12]));
      viaSun.doFinal(new byte[16]);
      fail("SunPKCS11 encrypted with a DEPRECATED version");
    } catch (Exception e) {
      assertTrue(String.valueOf(e).contains("CKR_KEY_FUNCTION_NOT_PERMITTED")
          || String.valueOf(e.getCause()).contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), String.valueOf(e));
    }
  }

  @Test
  void pkcs11Tool_listsClavisObjects() throws Exception {
    String n = name("tool");
    ring.create(n, KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    Process p;
    try {
      p = new ProcessBuilder("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(), "--token-label", SoftHsm.LABEL,
          "--login", "--pin", SoftHsm.PIN, "-O").redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      if (System.getenv("CI") != null) {
        fail("pkcs11-tool (opensc) is required in CI: " + e.getMessage());
      }
      System.err.println("SKIPPED: pkcs11-tool is not installed: " + e.getMessage());
      Assumptions.abort("pkcs11-tool is not installed");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("label:      " + n + "#1") || out.contains(n + "#1"), out);
    assertTrue(out.contains("Data object"), "the keyring head and metadata are CKO_DATA objects:\n" + out);
    assertTrue(out.contains("dev.clavis.keyring.head"), out);
  }
}
