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
import dev.clavis.spec.HkdfKeySpec;
import java.security.InvalidKeyException;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code SecretKeyFactory} {@code HKDF-SHA256}/{@code HKDF-SHA512} from managed keys: the output
 * equals HKDF over the master's material (RFC 5869 A.1 and Bouncy Castle on random inputs), the
 * master is never exported, and its lifecycle holds per derivation.
 */
class HkdfSecretKeyFactoryTest {

  static final HexFormat HEX = HexFormat.of();
  KeyringEngine ring;
  final Random random = new Random(5869);

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

  private static byte[] derive(String alg, java.security.Key ikm, byte[] salt, byte[] info, int len) throws Exception {
    SecretKey k = SecretKeyFactory.getInstance(alg, "Clavis")
        .generateSecret(HkdfKeySpec.builder(ikm, len).salt(salt).info(info).keyAlgorithm("AES").build());
    assertEquals("AES", k.getAlgorithm());
    return k.getEncoded();
  }

  private static byte[] bouncy(boolean sha256, byte[] ikm, byte[] salt, byte[] info, int len) {
    HKDFBytesGenerator g = new HKDFBytesGenerator(sha256 ? new SHA256Digest() : new SHA512Digest());
    g.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[len];
    g.generateBytes(out, 0, len);
    return out;
  }

  @Test
  void rfc5869A1_fromAManagedSecret_givesTheVectorsOkm() throws Exception {
    byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    ring.importKey("ikm", KeyAlgorithm.SECRET, ikm, KeyPolicy.defaults());
    byte[] okm = derive("HKDF-SHA256", ring.handle(KeyRef.of("ikm")), HEX.parseHex("000102030405060708090a0b0c"),
        HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", HEX.formatHex(okm));
  }

  @Test
  void managedAesAndHmacMasters_equalBouncyCastle_onRandomInputs_andStayUnexported() throws Exception {
    for (KeyAlgorithm alg : new KeyAlgorithm[] {KeyAlgorithm.AES_256, KeyAlgorithm.HMAC_SHA512}) {
      byte[] raw = new byte[alg.bits() / 8];
      new java.security.SecureRandom().nextBytes(raw);
      String name = "m-" + alg.name().toLowerCase();
      ring.importKey(name, alg, raw, KeyPolicy.defaults());
      ManagedKey master = ring.handle(KeyRef.of(name));
      for (int trial = 0; trial < 20; trial++) {
        byte[] salt = new byte[random.nextInt(80)];
        byte[] info = new byte[random.nextInt(80)];
        random.nextBytes(salt);
        random.nextBytes(info);
        int len = 1 + random.nextInt(300);
        assertArrayEquals(bouncy(true, raw, salt, info, len), derive("HKDF-SHA256", master, salt, info, len),
            alg + " SHA256 trial " + trial);
        assertArrayEquals(bouncy(false, raw, salt, info, len), derive("HKDF-SHA512", master, salt, info, len),
            alg + " SHA512 trial " + trial);
      }
      assertNull(master.getEncoded(), "deriving never exports the master");
      assertEquals(40, ring.find(name).orElseThrow().version(1).orElseThrow().usageCount(), "one use per derivation");
    }
  }

  @Test
  void rawKey_derivesAsRfc5869_too() throws Exception {
    byte[] ikm = new byte[22];
    random.nextBytes(ikm);
    assertArrayEquals(bouncy(true, ikm, new byte[0], new byte[0], 32),
        derive("HKDF-SHA256", new SecretKeySpec(ikm, "RAW"), new byte[0], new byte[0], 32));
  }

  @Test
  void revokedMaster_derivesNothing_namingKeyVersionAndState() throws Exception {
    ring.create("m", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ManagedKey master = ring.handle(KeyRef.of("m", 1));
    derive("HKDF-SHA256", master, new byte[0], new byte[0], 32);
    ring.revoke(KeyRef.of("m", 1), "test");
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> derive("HKDF-SHA256", master, new byte[0], new byte[0], 32));
    assertTrue(e.getMessage().contains("m#1") && e.getMessage().contains("REVOKED"), e.getMessage());
    assertInstanceOf(InvalidKeyException.class, e.getCause());
  }

  @Test
  void suspendedMaster_derivesNothing() throws Exception {
    ring.create("m", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    ring.suspend(KeyRef.of("m", 1), "test");
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> derive("HKDF-SHA512", ring.handle(KeyRef.of("m")), new byte[0], new byte[0], 32));
    assertTrue(e.getMessage().contains("SUSPENDED"), e.getMessage());
  }

  @Test
  void afterRotation_theNameDerivesFromThePrimary_andTheOldVersionStillDerivesByNumber() throws Exception {
    ring.create("m", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    byte[] old = derive("HKDF-SHA256", ring.handle(KeyRef.of("m")), new byte[0], "purpose".getBytes(), 32);
    ring.rotate("m", null);
    assertFalse(java.util.Arrays.equals(old, derive("HKDF-SHA256", ring.handle(KeyRef.of("m")), new byte[0],
        "purpose".getBytes(), 32)));
    assertArrayEquals(old, derive("HKDF-SHA256", ring.handle(KeyRef.of("m", 1)), new byte[0], "purpose".getBytes(), 32),
        "a DEPRECATED version re-derives the subkeys of its old data");
  }

  @Test
  void usageLimit_isEnforcedPerDerivation() throws Exception {
    ring.create("m", KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(2).autoRotate(false).build());
    ManagedKey master = ring.handle(KeyRef.of("m"));
    derive("HKDF-SHA256", master, new byte[0], new byte[0], 16);
    derive("HKDF-SHA256", master, new byte[0], new byte[0], 16);
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> derive("HKDF-SHA256", master, new byte[0], new byte[0], 16));
    assertTrue(e.getMessage().contains("usage limit of 2"), e.getMessage());
  }

  @Test
  void lengthBeyond255HashLengths_isRefused() throws Exception {
    ring.create("m", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
        () -> derive("HKDF-SHA256", ring.handle(KeyRef.of("m")), new byte[0], new byte[0], 255 * 32 + 1));
    assertTrue(e.getMessage().contains("8160"), e.getMessage());
    assertEquals(0, ring.find("m").orElseThrow().version(1).orElseThrow().usageCount(), "a refused length uses nothing");
    assertEquals(8160, derive("HKDF-SHA256", ring.handle(KeyRef.of("m")), new byte[0], new byte[0], 8160).length);
  }

  @Test
  void otherSpec_isRefused() throws Exception {
    assertThrows(InvalidKeySpecException.class, () -> SecretKeyFactory.getInstance("HKDF-SHA256", "Clavis")
        .generateSecret(new javax.crypto.spec.PBEKeySpec(new char[] {'a'})));
  }

  @Test
  void specToString_showsNoSaltOrInfo() {
    HkdfKeySpec s = HkdfKeySpec.builder(new SecretKeySpec(new byte[16], "AES"), 16)
        .salt("salty-secret".getBytes()).info("info-text".getBytes()).build();
    assertFalse(s.toString().contains("salty") || s.toString().contains("info-text"), s.toString());
  }
}
