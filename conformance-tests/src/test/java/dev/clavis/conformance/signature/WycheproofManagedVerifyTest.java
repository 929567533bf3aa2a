package dev.clavis.conformance.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedPublicKey;
import dev.clavis.keyring.TestStores;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.testkit.Json;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every case of the Wycheproof ECDSA P-256 and P-384, RSA PKCS#1 v1.5, RSASSA-PSS and Ed25519
 * verification files, verified through a managed public-key handle ({@link Keyring#publicKeyHandle})
 * ({@code name#1} and {@code name}, whose verifier takes every version that may verify) with
 * {@code Signature.getInstance(name)} (delayed provider selection lands on Clavis): valid
 * signatures verify, invalid ones are rejected ({@code false} or a {@link SignatureException},
 * nothing else), acceptable ones may go either way and are counted.
 *
 * <p>How the vector's public key gets behind a managed handle: Wycheproof verification files hold
 * public keys only, and Clavis verifies through a key pair's version, whose certificate the keyring
 * proves to be its private key's ({@link Keyring#importKeyPair} refuses any other). So each group
 * becomes a real key pair (a throwaway private key with its own certificate, imported through the
 * API), and the store below the engine ({@link VectorCertificateBackend}, a double of the storage
 * layer) answers that version's certificate with one of the vector's public key. The engine's
 * lifecycle checks, the handle and {@code ManagedSignatureSpi}'s verify path, which takes its key from
 * the version's certificate, are the code under test. The files hold no private keys, so nothing here
 * signs; managed signatures on random messages verified by SunEC/SunRsaSign/BC are
 * {@code KeyPairKeyStoreTest}'s.
 */
class WycheproofManagedVerifyTest {

  private static final HexFormat HEX = HexFormat.of();

  enum Suite {
    ECDSA_P256("ecdsa_secp256r1_sha256_test.json", "SHA256withECDSA", KeyAlgorithm.EC_P256, "EC", null),
    ECDSA_P384("ecdsa_secp384r1_sha384_test.json", "SHA384withECDSA", KeyAlgorithm.EC_P384, "EC", null),
    RSA_PKCS1_2048_SHA256("rsa_signature_2048_sha256_test.json", "SHA256withRSA", KeyAlgorithm.RSA, "RSA", null),
    RSA_PSS_2048_SHA256_MGF1_32("rsa_pss_2048_sha256_mgf1_32_test.json", "RSASSA-PSS", KeyAlgorithm.RSA, "RSA",
        new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1)),
    ED25519("ed25519_test.json", "Ed25519", KeyAlgorithm.ED25519, "Ed25519", null);

    final String file;
    final String sigAlg;
    final KeyAlgorithm keyAlgorithm;
    final String keyType;
    final AlgorithmParameterSpec params;

    Suite(String file, String sigAlg, KeyAlgorithm keyAlgorithm, String keyType, AlgorithmParameterSpec params) {
      this.file = file;
      this.sigAlg = sigAlg;
      this.keyAlgorithm = keyAlgorithm;
      this.keyType = keyType;
      this.params = params;
    }

    /** A throwaway key pair of the vector key's type, to sign its certificate and sit beside it. */
    KeyPair throwaway(PublicKey like) throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance(keyType);
      if (like instanceof ECPublicKey ec) {
        g.initialize(ec.getParams());
      } else if (keyType.equals("RSA")) {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    }
  }

  /**
   * Valid ECDSA signatures whose x(R) is at least n (crafted: "x = n + 3 is the smallest possible
   * x with a reduction" and the ArithmeticError case next to it), which SunEC before JDK 25
   * rejects. The managed verifier delegates the arithmetic to SunEC, so on those JDKs they may go
   * either way; from JDK 25 on they must verify. A false rejection, not a forgery.
   */
  private static final Map<Suite, Set<Long>> OLD_SUNEC_REJECTS_X_ABOVE_N = Map.of(
      Suite.ECDSA_P256, Set.of(350L, 479L), Suite.ECDSA_P384, Set.of(382L, 499L));

  private static boolean mayRejectValid(Suite suite, long tcId) {
    return Runtime.version().feature() < 25
        && OLD_SUNEC_REJECTS_X_ABOVE_N.getOrDefault(suite, Set.of()).contains(tcId);
  }

  @BeforeAll
  static void providers() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @ParameterizedTest
  @EnumSource(Suite.class)
  void everyVector_throughAManagedPublicHandle_validVerifies_invalidIsRejected(Suite suite) throws Exception {
    Map<String, Object> root = Json.object(Json.resource("/vectors/wycheproof-sig/" + suite.file));
    Map<String, Integer> expected = new TreeMap<>();
    Map<String, Integer> accepted = new TreeMap<>();
    int cases = 0;
    List<String> wrong = new java.util.ArrayList<>();
    List<String> oldJdkRejects = new java.util.ArrayList<>();
    KeyPair throwaway = null;
    VectorCertificateBackend store = new VectorCertificateBackend(FileKeyBackend.inMemory(TestStores.LIGHTEST_KDF));
    try (Keyring ring = KeyringEngine.open(store)) {
      int group = 0;
      for (Object g : Json.array(root.get("testGroups"))) {
        Map<String, Object> grp = Json.object(g);
        PublicKey pub = KeyFactory.getInstance(suite.keyType)
            .generatePublic(new X509EncodedKeySpec(HEX.parseHex((String) grp.get("publicKeyDer"))));
        if (throwaway == null || suite.keyAlgorithm != KeyAlgorithm.RSA) {
          throwaway = suite.throwaway(pub);
        }
        String name = "g" + group++;
        byte[] own = SelfSignedCertificate.create("CN=wycheproof " + name, throwaway.getPublic(),
            throwaway.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(1)).getEncoded();
        ring.importKeyPair(name, suite.keyAlgorithm, KeyPairMaterial.of(throwaway.getPrivate().getEncoded(),
            List.of(own)), KeyPolicy.defaults());
        store.holdCertificate(KeyRef.of(name, 1), SelfSignedCertificate.create("CN=wycheproof " + name, pub,
            throwaway.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(1)).getEncoded());
        ManagedPublicKey handle = ring.publicKeyHandle(KeyRef.of(name, 1));
        ManagedPublicKey byName = ring.publicKeyHandle(KeyRef.parse(name)); // the every-version path
        for (Object t : Json.array(grp.get("tests"))) {
          Map<String, Object> tc = Json.object(t);
          String result = (String) tc.get("result");
          String what = suite + " tcId " + tc.get("tcId") + " (" + result + " " + tc.get("flags") + ")";
          boolean ok = verify(suite, handle, HEX.parseHex((String) tc.get("msg")),
              HEX.parseHex((String) tc.get("sig")), what);
          assertEquals(ok, verify(suite, byName, HEX.parseHex((String) tc.get("msg")),
              HEX.parseHex((String) tc.get("sig")), what + " by name"), what + ": the name's handle agrees with #1's");
          cases++;
          expected.merge(result, 1, Integer::sum);
          if (ok) {
            accepted.merge(result, 1, Integer::sum);
          }
          switch (result) {
            case "valid" -> {
              if (!ok && mayRejectValid(suite, (Long) tc.get("tcId"))) {
                oldJdkRejects.add(what);
              } else if (!ok) {
                wrong.add(what + ": a valid signature was rejected");
              }
            }
            case "invalid" -> {
              if (ok) {
                wrong.add(what + ": an invalid signature was accepted");
              }
            }
            case "acceptable" -> { } // counted below
            default -> fail(what + ": unknown result " + result);
          }
        }
      }
    }
    assertEquals(List.of(), wrong, suite + ": vectors the managed handle got wrong");
    assertEquals(((Long) root.get("numberOfTests")).intValue(), cases, suite + ": every vector of the file ran");
    assertEquals(expected.getOrDefault("valid", 0) - oldJdkRejects.size(), accepted.getOrDefault("valid", 0),
        suite + ": valid accepted");
    assertEquals(0, accepted.getOrDefault("invalid", 0), suite + ": invalid accepted");
    System.out.println("Wycheproof " + suite.file + " through managed handles: " + cases + " cases " + expected
        + ", accepted " + accepted + (oldJdkRejects.isEmpty() ? "" : ", rejected by this JDK's SunEC " + oldJdkRejects));
  }

  /** @return whether the managed handle accepts; fails the test on any exception but a SignatureException */
  private static boolean verify(Suite suite, ManagedPublicKey handle, byte[] msg, byte[] sig, String what) {
    try {
      Signature s = Signature.getInstance(suite.sigAlg);
      s.initVerify(handle);
      if (suite.params != null) {
        s.setParameter(suite.params);
      }
      assertEquals("Clavis", s.getProvider().getName(), what + ": delayed provider selection lands on Clavis");
      s.update(msg);
      return s.verify(sig);
    } catch (SignatureException e) {
      return false; // a malformed signature: rejected
    } catch (Exception e) {
      assertInstanceOf(SignatureException.class, e, what + ": only a SignatureException may reject");
      return false;
    }
  }
}
