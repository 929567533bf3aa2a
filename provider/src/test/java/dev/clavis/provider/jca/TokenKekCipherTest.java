package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KW and KWP through {@code Cipher} with a KEK held on the token (the {@code ClavisPKCS11} key
 * store's handle, whose material cannot leave SoftHSM2): every mode runs on the token, the output
 * is SunJCE's RFC 3394/5649 bytes under the same KEK (imported from known bytes), and the
 * lifecycle is checked per operation as for a file KEK.
 */
class TokenKekCipherTest {

  private static final byte[] KEK_V1 = bytes(32, 0x11);
  private static final byte[] KEK_V2 = bytes(32, 0x5A);
  private static Provider p;
  private static KeyStore ks;

  @BeforeAll
  static void open() throws Exception {
    p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, SoftHsm.PIN.toCharArray());
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + 31 * i);
    }
    return b;
  }

  private static String importedKek(byte[] value) throws Exception {
    String name = "tkek-" + UUID.randomUUID().toString().substring(0, 8);
    ks.setEntry(name, new KeyStore.SecretKeyEntry(new SecretKeySpec(value, "AES")), null);
    return name;
  }

  private static ManagedKey handle(String alias) throws Exception {
    ManagedKey k = assertInstanceOf(ManagedKey.class, ks.getKey(alias, null));
    assertNull(k.getEncoded(), "the token KEK's material cannot leave the token");
    return k;
  }

  private static Cipher sunJce(String alg, int mode, byte[] kek) throws Exception {
    Cipher c = Cipher.getInstance(alg, "SunJCE");
    c.init(mode, new SecretKeySpec(kek, "AES"));
    return c;
  }

  @Test
  void kwp_everyModeAndLength1to64_isSunJceRfc5649Output() throws Exception {
    String name = importedKek(KEK_V1);
    ManagedKey kek = handle(name);
    for (int n = 1; n <= 64; n++) {
      byte[] key = bytes(n, n);
      Cipher w = Cipher.getInstance("AES/KWP/NoPadding", p);
      w.init(Cipher.WRAP_MODE, kek);
      byte[] wrapped = w.wrap(new SecretKeySpec(key, "Generic"));
      byte[] expected = sunJce("AES/KWP/NoPadding", Cipher.WRAP_MODE, KEK_V1).wrap(new SecretKeySpec(key, "Generic"));
      assertArrayEquals(expected, wrapped, "WRAP_MODE of " + n + " bytes");

      Cipher e = Cipher.getInstance("AES/KWP/NoPadding", p);
      e.init(Cipher.ENCRYPT_MODE, kek);
      assertArrayEquals(expected, e.doFinal(key), "ENCRYPT_MODE of " + n + " bytes");

      Cipher u = Cipher.getInstance("AES/KWP/NoPadding", p);
      u.init(Cipher.UNWRAP_MODE, kek);
      Key back = u.unwrap(expected, "Generic", Cipher.SECRET_KEY);
      assertArrayEquals(key, back.getEncoded(), "UNWRAP_MODE of " + n + " bytes");

      Cipher d = Cipher.getInstance("AES/KWP/NoPadding", p);
      d.init(Cipher.DECRYPT_MODE, kek);
      assertArrayEquals(key, d.doFinal(expected), "DECRYPT_MODE of " + n + " bytes");
    }
  }

  @Test
  void kw_everyModeAndMultipleOf8_isSunJceRfc3394Output() throws Exception {
    String name = importedKek(KEK_V1);
    ManagedKey kek = handle(name);
    for (int n = 16; n <= 64; n += 8) {
      byte[] key = bytes(n, n);
      byte[] expected = sunJce("AES/KW/NoPadding", Cipher.WRAP_MODE, KEK_V1).wrap(new SecretKeySpec(key, "AES"));
      Cipher w = Cipher.getInstance("AES/KW/NoPadding", p);
      w.init(Cipher.WRAP_MODE, kek);
      assertArrayEquals(expected, w.wrap(new SecretKeySpec(key, "AES")), "WRAP_MODE of " + n + " bytes");
      Cipher e = Cipher.getInstance("AES/KW/NoPadding", p);
      e.init(Cipher.ENCRYPT_MODE, kek);
      assertArrayEquals(expected, e.doFinal(key), "ENCRYPT_MODE of " + n + " bytes");
      Cipher u = Cipher.getInstance("AES/KW/NoPadding", p);
      u.init(Cipher.UNWRAP_MODE, kek);
      assertArrayEquals(key, u.unwrap(expected, "AES", Cipher.SECRET_KEY).getEncoded(), "UNWRAP_MODE of " + n);
      Cipher d = Cipher.getInstance("AES/KW/NoPadding", p);
      d.init(Cipher.DECRYPT_MODE, kek);
      assertArrayEquals(key, d.doFinal(expected), "DECRYPT_MODE of " + n + " bytes");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"AESWrap", "AESKW", "AES_256/KW/NoPadding", "2.16.840.1.101.3.4.1.45",
      "AESWrapPad", "AESKWP", "AES_256/KWP/NoPadding", "2.16.840.1.101.3.4.1.48"})
  void everyAlias_wrapsOnTheToken_asSunJce(String alg) throws Exception {
    ManagedKey kek = handle(importedKek(KEK_V1));
    boolean padded = alg.contains("KWP") || alg.equals("AESWrapPad") || alg.endsWith(".48");
    byte[] key = bytes(32, 3);
    Cipher c = Cipher.getInstance(alg, p);
    c.init(Cipher.WRAP_MODE, kek);
    byte[] expected = sunJce(padded ? "AES/KWP/NoPadding" : "AES/KW/NoPadding", Cipher.WRAP_MODE, KEK_V1)
        .wrap(new SecretKeySpec(key, "AES"));
    assertArrayEquals(expected, c.wrap(new SecretKeySpec(key, "AES")), alg);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2.16.840.1.101.3.4.1.5", "2.16.840.1.101.3.4.1.8", "AES_128/KWP/NoPadding"})
  void oidOfAnotherSize_refusesThe256BitTokenKek(String alg) throws Exception {
    ManagedKey kek = handle(importedKek(KEK_V1));
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> Cipher.getInstance(alg, p).init(Cipher.WRAP_MODE, kek));
    assertTrue(e.getMessage().contains("128-bit"), e.getMessage());
  }

  @Test
  void tamperedWrappedKey_failsTheIntegrityCheck_onTheToken() throws Exception {
    ManagedKey kek = handle(importedKek(KEK_V1));
    for (String alg : new String[] {"AES/KW/NoPadding", "AES/KWP/NoPadding"}) {
      for (int n : new int[] {20, 32}) {
        if (alg.contains("/KW/") && n % 8 != 0) {
          continue;
        }
        byte[] wrapped = sunJce(alg, Cipher.WRAP_MODE, KEK_V1).wrap(new SecretKeySpec(bytes(n, 9), "AES"));
        wrapped[wrapped.length - 1] ^= 1;
        Cipher d = Cipher.getInstance(alg, p);
        d.init(Cipher.DECRYPT_MODE, kek);
        BadPaddingException bad = assertThrows(BadPaddingException.class, () -> d.doFinal(wrapped), alg + " " + n);
        assertEquals("integrity check failed", bad.getMessage());
        Cipher u = Cipher.getInstance(alg, p);
        u.init(Cipher.UNWRAP_MODE, kek);
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
            () -> u.unwrap(wrapped, "AES", Cipher.SECRET_KEY), alg + " " + n);
        assertEquals("integrity check failed", e.getMessage());
      }
    }
  }

  @Test
  void customInitialValue_withATokenKek_isRefusedAtInit() throws Exception {
    ManagedKey kek = handle(importedKek(KEK_V1));
    Cipher c = Cipher.getInstance("AES/KW/NoPadding", p);
    InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
        () -> c.init(Cipher.WRAP_MODE, kek, new IvParameterSpec(new byte[8])));
    assertTrue(e.getMessage().contains("token"), e.getMessage());
    // the default one, given explicitly, is fine
    c.init(Cipher.WRAP_MODE, kek, new IvParameterSpec(new byte[] {
        (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6}));
    assertArrayEquals(sunJce("AES/KW/NoPadding", Cipher.WRAP_MODE, KEK_V1).wrap(new SecretKeySpec(bytes(16, 1), "AES")),
        c.wrap(new SecretKeySpec(bytes(16, 1), "AES")));
  }

  /** setKeyEntry on the name rotates: kek#1 DEPRECATED still unwraps, no longer wraps; the name wraps under #2. */
  @Test
  void rotationBySetKeyEntry_deprecatedVersionStillUnwraps_noLongerWraps() throws Exception {
    String name = importedKek(KEK_V1);
    byte[] dek = bytes(32, 77);
    Cipher w1 = Cipher.getInstance("AES/KWP/NoPadding", p);
    w1.init(Cipher.WRAP_MODE, handle(name));
    byte[] underV1 = w1.wrap(new SecretKeySpec(dek, "AES"));

    ks.setKeyEntry(name, new SecretKeySpec(KEK_V2, "AES"), null, null);
    assertEquals("2", attributes(name).get("clavis.version"));
    assertEquals("DEPRECATED", attributes(name + "#1").get("clavis.status"));

    // the same Cipher, still initialised with the name: its next wrap follows the primary to #2
    byte[] again = w1.wrap(new SecretKeySpec(dek, "AES"));
    assertArrayEquals(sunJce("AES/KWP/NoPadding", Cipher.WRAP_MODE, KEK_V2).wrap(new SecretKeySpec(dek, "AES")), again);

    Cipher u1 = Cipher.getInstance("AES/KWP/NoPadding", p);
    u1.init(Cipher.UNWRAP_MODE, handle(name + "#1"));
    assertArrayEquals(dek, u1.unwrap(underV1, "AES", Cipher.SECRET_KEY).getEncoded(), "kek#1 DEPRECATED still unwraps");

    InvalidKeyException refused = assertThrows(InvalidKeyException.class,
        () -> Cipher.getInstance("AES/KWP/NoPadding", p).init(Cipher.WRAP_MODE, handle(name + "#1")));
    assertTrue(refused.getMessage().contains(name + "#1") && refused.getMessage().contains("DEPRECATED"),
        refused.getMessage());
  }

  private static Map<String, String> attributes(String alias) throws Exception {
    Map<String, String> m = new HashMap<>();
    ks.getEntry(alias, null).getAttributes().forEach(a -> m.put(a.getName(), a.getValue()));
    return m;
  }

  /** The state table, per operation: a revocation after init stops the next wrap and the next unwrap. */
  @Test
  void revokedAfterInit_nextWrapAndUnwrapAreRefused_namingKeyVersionAndState() throws Exception {
    String name = importedKek(KEK_V1);
    ManagedKey kek = handle(name + "#1");
    Cipher w = Cipher.getInstance("AES/KWP/NoPadding", p);
    w.init(Cipher.WRAP_MODE, kek);
    byte[] wrapped = w.wrap(new SecretKeySpec(bytes(24, 2), "AES"));
    Cipher u = Cipher.getInstance("AES/KWP/NoPadding", p);
    u.init(Cipher.UNWRAP_MODE, kek);
    Cipher d = Cipher.getInstance("AES/KWP/NoPadding", p);
    d.init(Cipher.DECRYPT_MODE, kek);
    KeyringEngine engine = ManagedKeys.engine(kek);
    engine.revoke(KeyRef.of(name, 1), "test");

    InvalidKeyException ew = assertThrows(InvalidKeyException.class, () -> w.wrap(new SecretKeySpec(bytes(24, 2), "AES")));
    assertTrue(ew.getMessage().contains(name + "#1") && ew.getMessage().contains("REVOKED"), ew.getMessage());
    InvalidKeyException eu = assertThrows(InvalidKeyException.class, () -> u.unwrap(wrapped, "AES", Cipher.SECRET_KEY));
    assertTrue(eu.getMessage().contains("REVOKED"), eu.getMessage());
    IllegalStateException ed = assertThrows(IllegalStateException.class, () -> d.doFinal(wrapped));
    assertTrue(ed.getMessage().contains("REVOKED"), ed.getMessage());
  }

  @Test
  void suspendedKek_wrapsAndUnwrapsNothing_resumedItDoesAgain() throws Exception {
    String name = importedKek(KEK_V1);
    ManagedKey kek = handle(name);
    Cipher e = Cipher.getInstance("AES/KW/NoPadding", p);
    e.init(Cipher.ENCRYPT_MODE, kek);
    KeyringEngine engine = ManagedKeys.engine(kek);
    engine.suspend(KeyRef.of(name, 1), "test");
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> e.doFinal(bytes(16, 4)));
    assertTrue(refused.getMessage().contains("SUSPENDED"), refused.getMessage());
    assertThrows(InvalidKeyException.class,
        () -> Cipher.getInstance("AES/KW/NoPadding", p).init(Cipher.UNWRAP_MODE, handle(name + "#1")));
    engine.resume(KeyRef.of(name, 1));
    assertArrayEquals(sunJce("AES/KW/NoPadding", Cipher.ENCRYPT_MODE, KEK_V1).doFinal(bytes(16, 4)), e.doFinal(bytes(16, 4)));
  }

  @Test
  void usageLimit_countsEveryWrapOnTheToken() throws Exception {
    String name = importedKek(KEK_V1);
    ManagedKey kek = handle(name);
    KeyringEngine engine = ManagedKeys.engine(kek);
    long before = engine.find(name).orElseThrow().latest().usageCount();
    Cipher w = Cipher.getInstance("AES/KWP/NoPadding", p);
    w.init(Cipher.WRAP_MODE, kek);
    SecretKey dek = new SecretKeySpec(bytes(32, 8), "AES");
    w.wrap(dek);
    w.wrap(dek);
    w.wrap(dek);
    assertEquals(before + 3, engine.find(name).orElseThrow().latest().usageCount(), "three wraps, three uses");
  }

  /**
   * OpenSC's pkcs11-tool, a real process over the same token, lists the KEK's versions: generated
   * ones (the keyring's own rotation) sensitive, always sensitive and never extractable; an imported
   * one (known bytes, for the SunJCE comparison) sensitive and not extractable; the Cipher wrapped
   * with both without their value ever leaving.
   */
  @Test
  void pkcs11Tool_seesTheKekVersionsSensitive_andNeverExtractable() throws Exception {
    String name = importedKek(KEK_V1);
    ManagedKey kek = handle(name);
    KeyringEngine engine = ManagedKeys.engine(kek);
    engine.rotate(name, "test"); // #2 generated on the token
    Cipher w = Cipher.getInstance("AES/KWP/NoPadding", p);
    w.init(Cipher.WRAP_MODE, kek);
    w.wrap(new SecretKeySpec(bytes(32, 1), "AES"));
    // stderr apart: its warnings (CKR_ATTRIBUTE_SENSITIVE for every sensitive value) are unbuffered,
    // and merged into the buffered listing they land inside a block, wherever its 4 KiB flushes fall
    java.nio.file.Path err = java.nio.file.Files.createTempFile("pkcs11-tool", ".err");
    Process tool = new ProcessBuilder("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(), "--token-label",
        SoftHsm.LABEL, "--login", "--pin", SoftHsm.PIN, "--list-objects", "--type", "secrkey")
        .redirectError(err.toFile()).start();
    String out = new String(tool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, tool.waitFor(), out + java.nio.file.Files.readString(err));
    java.nio.file.Files.delete(err);
    String v1 = block(out, name + "#1");
    String v2 = block(out, name + "#2");
    assertTrue(access(v2).contains("sensitive") && access(v2).contains("always sensitive")
        && access(v2).contains("never extractable") && access(v2).contains("local"), v2);
    assertTrue(access(v1).contains("sensitive") && !access(v1).matches(".*(^|, )extractable.*"), v1);
  }

  private static String block(String listing, String label) {
    for (String b : listing.split("(?=Secret Key Object)")) {
      if (b.contains("label:      " + label + "\n") || b.trim().contains("label:      " + label + "\r")
          || b.matches("(?s).*label:\\s+" + java.util.regex.Pattern.quote(label) + "\\s*\n.*")) {
        return b;
      }
    }
    throw new AssertionError("pkcs11-tool lists no secret key labelled " + label + ":\n" + listing);
  }

  private static String access(String block) {
    for (String line : block.split("\n")) {
      if (line.trim().startsWith("Access:")) {
        return line.trim().substring("Access:".length()).trim();
      }
    }
    throw new AssertionError("no Access line in " + block);
  }

  private static long[] sessionKeys(dev.clavis.pkcs11.Pkcs11Token probe) throws Exception {
    dev.clavis.pkcs11.Template t = dev.clavis.pkcs11.Template.builder()
        .ulong(dev.clavis.pkcs11.CKA.CLASS, dev.clavis.pkcs11.CKO.SECRET_KEY)
        .bool(dev.clavis.pkcs11.CKA.TOKEN, false).build();
    long[] h = probe.call(s -> s.findObjects(t));
    java.util.Arrays.sort(h);
    return h;
  }

  /**
   * UNWRAP_MODE with an UnwrapToTokenSpec: the key lands on the token as a session object that is
   * sensitive and not extractable; the handle has no encoding; the object computes as the key
   * (AES-ECB through an independent session equals SunJCE's under the key); destroy removes it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"AES/KW/NoPadding", "AES/KWP/NoPadding"})
  void unwrapToTokenSpec_leavesTheKeyOnTheToken_sensitiveAndNotExtractable(String alg) throws Exception {
    ManagedKey kek = handle(importedKek(KEK_V1));
    byte[] dek = bytes(32, 41);
    byte[] wrapped = sunJce(alg, Cipher.WRAP_MODE, KEK_V1).wrap(new SecretKeySpec(dek, "AES"));
    try (dev.clavis.pkcs11.Pkcs11Token probe = dev.clavis.pkcs11.Pkcs11Token.open(
        dev.clavis.pkcs11.testing.SoftHsmTokens.config(), SoftHsm.PIN.toCharArray())) {
      long[] before = sessionKeys(probe);
      Cipher c = Cipher.getInstance(alg, p);
      c.init(Cipher.UNWRAP_MODE, kek, new dev.clavis.spec.UnwrapToTokenSpec());
      Key k = c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
      assertNull(k.getEncoded(), "the unwrapped key has no encoding: " + k);
      assertNull(k.getFormat());
      assertEquals("AES", k.getAlgorithm());
      long[] after = sessionKeys(probe);
      long[] added = java.util.Arrays.stream(after).filter(h -> java.util.Arrays.binarySearch(before, h) < 0).toArray();
      assertEquals(1, added.length, "one new session key on the token");
      dev.clavis.pkcs11.AttributeValues a = probe.call(s -> s.getAttributes(added[0], dev.clavis.pkcs11.CKA.SENSITIVE,
          dev.clavis.pkcs11.CKA.EXTRACTABLE, dev.clavis.pkcs11.CKA.TOKEN, dev.clavis.pkcs11.CKA.VALUE));
      assertEquals(java.util.Optional.of(true), a.bool(dev.clavis.pkcs11.CKA.SENSITIVE), "sensitive");
      assertEquals(java.util.Optional.of(false), a.bool(dev.clavis.pkcs11.CKA.EXTRACTABLE), "not extractable");
      assertEquals(java.util.Optional.of(false), a.bool(dev.clavis.pkcs11.CKA.TOKEN), "a session object");
      assertTrue(a.bytes(dev.clavis.pkcs11.CKA.VALUE).isEmpty(), "its value is not readable");
      byte[] block = bytes(16, 5);
      byte[] onToken = probe.call(s -> s.encrypt(dev.clavis.pkcs11.Mechanism.of(dev.clavis.pkcs11.CKM.AES_ECB),
          added[0], block));
      Cipher jdk = Cipher.getInstance("AES/ECB/NoPadding", "SunJCE");
      jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dek, "AES"));
      assertArrayEquals(jdk.doFinal(block), onToken, "the token key is the wrapped key");
      ((javax.security.auth.Destroyable) k).destroy();
      assertArrayEquals(before, sessionKeys(probe), "destroy removes it from the token");

      byte[] bad = wrapped.clone();
      bad[9] ^= 1;
      Cipher c2 = Cipher.getInstance(alg, p);
      c2.init(Cipher.UNWRAP_MODE, kek, new dev.clavis.spec.UnwrapToTokenSpec());
      InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> c2.unwrap(bad, "AES", Cipher.SECRET_KEY));
      assertEquals("integrity check failed", e.getMessage());
      assertArrayEquals(before, sessionKeys(probe), "a failed unwrap leaves nothing on the token");
    }
  }

  @Test
  void unwrapToTokenSpec_outsideUnwrapModeOrWithAKeyInMemory_isRefused() throws Exception {
    ManagedKey kek = handle(importedKek(KEK_V1));
    assertThrows(InvalidAlgorithmParameterException.class, () -> Cipher.getInstance("AES/KWP/NoPadding", p)
        .init(Cipher.WRAP_MODE, kek, new dev.clavis.spec.UnwrapToTokenSpec()));
    InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
        () -> Cipher.getInstance("AES/KWP/NoPadding", p).init(Cipher.UNWRAP_MODE, new SecretKeySpec(KEK_V1, "AES"),
            new dev.clavis.spec.UnwrapToTokenSpec()));
    assertTrue(e.getMessage().contains("token"), e.getMessage());
  }
}
