package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.conformance.pkcs11.IaikSessions;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.pkcs11.TokenGeneratedKeyPair;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.Session;

/**
 * The attacker holds the token's user PIN and bypasses Clavis: with OpenSC's {@code pkcs11-tool}
 * (a real process) and the IAIK-derived wrapper, they try to sign with key-pair versions whose
 * lifecycle state forbids signing, and to read their private values. The token itself refuses,
 * because Clavis wrote the states into {@code CKA_SIGN} and imported the keys sensitive and not
 * extractable.
 */
class TokenKeyPairBypassAttackTest {

  private static KeyringEngine ring;
  private static Session session;

  @BeforeAll
  static void open() throws Exception {
    SoftHsm.require();
    ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(SoftHsm.configFile()))
        .pin(SoftHsm.PIN.toCharArray()));
    session = IaikSessions.userSession(SoftHsm.LIBRARY.toString(), SoftHsm.LABEL, SoftHsm.PIN.toCharArray(), true);
  }

  @AfterAll
  static void close() throws Exception {
    if (session != null) {
      session.closeSession();
    }
    if (ring != null) {
      ring.close();
    }
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static KeyPairMaterial material(KeyPair kp, String cn) throws Exception {
    return KeyPairMaterial.of(kp.getPrivate().getEncoded(), List.of(SelfSignedCertificate.create("CN=" + cn,
        kp.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60), Duration.ofDays(30)).getEncoded()));
  }

  private static String id(String version) {
    return HexFormat.of().formatHex(("clavis:" + version + ";EC_P256").getBytes(StandardCharsets.UTF_8));
  }

  private static long iaikKey(String version) throws Exception {
    long[] h = session.findObjectsSingle(AttributeVector.newPrivateKey().label(version), 10);
    assertEquals(1, h.length, version);
    return h[0];
  }

  /** @return exit code and output of pkcs11-tool signing {@code in} with the key of that CKA_ID */
  private static Object[] pkcs11ToolSign(String version, Path in, Path out) throws Exception {
    return pkcs11ToolSignId(id(version), in, out);
  }

  @Test
  void signingWithDeprecatedRevokedSuspendedCompromisedVersions_bypassingClavis_isRefusedByTheToken(@TempDir Path dir)
      throws Exception {
    String n = "bypass-" + UUID.randomUUID().toString().substring(0, 8);
    KeyPair v1 = ec();
    ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(v1, n), KeyPolicy.defaults());
    KeyPair v2 = ec();
    ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(v2, n), KeyPolicy.defaults());
    String rev = n + "-r";
    ring.importKeyPair(rev, KeyAlgorithm.EC_P256, material(ec(), rev), KeyPolicy.defaults());
    ring.revoke(KeyRef.parse(rev + "#1"), "attack test");
    String sus = n + "-s";
    ring.importKeyPair(sus, KeyAlgorithm.EC_P256, material(ec(), sus), KeyPolicy.defaults());
    ring.suspend(KeyRef.parse(sus + "#1"), "attack test");
    String comp = n + "-c";
    ring.importKeyPair(comp, KeyAlgorithm.EC_P256, material(ec(), comp), KeyPolicy.defaults());
    ring.markCompromised(KeyRef.parse(comp + "#1"), "attack test");
    assertEquals(KeyState.DEPRECATED, ring.find(n).orElseThrow().version(1).orElseThrow().state());

    byte[] digest = MessageDigest.getInstance("SHA-256").digest("attack".getBytes(StandardCharsets.UTF_8));
    Path in = Files.write(dir.resolve("digest"), digest);
    for (String refused : new String[] {n + "#1", rev + "#1", sus + "#1", comp + "#1"}) {
      Object[] r = pkcs11ToolSign(refused, in, dir.resolve("refused.sig"));
      assertNotEquals(0, r[0], refused + ": pkcs11-tool signed with it:\n" + r[1]);
      assertTrue(((String) r[1]).contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), refused + ":\n" + r[1]);
      long h = iaikKey(refused);
      PKCS11Exception e = assertThrows(PKCS11Exception.class,
          () -> session.signSingle(new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_ECDSA), h, digest));
      assertEquals(PKCS11Constants.CKR_KEY_FUNCTION_NOT_PERMITTED, e.getErrorCode(), refused);
    }

    // the primary signs for anyone with the PIN (that is what ACTIVE means), and the signature is good
    Object[] ok = pkcs11ToolSign(n + "#2", in, dir.resolve("ok.sig"));
    assertEquals(0, ok[0], (String) ok[1]);
    Signature v = Signature.getInstance("NONEwithECDSA", "SunEC");
    v.initVerify(v2.getPublic());
    v.update(digest);
    assertTrue(v.verify(Files.readAllBytes(dir.resolve("ok.sig"))));
  }

  @Test
  void privateValues_ofTokenKeyPairs_cannotBeRead_orExtracted() throws Exception {
    String n = "read-" + UUID.randomUUID().toString().substring(0, 8);
    ring.importKeyPair(n, KeyAlgorithm.EC_P256, material(ec(), n), KeyPolicy.defaults());
    long h = iaikKey(n + "#1");
    AttributeVector a = session.getAttrValues(h, PKCS11Constants.CKA_SENSITIVE, PKCS11Constants.CKA_EXTRACTABLE,
        PKCS11Constants.CKA_PRIVATE, PKCS11Constants.CKA_LOCAL);
    assertTrue(a.sensitive());
    assertFalse(a.extractable());
    assertTrue(a.private_());
    assertFalse(a.local(), "imported, and the token says so");
    AttributeVector value = session.getAttrValues(h, PKCS11Constants.CKA_VALUE);
    assertEquals(null, value.value(), "CKA_VALUE of a sensitive key is not revealed");
    // making it extractable again is refused by the token (PKCS#11: CKA_EXTRACTABLE may only go false)
    PKCS11Exception e = assertThrows(PKCS11Exception.class,
        () -> session.setAttributeValues(h, new AttributeVector().extractable(true)));
    assertNotEquals(PKCS11Constants.CKR_OK, e.getErrorCode());
  }

  /** @return pkcs11-tool's exit code and output signing {@code in} with the key of that CKA_ID (hex) */
  private static Object[] pkcs11ToolSignId(String idHex, Path in, Path out) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(), "--token-label", SoftHsm.LABEL,
          "--login", "--pin", SoftHsm.PIN, "--sign", "--mechanism", "ECDSA", "--signature-format", "openssl",
          "--id", idHex, "--input-file", in.toString(), "--output-file", out.toString())
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      fail("pkcs11-tool (opensc) is required: " + e.getMessage());
      return null;
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Object[] {p.waitFor(), text};
  }

  /**
   * A key pair generated on the token but not yet a version (left behind, e.g., by a crash
   * between generation and the import) cannot sign for a PIN holder; once claimed into an ACTIVE
   * version it signs, because the commit writes the state into CKA_SIGN.
   */
  @Test
  void pendingGeneratedKeyPair_bypassingClavis_cannotSign_untilItIsAnActiveVersion(@TempDir Path dir) throws Exception {
    String n = "pending-" + UUID.randomUUID().toString().substring(0, 8);
    List<Long> before = Arrays.stream(session.findObjectsSingle(AttributeVector.newPrivateKey(), 10_000)).boxed().toList();
    try (TokenGeneratedKeyPair p = TokenGeneratedKeyPair.generate(ring, KeyAlgorithm.EC_P256, 0)) {
      long[] all = session.findObjectsSingle(AttributeVector.newPrivateKey(), 10_000);
      long h = Arrays.stream(all).filter(x -> !before.contains(x)).findFirst().orElseThrow();
      AttributeVector a = session.getAttrValues(h, PKCS11Constants.CKA_LABEL, PKCS11Constants.CKA_ID);
      assertTrue(a.label().startsWith("clavis-pending:"), a.label());
      byte[] digest = MessageDigest.getInstance("SHA-256").digest("attack".getBytes(StandardCharsets.UTF_8));
      Path in = Files.write(dir.resolve("digest"), digest);
      String idHex = HexFormat.of().formatHex(a.id());

      PKCS11Exception e = assertThrows(PKCS11Exception.class,
          () -> session.signSingle(new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_ECDSA), h, digest));
      assertEquals(PKCS11Constants.CKR_KEY_FUNCTION_NOT_PERMITTED, e.getErrorCode(), "a fresh pending key");
      Object[] r = pkcs11ToolSignId(idHex, in, dir.resolve("pending.sig"));
      assertNotEquals(0, r[0], "pkcs11-tool signed with a pending key:\n" + r[1]);
      assertTrue(((String) r[1]).contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), (String) r[1]);

      // Clavis signs the pair's own certificate with it, and the key is closed again right after
      byte[] cert = SelfSignedCertificate.create("CN=" + n, p.publicKey(), p::sign, Instant.now().minusSeconds(60),
          Duration.ofDays(30)).getEncoded();
      assertEquals(Boolean.FALSE, session.getAttrValues(h, PKCS11Constants.CKA_SIGN).sign(), "after the self-signature");
      e = assertThrows(PKCS11Exception.class,
          () -> session.signSingle(new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_ECDSA), h, digest));
      assertEquals(PKCS11Constants.CKR_KEY_FUNCTION_NOT_PERMITTED, e.getErrorCode(), "after the self-signature");

      // claimed into ACTIVE version #1: the commit switches signing on (ACTIVE signs for any PIN holder)
      ring.importKey(n, KeyAlgorithm.EC_P256, p.material(List.of(cert)), KeyPolicy.defaults());
      long v1 = iaikKey(n + "#1");
      assertEquals(h, v1, "the pending object became the version");
      byte[] sig = session.signSingle(new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_ECDSA), v1, digest);
      assertEquals(64, sig.length);
    }
  }
}
