package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Managed GCM and HMAC reached through plain getInstance, with Clavis added LAST. */
class ManagedGcmCipherTest {

  static final byte[] PT = "the quick brown fox".getBytes();
  KeyringEngine ring;

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

  @Test
  void plainGetInstance_withManagedHandle_selectsClavis_andRoundTrips() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, h);
    assertEquals("Clavis", enc.getProvider().getName());
    byte[] iv = enc.getIV();
    assertEquals(12, iv.length);
    assertArrayEquals(iv, enc.getParameters().getParameterSpec(GCMParameterSpec.class).getIV());
    enc.updateAAD("aad".getBytes());
    byte[] ct = enc.doFinal(PT);
    assertEquals(PT.length + 16, ct.length);
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, iv));
    dec.updateAAD("aad".getBytes());
    assertArrayEquals(PT, dec.doFinal(ct));
    // the same transformation still reaches SunJCE for plain keys
    Cipher plain = Cipher.getInstance("AES/GCM/NoPadding");
    plain.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"));
    assertNotEquals("Clavis", plain.getProvider().getName());
  }

  @Test
  void interopWithSunJce_exportableKeyDecryptsOnSunJce() throws Exception {
    ring.create("x", KeyAlgorithm.AES_128, KeyPolicy.builder().exportable(true).build());
    ManagedKey h = ring.handle(KeyRef.of("x"));
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, h);
    byte[] ct = enc.doFinal(PT);
    Cipher sun = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    sun.init(Cipher.DECRYPT_MODE, new SecretKeySpec(h.getEncoded(), "AES"), new GCMParameterSpec(128, enc.getIV()));
    assertArrayEquals(PT, sun.doFinal(ct));
  }

  @Test
  void encrypt_callerIv_isRefused_namingTheKeyAndWhy_andCountsNoUse() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    GCMParameterSpec spec = new GCMParameterSpec(128, new byte[12]);
    for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.WRAP_MODE}) {
      // a fresh Cipher per attempt: JCA's delayed provider selection gives up after one failed init
      InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
          () -> Cipher.getInstance("AES/GCM/NoPadding").init(mode, h, spec));
      assertTrue(e.getMessage().contains("Clavis draws the IV for managed key k") && e.getMessage().contains("getIV()"),
          e.getMessage());
      java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("GCM");
      p.init(spec);
      assertThrows(InvalidAlgorithmParameterException.class,
          () -> Cipher.getInstance("AES/GCM/NoPadding").init(mode, h, p));
    }
    assertEquals(0, ring.find("k").orElseThrow().version(1).orElseThrow().usageCount());
  }

  @Test
  void encrypt_oneEncryptionPerInit_andEveryInitDrawsANewIv() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, h);
    byte[] first = c.getIV();
    c.doFinal(PT);
    assertThrows(IllegalStateException.class, () -> c.doFinal(PT));
    c.init(Cipher.ENCRYPT_MODE, h);
    assertFalse(java.util.Arrays.equals(first, c.getIV()));
  }

  @Test
  void encrypt_callerSecureRandom_doesNotChooseTheIv() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    // a "random" source that always returns zeros: with SunJCE it would pick the IV
    java.security.SecureRandom zeros = new java.security.SecureRandom() {
      @Override
      public void nextBytes(byte[] b) {
        java.util.Arrays.fill(b, (byte) 0);
      }
    };
    Cipher a = Cipher.getInstance("AES/GCM/NoPadding", "Clavis");
    a.init(Cipher.ENCRYPT_MODE, h, zeros);
    Cipher b = Cipher.getInstance("AES/GCM/NoPadding", "Clavis");
    b.init(Cipher.ENCRYPT_MODE, h, zeros);
    assertFalse(java.util.Arrays.equals(a.getIV(), b.getIV()), "a caller's SecureRandom chose the IV");
    assertFalse(java.util.Arrays.equals(new byte[12], a.getIV()));
  }

  @Test
  void encrypt_usageLimit3_allowsExactlyThreeEncryptions() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(3).autoRotate(false).build());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    for (int i = 0; i < 3; i++) {
      c.init(Cipher.ENCRYPT_MODE, h);
      c.doFinal(PT);
    }
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, h));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("usage limit of 3"), e.getMessage());
  }

  @Test
  void encrypt_revokedBetweenInitAndDoFinal_finishesNoEncryption() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("k")));
    ring.revoke(KeyRef.of("k", 1), "test");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.doFinal(PT));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("REVOKED"), e.getMessage());
    assertInstanceOf(InvalidKeyException.class, e.getCause());
  }

  @Test
  void decrypt_cipherKeptInDecryptMode_stopsOnceTheVersionIsRevoked() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k", 1));
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, h);
    byte[] ct = enc.doFinal(PT);
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, enc.getIV()));
    assertArrayEquals(PT, dec.doFinal(ct));
    ring.revoke(KeyRef.of("k", 1), "test");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> dec.doFinal(ct));
    assertTrue(e.getMessage().contains("k#1") && e.getMessage().contains("REVOKED"), e.getMessage());
  }

  @Test
  void decrypt_nameHandle_dataOfARevokedVersion_failsNamingTheVersionAndState() throws Exception {
    ring.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey name = ring.handle(KeyRef.of("pay"));
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, name);
    byte[] ct = enc.doFinal(PT);
    ring.rotate("pay", null);
    ring.revoke(KeyRef.of("pay", 1), "test");
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, name, new GCMParameterSpec(128, enc.getIV()));
    AEADBadTagException e = assertThrows(AEADBadTagException.class, () -> dec.doFinal(ct));
    assertTrue(e.getMessage().contains("no usable version of key pay") && e.getMessage().contains("pay#1 REVOKED"),
        e.getMessage());
    Cipher unwrap = Cipher.getInstance("AES/GCM/NoPadding");
    unwrap.init(Cipher.UNWRAP_MODE, name, new GCMParameterSpec(128, enc.getIV()));
    InvalidKeyException u = assertThrows(InvalidKeyException.class, () -> unwrap.unwrap(ct, "AES", Cipher.SECRET_KEY));
    assertTrue(u.getMessage().contains("pay#1 REVOKED"), u.getMessage());
    // every version refused: the refusal at init lists them all
    ring.suspend(KeyRef.of("pay", 2), "test");
    InvalidKeyException all = assertThrows(InvalidKeyException.class,
        () -> Cipher.getInstance("AES/GCM/NoPadding").init(Cipher.DECRYPT_MODE, name, new GCMParameterSpec(128, enc.getIV())));
    assertTrue(all.getMessage().contains("pay#1 REVOKED") && all.getMessage().contains("pay#2 SUSPENDED"),
        all.getMessage());
  }

  @Test
  void decrypt_nameHandle_tamperedData_keepsTheFixedIntegrityMessage() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, h);
    byte[] ct = enc.doFinal(PT);
    ct[0] ^= 1;
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, enc.getIV()));
    assertEquals("Tag mismatch", assertThrows(AEADBadTagException.class, () -> dec.doFinal(ct)).getMessage());
  }

  @Test
  void decrypt_withoutParameters_isRefused() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "Clavis");
    assertThrows(InvalidKeyException.class, () -> c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k"))));
  }

  @Test
  void decrypt_emptyIv_throwsInvalidAlgorithmParameterAtInit() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding", "Clavis");
    InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
        () -> dec.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k")), new GCMParameterSpec(128, new byte[0])));
    assertEquals("the GCM IV must not be empty", e.getMessage());
  }

  @Test
  void nameHandle_decryptsDataOfOlderVersions_versionHandleOnlyItsOwn() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    enc.init(Cipher.ENCRYPT_MODE, h);
    byte[] ct = enc.doFinal(PT);
    byte[] iv = enc.getIV();
    for (int i = 0; i < 3; i++) {
      ring.rotate("k", null);
    }
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    dec.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, iv));
    assertArrayEquals(PT, dec.doFinal(ct));
    Cipher v1 = Cipher.getInstance("AES/GCM/NoPadding");
    v1.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k", 1)), new GCMParameterSpec(128, iv));
    assertArrayEquals(PT, v1.doFinal(ct));
    Cipher v2 = Cipher.getInstance("AES/GCM/NoPadding");
    v2.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("k", 2)), new GCMParameterSpec(128, iv));
    assertThrows(AEADBadTagException.class, () -> v2.doFinal(ct));
  }

  /** The contract's state table: for each state, may the version encrypt, may it decrypt. */
  static Stream<Arguments> stateTable() {
    return Stream.of(
        Arguments.of(KeyState.ACTIVE, true, true),
        Arguments.of(KeyState.ROTATING, true, true),
        Arguments.of(KeyState.PRE_ACTIVE, false, true),
        Arguments.of(KeyState.DEPRECATED, false, true),
        Arguments.of(KeyState.SUSPENDED, false, false),
        Arguments.of(KeyState.REVOKED, false, false),
        Arguments.of(KeyState.COMPROMISED, false, false),
        Arguments.of(KeyState.PENDING_DESTRUCTION, false, false),
        Arguments.of(KeyState.DESTROYED, false, false));
  }

  /** Drives version 1 (or 2 for PRE_ACTIVE) of key "t" into the state; returns that version. */
  private int driveTo(KeyState s) {
    ring.create("t", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
    KeyRef v1 = KeyRef.of("t", 1);
    switch (s) {
      case ACTIVE -> { }
      case ROTATING -> ring.beginRotation("t");
      case PRE_ACTIVE -> {
        ring.beginRotation("t");
        return 2;
      }
      case DEPRECATED -> ring.rotate("t", null);
      case SUSPENDED -> ring.suspend(v1, "test");
      case REVOKED -> ring.revoke(v1, "test");
      case COMPROMISED -> ring.markCompromised(v1, "test");
      case PENDING_DESTRUCTION -> ring.scheduleDestruction(v1, Duration.ofDays(1), true); // below the 7-day minimum
      case DESTROYED -> ring.destroyNow(v1, true); // the primary may still encrypt: only forced
    }
    assertEquals(s, ring.find("t").orElseThrow().version(1).orElseThrow().state());
    return 1;
  }

  @ParameterizedTest(name = "{0}: encrypt={1} decrypt={2}")
  @MethodSource("stateTable")
  void stateTable_throughPlainCipherGetInstance(KeyState state, boolean encrypts, boolean decrypts) throws Exception {
    // a ciphertext under the version, made with its raw material on SunJCE before the transition
    ring.create("seed", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    int v = driveTo(state);
    KeyRef ref = KeyRef.of("t", v);
    ManagedKey h = ring.handle(ref);
    byte[] iv = new byte[12];
    iv[0] = 7;
    byte[] ct = null;
    if (state != KeyState.DESTROYED && decrypts) {
      Cipher sun = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
      sun.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ring.exportKey(ref), "AES"), new GCMParameterSpec(128, iv));
      ct = sun.doFinal(PT);
    }
    Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
    if (encrypts) {
      enc.init(Cipher.ENCRYPT_MODE, h);
      assertEquals(PT.length + 16, enc.doFinal(PT).length, state.name());
    } else {
      InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> enc.init(Cipher.ENCRYPT_MODE, h));
      assertMessageNames(e, ref, state);
    }
    Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
    if (decrypts) {
      dec.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, iv));
      assertArrayEquals(PT, dec.doFinal(ct), state.name());
    } else {
      InvalidKeyException e = assertThrows(InvalidKeyException.class,
          () -> dec.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, iv)));
      assertMessageNames(e, ref, state);
    }
  }

  private static void assertMessageNames(Exception e, KeyRef ref, KeyState state) {
    String m = e.getMessage();
    assertTrue(m.contains(ref.toString()) && m.contains(state.name()), "message must name key, version, state: " + m);
  }

  @Test
  void stateChange_takesEffectAtOnceInExistingHandles() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, h);
    ring.suspend(KeyRef.of("k"), null);
    assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, h));
    ring.resume(KeyRef.of("k"));
    c.init(Cipher.ENCRYPT_MODE, h);
    ring.rotate("k", null);
    c.init(Cipher.ENCRYPT_MODE, h);
    assertEquals(1, ring.find("k").orElseThrow().version(2).orElseThrow().usageCount());
  }

  @Test
  void plainKey_isRefusedByClavisExplicitly() throws Exception {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "Clavis");
    assertThrows(InvalidKeyException.class, () -> c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES")));
  }

  @Test
  void mac_managedHmac_matchesSunJce_andEnforcesState() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.builder().exportable(true).build());
    ManagedKey h = ring.handle(KeyRef.of("m"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(h);
    assertEquals("Clavis", mac.getProvider().getName());
    byte[] tag = mac.doFinal(PT);
    Mac sun = Mac.getInstance("HmacSHA256", "SunJCE");
    sun.init(new SecretKeySpec(h.getEncoded(), "HmacSHA256"));
    assertArrayEquals(sun.doFinal(PT), tag);
    ring.rotate("m", null);
    Mac old = Mac.getInstance("HmacSHA256");
    old.init(ring.handle(KeyRef.of("m", 1))); // DEPRECATED: verification of old tags still works
    assertArrayEquals(tag, old.doFinal(PT));
    ring.revoke(KeyRef.of("m", 1), null);
    InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> Mac.getInstance("HmacSHA256")
        .init(ring.handle(KeyRef.of("m", 1))));
    assertTrue(e.getMessage().contains("m#1") && e.getMessage().contains("REVOKED"), e.getMessage());
  }

  @Test
  void handle_isNotSerializable_andToStringHasNoMaterial() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
    ManagedKey h = ring.handle(KeyRef.of("k"));
    assertNull(h.getFormat());
    assertTrue(h.toString().contains("k"));
    java.io.ObjectOutputStream oos = new java.io.ObjectOutputStream(new java.io.ByteArrayOutputStream());
    assertThrows(java.io.NotSerializableException.class, () -> oos.writeObject(h));
    h.destroy();
    assertTrue(h.isDestroyed());
    assertThrows(InvalidKeyException.class, () -> Cipher.getInstance("AES/GCM/NoPadding").init(Cipher.ENCRYPT_MODE, h));
  }
}
