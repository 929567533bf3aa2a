package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import java.io.ByteArrayOutputStream;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Managed AES/CBC/PKCS5Padding, AES/CTR/NoPadding, HmacSHA384 and HmacSHA512 for keys migrated
 * from PKCS12/JCEKS: SunJCE-compatible output on random inputs, decryption by the state table,
 * encryption only under the policy switch, lifecycle per operation.
 */
class ManagedBlockModeCipherTest {

  static final String CBC = "AES/CBC/PKCS5Padding";
  static final String CTR = "AES/CTR/NoPadding";
  KeyringEngine ring;
  final Random random = new Random(0x5eedL); // inputs only; the keys come from SecureRandom

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)), Clock.systemUTC(),
        Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private byte[] importAes(String name, int bytes, KeyPolicy policy) {
    byte[] raw = new byte[bytes];
    new java.security.SecureRandom().nextBytes(raw);
    ring.importKey(name, bytes == 16 ? KeyAlgorithm.AES_128 : bytes == 24 ? KeyAlgorithm.AES_192 : KeyAlgorithm.AES_256,
        raw, policy);
    return raw;
  }

  private static byte[] sunjce(String t, int mode, byte[] raw, byte[] iv, byte[] in) throws Exception {
    Cipher c = Cipher.getInstance(t, "SunJCE");
    c.init(mode, new SecretKeySpec(raw, "AES"), new IvParameterSpec(iv));
    return c.doFinal(in);
  }

  /** Feeds {@code in} to {@code c} in random pieces through update, then doFinal. */
  private byte[] inPieces(Cipher c, byte[] in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < in.length) {
      int n = Math.min(in.length - i, random.nextInt(40));
      byte[] part = c.update(in, i, n);
      if (part != null) {
        out.write(part);
      }
      i += n;
    }
    out.write(c.doFinal());
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {CBC, CTR})
  void decrypt_ofSunJceCiphertext_onRandomInputs_givesThePlaintext(String t) throws Exception {
    for (int size : new int[] {16, 24, 32}) {
      String name = "legacy" + size;
      byte[] raw = importAes(name, size, KeyPolicy.defaults());
      for (int trial = 0; trial < 40; trial++) {
        byte[] pt = new byte[random.nextInt(200)];
        random.nextBytes(pt);
        byte[] iv = new byte[16];
        random.nextBytes(iv);
        byte[] ct = sunjce(t, Cipher.ENCRYPT_MODE, raw, iv, pt);
        Cipher c = Cipher.getInstance(t);
        c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of(name)), new IvParameterSpec(iv));
        assertEquals("Clavis", c.getProvider().getName());
        assertArrayEquals(pt, inPieces(c, ct), t + " size " + size + " trial " + trial);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {CBC, CTR})
  void encrypt_whenThePolicyAllows_isReadBySunJce(String t) throws Exception {
    byte[] raw = importAes("w", 32, KeyPolicy.builder().legacyEncryption(true).build());
    for (int trial = 0; trial < 40; trial++) {
      byte[] pt = new byte[random.nextInt(200)];
      random.nextBytes(pt);
      Cipher c = Cipher.getInstance(t);
      c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("w")));
      byte[] ct = inPieces(c, pt);
      assertArrayEquals(pt, sunjce(t, Cipher.DECRYPT_MODE, raw, c.getIV(), ct), t + " trial " + trial);
    }
    assertEquals(40, ring.find("w").orElseThrow().version(1).orElseThrow().usageCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {CBC, CTR})
  void encrypt_byDefaultPolicy_isRefusedNamingTheKeyAndTheSwitch(String t) throws Exception {
    importAes("d", 16, KeyPolicy.defaults());
    Cipher c = Cipher.getInstance(t, "Clavis");
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("d"))));
    assertTrue(e.getMessage().contains("d") && e.getMessage().contains("legacyEncryption"), e.getMessage());
    assertEquals(0, ring.find("d").orElseThrow().version(1).orElseThrow().usageCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {CBC, CTR})
  void encrypt_callersIv_isRefused(String t) throws Exception {
    importAes("w", 16, KeyPolicy.builder().legacyEncryption(true).build());
    Cipher c = Cipher.getInstance(t, "Clavis");
    assertThrows(InvalidAlgorithmParameterException.class,
        () -> c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("w")), new IvParameterSpec(new byte[16])));
  }

  @Test
  void encrypt_drawsAFreshIvPerInit_andOneEncryptionPerInit() throws Exception {
    importAes("w", 16, KeyPolicy.builder().legacyEncryption(true).build());
    Cipher c = Cipher.getInstance(CTR, "Clavis");
    c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("w")));
    byte[] iv1 = c.getIV();
    c.doFinal(new byte[5]);
    assertThrows(IllegalStateException.class, () -> c.doFinal(new byte[5]));
    c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("w")));
    assertFalse(java.util.Arrays.equals(iv1, c.getIV()));
  }

  @ParameterizedTest
  @ValueSource(strings = {CBC, CTR})
  void decrypt_deprecatedVersion_works_revokedVersion_isRefusedNamingTheState(String t) throws Exception {
    byte[] raw = importAes("k", 16, KeyPolicy.defaults());
    byte[] iv = new byte[16];
    byte[] ct = sunjce(t, Cipher.ENCRYPT_MODE, raw, iv, "old data".getBytes());
    ring.rotate("k", "test");
    Cipher c = Cipher.getInstance(t);
    c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k", 1)), new IvParameterSpec(iv));
    assertArrayEquals("old data".getBytes(), c.doFinal(ct));
    ring.revoke(KeyRef.of("k", 1), "test");
    // the same Cipher, next operation: refused per operation, not only at init
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.doFinal(ct));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("REVOKED"), e.getMessage());
    assertInstanceOf(InvalidKeyException.class, e.getCause());
    Cipher d = Cipher.getInstance(t, "Clavis");
    InvalidKeyException ike = assertThrows(InvalidKeyException.class,
        () -> d.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k", 1)), new IvParameterSpec(iv)));
    assertTrue(ike.getMessage().contains("REVOKED"), ike.getMessage());
  }

  @Test
  void decrypt_suspendedBetweenUpdateAndDoFinal_releasesNoFinalBlock() throws Exception {
    byte[] raw = importAes("k", 16, KeyPolicy.defaults());
    byte[] iv = new byte[16];
    byte[] ct = sunjce(CBC, Cipher.ENCRYPT_MODE, raw, iv, new byte[40]);
    Cipher c = Cipher.getInstance(CBC);
    c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k")), new IvParameterSpec(iv));
    c.update(ct, 0, 16);
    ring.suspend(KeyRef.of("k", 1), "test");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.doFinal(ct, 16, ct.length - 16));
    assertTrue(e.getMessage().contains("SUSPENDED"), e.getMessage());
  }

  @Test
  void decrypt_isCountedAndAudited_whenDecryptionsAreAudited_beforeAnyPlaintextLeaves() throws Exception {
    ring.close();
    ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)), Clock.systemUTC(),
        Duration.ZERO, dev.clavis.keyring.AuditOptions.defaults().auditDecrypts(true));
    byte[] raw = importAes("k", 16, KeyPolicy.defaults());
    byte[] iv = new byte[16];
    for (String t : new String[] {CBC, CTR}) {
      byte[] ct = sunjce(t, Cipher.ENCRYPT_MODE, raw, iv, new byte[40]);
      Cipher c = Cipher.getInstance(t);
      c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k")), new IvParameterSpec(iv));
      c.update(ct, 0, 32); // CBC and CTR release plaintext here already
      c.doFinal(ct, 32, ct.length - 32);
    }
    long decrypts = ring.auditLog().events().stream().filter(e -> e.action().equals("decrypt")).count();
    assertEquals(2, decrypts, "one decrypt record per CBC and CTR message");
  }

  @Test
  void encrypt_revokedBetweenInitAndDoFinal_givesNoCiphertext() throws Exception {
    importAes("w", 16, KeyPolicy.builder().legacyEncryption(true).build());
    Cipher c = Cipher.getInstance(CBC);
    c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("w")));
    ring.revoke(KeyRef.of("w", 1), "test");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.doFinal(new byte[3]));
    assertTrue(e.getMessage().contains("w#1") && e.getMessage().contains("REVOKED"), e.getMessage());
  }

  @Test
  void decrypt_byNameWithTwoDecryptableVersions_isRefusedAskingForTheVersion() throws Exception {
    importAes("k", 16, KeyPolicy.defaults());
    ring.rotate("k", "test");
    Cipher c = Cipher.getInstance(CBC, "Clavis");
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k")), new IvParameterSpec(new byte[16])));
    assertTrue(e.getMessage().contains("k#N") && e.getMessage().contains("k#1"), e.getMessage());
  }

  @Test
  void decrypt_badPadding_isBadPaddingException() throws Exception {
    byte[] raw = importAes("k", 16, KeyPolicy.defaults());
    byte[] ct = sunjce(CBC, Cipher.ENCRYPT_MODE, raw, new byte[16], new byte[16]);
    ct[ct.length - 1] ^= 1; // the padding block no longer decrypts to valid padding (with overwhelming odds)
    Cipher c = Cipher.getInstance(CBC);
    c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k")), new IvParameterSpec(new byte[16]));
    assertThrows(javax.crypto.BadPaddingException.class, () -> c.doFinal(ct));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HmacSHA384", "HmacSHA512"})
  void hmac384and512_ofMigratedKey_equalSunJce_onRandomInputs(String alg) throws Exception {
    KeyAlgorithm ka = alg.equals("HmacSHA384") ? KeyAlgorithm.HMAC_SHA384 : KeyAlgorithm.HMAC_SHA512;
    byte[] raw = new byte[ka.bits() / 8];
    new java.security.SecureRandom().nextBytes(raw);
    ring.importKey("h", ka, raw, KeyPolicy.defaults());
    Mac ours = Mac.getInstance(alg);
    ours.init(ring.handle(KeyRef.of("h")));
    assertEquals("Clavis", ours.getProvider().getName());
    Mac theirs = Mac.getInstance(alg, "SunJCE");
    theirs.init(new SecretKeySpec(raw, alg));
    for (int trial = 0; trial < 30; trial++) {
      byte[] in = new byte[random.nextInt(300)];
      random.nextBytes(in);
      assertArrayEquals(theirs.doFinal(in), ours.doFinal(in), alg + " trial " + trial);
    }
    assertEquals(ka.bits() / 8, ours.getMacLength());
    ring.revoke(KeyRef.of("h", 1), "test");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ours.doFinal(new byte[1]));
    assertTrue(e.getMessage().contains("h#1") && e.getMessage().contains("REVOKED"), e.getMessage());
  }

  @Test
  void hmac384_withAnHmacSha256Key_isRefused() throws Exception {
    ring.create("h", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    Mac m = Mac.getInstance("HmacSHA384", "Clavis");
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> m.init(ring.handle(KeyRef.of("h"))));
    assertTrue(e.getMessage().contains("HMAC_SHA256"), e.getMessage());
  }

  @Test
  void hmacSha512Key_generated_macsAndSurvivesReopen() throws Exception {
    ring.create("g", KeyAlgorithm.HMAC_SHA512, KeyPolicy.builder().legacyEncryption(true).build());
    Mac m = Mac.getInstance("HmacSHA512");
    m.init(ring.handle(KeyRef.of("g")));
    assertEquals(64, m.doFinal(new byte[3]).length);
    assertTrue(ring.find("g").orElseThrow().policy().legacyEncryption());
  }
}
