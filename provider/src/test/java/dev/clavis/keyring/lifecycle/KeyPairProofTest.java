package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The keyring itself proves that a key pair's first certificate is its private key's, on every
 * path that stores a private key with its chain (import as a new key, import as the next version,
 * the raw {@code importKey} form, bulk import, a staged rotation), so that no caller with write
 * access can put a foreign public key behind a version's managed verification. File store; the
 * token's are {@code TokenKeyPairProofTest}.
 */
class KeyPairProofTest {

  FileKeyBackend store;
  KeyringEngine ring;

  @BeforeAll
  static void providers() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() {
    store = FileKeyBackend.inMemory(TestStores.FAST_KDF);
    ring = KeyringEngine.open(store);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  /** The key-pair algorithms the keyring holds. */
  enum Family {
    EC_P256(KeyAlgorithm.EC_P256), EC_P384(KeyAlgorithm.EC_P384), RSA(KeyAlgorithm.RSA), ED25519(KeyAlgorithm.ED25519);

    final KeyAlgorithm alg;

    Family(KeyAlgorithm alg) {
      this.alg = alg;
    }
  }

  static KeyPair generate(KeyAlgorithm a) throws Exception {
    switch (a) {
      case EC_P256:
      case EC_P384: {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec(a == KeyAlgorithm.EC_P256 ? "secp256r1" : "secp384r1"));
        return g.generateKeyPair();
      }
      case RSA: {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
        g.initialize(2048);
        return g.generateKeyPair();
      }
      default:
        return KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
    }
  }

  /** A private key with a certificate of its own public key. */
  static KeyPairMaterial own(KeyPair kp, String cn) throws Exception {
    return KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(SelfSignedCertificate.create("CN=" + cn,
        kp.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded()));
  }

  /**
   * A private key with a certificate of another public key, even signed by that private key: what
   * a caller would forge to make the version verify signatures of {@code other}'s holder.
   */
  static KeyPairMaterial foreign(KeyPair kp, KeyPair other, String cn) throws Exception {
    return KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(SelfSignedCertificate.create("CN=" + cn,
        other.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded()));
  }

  static void assertNamesTheMismatch(IllegalArgumentException e, String name) {
    assertTrue(e.getMessage().contains("key " + name), e.getMessage());
    assertTrue(e.getMessage().contains("does not match the private key"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing was stored"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void importKeyPair_refusesACertificateOfAnotherKey_andStoresNothing(Family f) throws Exception {
    KeyPair kp = generate(f.alg);
    KeyPairMaterial forged = foreign(kp, generate(f.alg), "forged");
    long generation = store.generation();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.importKeyPair("id", f.alg, forged, KeyPolicy.defaults()));
    assertNamesTheMismatch(e, "id");
    assertTrue(ring.find("id").isEmpty(), "nothing stored");
    assertEquals(generation, store.generation(), "nothing written");
    ring.importKeyPair("id", f.alg, own(kp, "id"), KeyPolicy.defaults()); // its own certificate is taken
    assertEquals(1, ring.find("id").orElseThrow().versions().size());
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void importKeyPair_asTheNextVersion_refusesACertificateOfAnotherKey_andKeepsTheKeyAsItWas(Family f)
      throws Exception {
    KeyPair first = generate(f.alg);
    ring.importKeyPair("id", f.alg, own(first, "id"), KeyPolicy.defaults());
    byte[] chainBefore = ring.certificates(KeyRef.of("id", 1)).get(0);
    long generation = store.generation();
    KeyPair next = generate(f.alg);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.importKeyPair("id", f.alg, foreign(next, first, "id"), KeyPolicy.defaults()));
    assertNamesTheMismatch(e, "id");
    assertEquals(generation, store.generation(), "nothing written");
    assertEquals(1, ring.find("id").orElseThrow().versions().size(), "no version added");
    assertEquals(KeyState.ACTIVE, ring.find("id").orElseThrow().versions().get(0).state(), "#1 still the primary");
    assertArrayEquals(chainBefore, ring.certificates(KeyRef.of("id", 1)).get(0));
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void beginRotation_refusesACertificateOfAnotherKey_andStagesNothing(Family f) throws Exception {
    KeyPair first = generate(f.alg);
    ring.importKeyPair("id", f.alg, own(first, "id"), KeyPolicy.defaults());
    long generation = store.generation();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.beginRotation("id", foreign(generate(f.alg), generate(f.alg), "id"), "renewal"));
    assertNamesTheMismatch(e, "id");
    assertEquals(generation, store.generation(), "nothing written");
    assertEquals(1, ring.find("id").orElseThrow().versions().size(), "nothing staged");
  }

  @Test
  void importKey_ofRawKeyPairBytes_refusesACertificateOfAnotherKey() throws Exception {
    byte[] raw = foreign(generate(KeyAlgorithm.EC_P256), generate(KeyAlgorithm.EC_P256), "raw").encode();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.importKey("raw", KeyAlgorithm.EC_P256, raw, KeyPolicy.defaults()));
    assertNamesTheMismatch(e, "raw");
    assertTrue(ring.find("raw").isEmpty(), "nothing stored");
  }

  @Test
  void importKeys_inBulk_refusesTheWholeBatchIfOneCertificateIsOfAnotherKey() throws Exception {
    byte[] good = own(generate(KeyAlgorithm.ED25519), "good").encode();
    byte[] bad = foreign(generate(KeyAlgorithm.ED25519), generate(KeyAlgorithm.ED25519), "bad").encode();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.importKeys(Map.of("good", good, "bad", bad), KeyAlgorithm.ED25519, KeyPolicy.defaults()));
    assertNamesTheMismatch(e, "bad");
    assertTrue(ring.find("good").isEmpty() && ring.find("bad").isEmpty(), "nothing stored");
  }

  @Test
  void importKeyPair_refusesAKeyOfAnotherCurveOrTypeThanItsCertificate() throws Exception {
    KeyPair p256 = generate(KeyAlgorithm.EC_P256);
    KeyPair p384 = generate(KeyAlgorithm.EC_P384);
    KeyPair ed = generate(KeyAlgorithm.ED25519);
    IllegalArgumentException curve = assertThrows(IllegalArgumentException.class,
        () -> ring.importKeyPair("c", KeyAlgorithm.EC_P256, foreign(p256, p384, "c"), KeyPolicy.defaults()));
    assertNamesTheMismatch(curve, "c");
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> ring.importKeyPair("t",
        KeyAlgorithm.ED25519, KeyPairMaterial.of(ed.getPrivate().getEncoded(), List.of(SelfSignedCertificate.create(
            "CN=t", p256.getPublic(), p256.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(1))
            .getEncoded())), KeyPolicy.defaults()));
    assertNamesTheMismatch(type, "t");
    assertTrue(ring.find("c").isEmpty() && ring.find("t").isEmpty(), "nothing stored");
  }

  @Test
  void importKeyPair_refusesAPrivateKeyThatIsNotOfTheDeclaredAlgorithm_namingTheKey() throws Exception {
    KeyPair ed = generate(KeyAlgorithm.ED25519);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ring.importKeyPair("x", KeyAlgorithm.RSA, own(ed, "x"), KeyPolicy.defaults()));
    assertTrue(e.getMessage().contains("x") && e.getMessage().contains("cannot be read as RSA"), e.getMessage());
    assertTrue(ring.find("x").isEmpty(), "nothing stored");
  }

  @Test
  void importKeyPair_refusesAConsistentPairUnderAFalseLabel_curveOrSize() throws Exception {
    KeyPair p384 = generate(KeyAlgorithm.EC_P384);
    IllegalArgumentException curve = assertThrows(IllegalArgumentException.class,
        () -> ring.importKeyPair("label", KeyAlgorithm.EC_P256, own(p384, "label"), KeyPolicy.defaults()));
    assertTrue(curve.getMessage().contains("is EC_P384, not the declared EC_P256"), curve.getMessage());
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
    g.initialize(1024);
    KeyPair small = g.generateKeyPair();
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> ring.importKey("small", KeyAlgorithm.RSA, own(small, "small").encode(), KeyPolicy.defaults()));
    assertTrue(size.getMessage().contains("1024 bits"), size.getMessage());
    assertTrue(ring.find("label").isEmpty() && ring.find("small").isEmpty(), "nothing stored");
  }

  @Test
  void importKey_ofBytesThatAreNoKeyPairMaterial_isRefused_evenAChainReplacement() throws Exception {
    KeyPair kp = generate(KeyAlgorithm.EC_P256);
    ring.importKeyPair("api", KeyAlgorithm.EC_P256, own(kp, "api"), KeyPolicy.defaults());
    byte[] chainOnly = KeyPairMaterial.encodeChainReplacement(List.of(SelfSignedCertificate.create("CN=other",
        generate(KeyAlgorithm.EC_P256).getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60),
        Duration.ofDays(1)).getEncoded()));
    byte[] reference = new byte[64]; // what a token takes for a pair it generated: not here
    reference[0] = 'C';
    reference[1] = 'K';
    reference[2] = 'G';
    for (byte[] bytes : new byte[][] {chainOnly, "not a key pair".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        reference}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ring.importKey("api", KeyAlgorithm.EC_P256, bytes, KeyPolicy.defaults()));
      assertTrue(e.getMessage().contains("no key-pair material"), e.getMessage());
    }
    assertEquals(1, ring.find("api").orElseThrow().versions().size(), "the key is as it was");
  }

  @Test
  void importKeys_provesAndStoresOneCopy_soAMapThatChangesUnderItCannotSlipAForeignCertificateIn()
      throws Exception {
    KeyPair kp = generate(KeyAlgorithm.EC_P256);
    byte[] good = own(kp, "m").encode();
    byte[] bad = foreign(kp, generate(KeyAlgorithm.EC_P256), "m").encode();
    int[] calls = {0};
    Map<String, byte[]> shifty = new java.util.AbstractMap<>() {
      @Override
      public java.util.Set<Map.Entry<String, byte[]>> entrySet() {
        // the first look sees the key's own certificate, every later one a foreign one
        return java.util.Set.of(Map.entry("m", calls[0]++ == 0 ? good : bad));
      }
    };
    ring.importKeys(shifty, KeyAlgorithm.EC_P256, KeyPolicy.defaults());
    byte[] leaf = ring.certificates(KeyRef.of("m")).get(0);
    assertArrayEquals(KeyPairMaterial.decode(good).chain().get(0), leaf, "the proven certificate was stored");
  }
}
