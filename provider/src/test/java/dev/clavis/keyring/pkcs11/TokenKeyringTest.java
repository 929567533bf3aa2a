package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenKeyringTest {

  private static KeyringEngine ring;
  private static Pkcs11Token probe; // a second, independent view of the token

  @BeforeAll
  static void open() throws Exception {
    SoftHsm.require();
    ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
    probe = Pkcs11Token.open(SoftHsmTokens.config(), SoftHsm.PIN.toCharArray());
  }

  @AfterAll
  static void close() {
    if (ring != null) {
      ring.close();
    }
    if (probe != null) {
      probe.close();
    }
  }

  private static String name(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Reads a key object's attributes through an independent session, by label. */
  private static AttributeValues attributes(String label) throws Exception {
    return probe.call(s -> {
      long[] h = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).string(CKA.LABEL, label).build());
      assertEquals(1, h.length, "objects labelled " + label);
      return s.getAttributes(h[0], CKA.TOKEN, CKA.PRIVATE, CKA.SENSITIVE, CKA.EXTRACTABLE, CKA.ENCRYPT, CKA.DECRYPT,
          CKA.WRAP, CKA.UNWRAP, CKA.SIGN, CKA.VERIFY, CKA.VALUE, CKA.ID);
    });
  }

  private static int count(String label) throws Exception {
    return probe.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).string(CKA.LABEL, label).build()).length);
  }

  @Test
  void create_aes256_generatesSensitiveUnextractableTokenKey() throws Exception {
    String n = name("gen");
    KeyInfo k = ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertEquals(KeyState.ACTIVE, k.latest().state());
    AttributeValues a = attributes(n + "#1");
    assertTrue(a.bool(CKA.TOKEN).orElseThrow());
    assertTrue(a.bool(CKA.PRIVATE).orElseThrow());
    assertTrue(a.bool(CKA.SENSITIVE).orElseThrow());
    assertFalse(a.bool(CKA.EXTRACTABLE).orElseThrow());
    assertFalse(a.has(CKA.VALUE), "CKA_VALUE of a sensitive key must not be readable");
    assertTrue(a.bool(CKA.ENCRYPT).orElseThrow() && a.bool(CKA.DECRYPT).orElseThrow());
    assertEquals("clavis:" + n + "#1;AES_256", a.string(CKA.ID).orElseThrow());
  }

  @Test
  void encryptDecrypt_envelopeOnToken_roundTripsAndRejectsTampering() {
    String n = name("env");
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] aad = "ctx".getBytes(StandardCharsets.UTF_8);
    byte[] env = ring.encrypt(n, "hello token".getBytes(StandardCharsets.UTF_8), aad);
    assertEquals("hello token", new String(ring.decrypt(env, aad), StandardCharsets.UTF_8));
    env[env.length - 1] ^= 1;
    assertThrows(KeyringException.class, () -> ring.decrypt(env, aad));
  }

  @Test
  void rotate_oldVersionLosesEncryptOnTheTokenButStillDecrypts() throws Exception {
    String n = name("rot");
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt(n, new byte[] {1, 2, 3}, null);
    ring.rotate(n, "test");
    AttributeValues old = attributes(n + "#1");
    assertFalse(old.bool(CKA.ENCRYPT).orElseThrow(), "DEPRECATED: CKA_ENCRYPT false");
    assertFalse(old.bool(CKA.WRAP).orElseThrow(), "DEPRECATED: CKA_WRAP false");
    assertTrue(old.bool(CKA.DECRYPT).orElseThrow(), "DEPRECATED still decrypts");
    assertTrue(old.bool(CKA.UNWRAP).orElseThrow());
    assertArrayEquals(new byte[] {1, 2, 3}, ring.decrypt(env, null));
    // Another PKCS#11 client cannot encrypt with the deprecated version.
    Pkcs11Exception e = assertThrows(Pkcs11Exception.class, () -> probe.call(s -> {
      long h = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).string(CKA.LABEL, n + "#1").build())[0];
      return s.encrypt(Mechanism.gcm(new byte[12], null, 128), h, new byte[1]);
    }));
    assertEquals(CKR.KEY_FUNCTION_NOT_PERMITTED, e.returnValue());
  }

  @Test
  void revokeThenSuspendResume_attributesFollowTheState() throws Exception {
    String n = name("rev");
    ring.create(n, KeyAlgorithm.AES_128, KeyPolicy.defaults());
    ring.suspend(KeyRef.of(n, 1), "pause");
    AttributeValues s = attributes(n + "#1");
    assertFalse(s.bool(CKA.DECRYPT).orElseThrow());
    assertFalse(s.bool(CKA.UNWRAP).orElseThrow());
    ring.resume(KeyRef.of(n, 1));
    assertTrue(attributes(n + "#1").bool(CKA.ENCRYPT).orElseThrow(), "resumed ACTIVE encrypts again");
    ring.revoke(KeyRef.of(n, 1), "gone");
    AttributeValues r = attributes(n + "#1");
    assertFalse(r.bool(CKA.ENCRYPT).orElseThrow());
    assertFalse(r.bool(CKA.DECRYPT).orElseThrow());
    assertFalse(r.bool(CKA.WRAP).orElseThrow());
    assertFalse(r.bool(CKA.UNWRAP).orElseThrow());
    KeyUsageException refused = assertThrows(KeyUsageException.class, () -> ring.encrypt(n, new byte[1], null));
    assertTrue(refused.getMessage().contains(n) && refused.getMessage().contains("REVOKED"), refused.getMessage());
  }

  @Test
  void destroyNow_objectIsGoneFromTheToken() throws Exception {
    String n = name("del");
    // destroyNow does not use the deletion window; a zero one is below the store's 7-day minimum now
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertEquals(1, count(n + "#1"));
    ring.destroyNow(KeyRef.of(n, 1), true); // the primary may still encrypt: only forced
    assertEquals(0, count(n + "#1"), "DESTROYED material is C_DestroyObject'ed");
    assertEquals(KeyState.DESTROYED, ring.find(n).orElseThrow().latest().state());
  }

  @Test
  void secondKeyring_sameToken_seesTheSameKeysAndStates() throws Exception {
    String n = name("shared");
    ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] env = ring.encrypt(n, new byte[] {9}, null);
    try (KeyringEngine other = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
      assertTrue(other.find(n).isPresent());
      assertArrayEquals(new byte[] {9}, other.decrypt(env, null));
      other.rotate(n, "from the other side");
      Thread.sleep(30); // the engine polls the head generation every 20 ms
      assertEquals(2, ring.find(n).orElseThrow().primary().orElseThrow().version());
    }
  }

  @Test
  void hmacAndGcm_throughJcaWithHandles_runOnTheToken() throws Exception {
    String h = name("mac");
    String g = name("gcm");
    ring.create(h, KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    ring.create(g, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ClavisProvider p = new ClavisProvider();
    ManagedKey mk = ring.handle(KeyRef.of(h));
    assertEquals(null, mk.getEncoded());
    Mac mac = Mac.getInstance("HmacSHA256", p);
    mac.init(mk);
    byte[] tag = mac.doFinal("data".getBytes(StandardCharsets.UTF_8));
    assertEquals(32, tag.length);
    mac.init(mk);
    assertArrayEquals(tag, mac.doFinal("data".getBytes(StandardCharsets.UTF_8)), "HMAC is deterministic");

    ManagedKey gk = ring.handle(KeyRef.of(g));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
    c.init(Cipher.ENCRYPT_MODE, gk);
    byte[] ct = c.doFinal(new byte[100]);
    byte[] iv = c.getIV();
    c.init(Cipher.DECRYPT_MODE, gk, new GCMParameterSpec(128, iv));
    assertArrayEquals(new byte[100], c.doFinal(ct));
  }

  @Test
  void generateDataKey_kwpUnderTokenKek_unwrapsAndMatchesSoftwareKwp() throws Exception {
    String n = name("kek");
    // An imported KEK, so the test can check the token's KWP output against the JDK's.
    byte[] kek = new byte[32];
    new SecureRandom().nextBytes(kek);
    ring.importKey(n, KeyAlgorithm.AES_256, kek, KeyPolicy.defaults());
    TokenKeyMaterial m = ((TokenKeyBackend) ring.backend()).tokenMaterial(KeyRef.of(n, 1)).orElseThrow();
    for (int len : new int[] {7, 20, 32}) {
      byte[] dek = new byte[len];
      new SecureRandom().nextBytes(dek);
      byte[] wrapped = m.wrapKwp(dek);
      Cipher jdk = Cipher.getInstance("AES/KWP/NoPadding");
      jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      assertArrayEquals(jdk.doFinal(dek), wrapped, "RFC 5649 output for a " + len + "-byte key");
      assertArrayEquals(dek, m.unwrapKwp(wrapped));
    }
    var dk = ring.generateDataKey(n, 256);
    assertArrayEquals(dk.plaintextKey(), ring.unwrapDataKey(dk.wrapped()));
    assertThrows(UnsupportedOperationException.class, m::exportRaw);
  }

  @Test
  void importWrapped_byokUnderTokenKek_createsUsableNonExtractableKey() throws Exception {
    String kekName = name("byok-kek");
    byte[] kek = new byte[32];
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(kek);
    new SecureRandom().nextBytes(key);
    ring.importKey(kekName, KeyAlgorithm.AES_256, kek, KeyPolicy.defaults());
    Cipher jdk = Cipher.getInstance("AES/KWP/NoPadding");
    jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
    byte[] wrapped = jdk.doFinal(key);
    String n = name("byok");
    ring.importWrapped(n, KeyAlgorithm.AES_256, KeyRef.of(kekName, 1), wrapped, KeyPolicy.defaults());
    AttributeValues a = attributes(n + "#1");
    assertTrue(a.bool(CKA.SENSITIVE).orElseThrow());
    assertFalse(a.bool(CKA.EXTRACTABLE).orElseThrow());
    // The token key is the imported one: the JDK decrypts what the token encrypted.
    byte[] env = ring.encrypt(n, new byte[] {4, 2}, null);
    assertArrayEquals(new byte[] {4, 2}, ring.decrypt(env, null));
    TokenKeyMaterial m = ((TokenKeyBackend) ring.backend()).tokenMaterial(KeyRef.of(n, 1)).orElseThrow();
    var op = m.startGcm(true, new byte[12], 128);
    byte[] out = new byte[18];
    int len = op.doFinal(new byte[] {1, 1}, 0, 2, out, 0);
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, new byte[12]));
    assertArrayEquals(new byte[] {1, 1}, dec.doFinal(out, 0, len));

    byte[] bad = wrapped.clone();
    bad[3] ^= 1;
    assertThrows(KeyringException.class, () -> ring.importWrapped(name("byok-bad"), KeyAlgorithm.AES_256,
        KeyRef.of(kekName, 1), bad, KeyPolicy.defaults()));
  }

  @Test
  void importKey_opaqueSecret_storedWithoutAnyUsage() throws Exception {
    String n = name("secret");
    ring.importKey(n, KeyAlgorithm.SECRET, "a password".getBytes(StandardCharsets.UTF_8),
        KeyPolicy.builder().exportable(true).build());
    AttributeValues a = attributes(n + "#1");
    assertFalse(a.bool(CKA.ENCRYPT).orElseThrow());
    assertFalse(a.bool(CKA.SIGN).orElseThrow());
    assertFalse(a.bool(CKA.WRAP).orElseThrow());
    assertArrayEquals("a password".getBytes(StandardCharsets.UTF_8), ring.exportKey(KeyRef.of(n, 1)));
  }

  @Test
  void keyWrapProbe_recordsTheSoftHsmDeviation() {
    String f = ((TokenKeyBackend) ring.backend()).keyWrap().findings();
    assertTrue(f.contains("CKM_AES_KEY_WRAP_PAD"), f);
  }
}
