package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.Argon2KeySpec;
import java.security.InvalidAlgorithmParameterException;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK 25 {@code javax.crypto.KDF} services, run by failsafe against the multi-release jar
 * (where META-INF/versions/25 applies): HKDF-SHA256 from a managed key equals the JDK's own HKDF
 * over the same material, the master's lifecycle holds per derivation, and Argon2id takes an
 * {@link Argon2KeySpec} (RFC 9106 §5.3 vector).
 */
class KdfJdk25IT {

  static final HexFormat HEX = HexFormat.of();
  KeyringEngine ring;

  @BeforeAll
  static void addClavis() {
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
  void providerOnJdk25_offersTheKdfServices_fromTheVersionedClasses() {
    Provider p = Security.getProvider("Clavis");
    assertNotNull(p.getService("KDF", "HKDF-SHA256"), "META-INF/versions/25 KdfServices was not loaded");
    assertNotNull(p.getService("KDF", "HKDF-SHA512"));
    assertNotNull(p.getService("KDF", "Argon2id"));
  }

  @Test
  void hkdfSha256_fromAManagedKey_equalsTheJdksHkdfOverItsMaterial_onRandomInputs() throws Exception {
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    ring.importKey("master", KeyAlgorithm.AES_256, raw, KeyPolicy.defaults());
    ManagedKey master = ring.handle(KeyRef.of("master"));
    Random r = new Random(25);
    for (int trial = 0; trial < 20; trial++) {
      byte[] salt = new byte[1 + r.nextInt(64)];
      byte[] info = new byte[r.nextInt(64)];
      r.nextBytes(salt);
      r.nextBytes(info);
      int len = 1 + r.nextInt(200);
      SecretKey ours = KDF.getInstance("HKDF-SHA256", "Clavis").deriveKey("AES",
          HKDFParameterSpec.ofExtract().addIKM(master).addSalt(salt).thenExpand(info, len));
      byte[] theirs = KDF.getInstance("HKDF-SHA256", "SunJCE").deriveData(
          HKDFParameterSpec.ofExtract().addIKM(new SecretKeySpec(raw, "AES")).addSalt(salt).thenExpand(info, len));
      assertArrayEquals(theirs, ours.getEncoded(), "trial " + trial);
    }
    assertNull(master.getEncoded(), "the master is never exported");
    assertEquals(20, ring.find("master").orElseThrow().version(1).orElseThrow().usageCount());
  }

  @Test
  void hkdf_extractThenExpandInTwoSteps_equalsOneStep() throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    ManagedKey master = ring.handle(KeyRef.of("m"));
    byte[] salt = "salt".getBytes();
    KDF kdf = KDF.getInstance("HKDF-SHA512", "Clavis");
    SecretKey prk = kdf.deriveKey("HKDF-PRK", HKDFParameterSpec.ofExtract().addIKM(master).addSalt(salt).extractOnly());
    assertEquals(64, prk.getEncoded().length);
    byte[] twoSteps = kdf.deriveData(HKDFParameterSpec.expandOnly(prk, "ctx".getBytes(), 50));
    byte[] oneStep = kdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(master).addSalt(salt).thenExpand("ctx".getBytes(), 50));
    assertArrayEquals(oneStep, twoSteps);
  }

  @Test
  void hkdf_revokedMaster_isRefusedNamingKeyVersionAndState() throws Exception {
    ring.create("m", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey master = ring.handle(KeyRef.of("m", 1));
    ring.revoke(KeyRef.of("m", 1), "test");
    InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
        () -> KDF.getInstance("HKDF-SHA256", "Clavis").deriveData(
            HKDFParameterSpec.ofExtract().addIKM(master).thenExpand(new byte[0], 32)));
    // javax.crypto.KDF wraps the provider's refusal ("... does not support this input"): ours is the cause
    String why = e.getMessage() + " / " + (e.getCause() == null ? "" : e.getCause().getMessage());
    assertTrue(why.contains("m#1") && why.contains("REVOKED"), why);
  }

  @Test
  void hkdf_managedKeyWithOtherIkms_isRefused() throws Exception {
    ring.create("m", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    assertThrows(InvalidAlgorithmParameterException.class,
        () -> KDF.getInstance("HKDF-SHA256", "Clavis").deriveData(HKDFParameterSpec.ofExtract()
            .addIKM(ring.handle(KeyRef.of("m"))).addIKM(new SecretKeySpec(new byte[8], "RAW")).thenExpand(new byte[0], 32)));
  }

  @Test
  void hkdf_withoutNamingTheProvider_reachesClavisForAManagedKey() throws Exception {
    byte[] raw = new byte[32];
    new java.security.SecureRandom().nextBytes(raw);
    ring.importKey("m", KeyAlgorithm.AES_256, raw, KeyPolicy.defaults());
    KDF kdf = KDF.getInstance("HKDF-SHA256");
    byte[] ours = kdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(ring.handle(KeyRef.of("m"))).thenExpand(new byte[0], 32));
    assertEquals("Clavis", kdf.getProviderName(), "delayed provider selection skips SunJCE for a handle without encoding");
    byte[] theirs = KDF.getInstance("HKDF-SHA256", "SunJCE").deriveData(
        HKDFParameterSpec.ofExtract().addIKM(new SecretKeySpec(raw, "AES")).thenExpand(new byte[0], 32));
    assertArrayEquals(theirs, ours);
  }

  @Test
  void argon2idKdf_rfc9106Vector() throws Exception {
    byte[] password = new byte[32];
    Arrays.fill(password, (byte) 1);
    byte[] salt = new byte[16];
    Arrays.fill(salt, (byte) 2);
    byte[] secret = new byte[8];
    Arrays.fill(secret, (byte) 3);
    byte[] ad = new byte[12];
    Arrays.fill(ad, (byte) 4);
    Argon2KeySpec spec = Argon2KeySpec.builder(password, salt).iterations(3).memoryKiB(32).parallelism(4)
        .keyLengthBits(256).secret(secret).associatedData(ad).build();
    byte[] tag = KDF.getInstance("Argon2id").deriveData(spec);
    assertEquals("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", HEX.formatHex(tag));
    SecretKey k = KDF.getInstance("Argon2id", "Clavis").deriveKey("AES", spec);
    assertEquals("AES", k.getAlgorithm());
    assertArrayEquals(tag, k.getEncoded());
  }

  @Test
  void argon2idKdf_badParameters_areInvalidAlgorithmParameter() throws Exception {
    Argon2KeySpec shortSalt = new Argon2KeySpec("pw".toCharArray(), new byte[4], 1, 64, 1, 256);
    assertThrows(InvalidAlgorithmParameterException.class, () -> KDF.getInstance("Argon2id", "Clavis").deriveData(shortSalt));
    assertThrows(InvalidAlgorithmParameterException.class, () -> KDF.getInstance("Argon2id", "Clavis")
        .deriveData(HKDFParameterSpec.ofExtract().extractOnly()));
  }
}
