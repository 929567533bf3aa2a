package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Security;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker holds the token's user PIN and signs with OpenSC's {@code pkcs11-tool} (a real
 * process) with an ACTIVE key pair whose certificate has expired. Clavis itself refuses to sign
 * after {@code notAfter}; the token must refuse too: the first keyring write (or open) after
 * {@code notAfter} switches the private key's {@code CKA_SIGN} off, and a renewed certificate for
 * the same key switches it on again.
 */
class TokenExpiredCertificateSignAttackTest {

  private static Keyring ring;

  @BeforeAll
  static void open() throws Exception {
    SoftHsm.require();
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
    ring = openRing();
  }

  private static Keyring openRing() throws Exception {
    return Keyrings.open(KeyringOptions.token(Pkcs11Config.parse(SoftHsm.configFile())).pin(SoftHsm.PIN.toCharArray()));
  }

  @AfterAll
  static void close() {
    if (ring != null) {
      ring.close();
    }
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate cert(KeyPair kp, String cn, Duration validity) throws Exception {
    return SelfSignedCertificate.create("CN=" + cn, kp.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60),
        validity);
  }

  @Test
  void anActiveKeyPairWhoseCertificateExpired_cannotSignThroughTheTokenDirectly_untilItIsRenewed(@TempDir Path dir)
      throws Exception {
    String n = "expiring-" + UUID.randomUUID().toString().substring(0, 8);
    KeyPair kp = ec();
    // notBefore is now - 60 s: notAfter is about 8 s from now
    X509Certificate shortLived = cert(kp, n, Duration.ofSeconds(68));
    ring.importKeyPair(n, KeyAlgorithm.EC_P256, KeyPairMaterial.of(kp.getPrivate().getEncoded(),
        List.of(shortLived.getEncoded())), KeyPolicy.defaults());
    byte[] digest = MessageDigest.getInstance("SHA-256").digest("attack".getBytes(StandardCharsets.UTF_8));
    Path in = Files.write(dir.resolve("digest"), digest);
    Object[] before = pkcs11ToolSign(n + "#1", in, dir.resolve("before.sig"));
    assertEquals(0, before[0], "still valid: the ACTIVE version signs for a PIN holder\n" + before[1]);

    Thread.sleep(Math.max(0, shortLived.getNotAfter().getTime() - System.currentTimeMillis()) + 1500);
    assertEquals(KeyState.ACTIVE, ring.find(n).orElseThrow().primary().orElseThrow().state(), "no state changed");
    Signature clavis = Signature.getInstance("SHA256withECDSA");
    Exception refused = assertThrows(Exception.class, () -> {
      clavis.initSign(ring.privateKeyHandle(KeyRef.of(n)));
      clavis.update(new byte[] {1});
      clavis.sign();
    });
    assertTrue(String.valueOf(refused.getMessage()).contains("notAfter"), refused.toString());

    // any write after notAfter: here another key is created
    ring.create(n + "-other", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Object[] after = pkcs11ToolSign(n + "#1", in, dir.resolve("after.sig"));
    assertNotEquals(0, after[0], "pkcs11-tool signed with an expired key pair:\n" + after[1]);
    assertTrue(((String) after[1]).contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), (String) after[1]);

    // a renewed certificate for the same key: the commit that stores it switches signing on again
    ring.replaceCertificates(KeyRef.of(n, 1), List.of(cert(kp, n, Duration.ofDays(30)).getEncoded()));
    Object[] renewed = pkcs11ToolSign(n + "#1", in, dir.resolve("renewed.sig"));
    assertEquals(0, renewed[0], (String) renewed[1]);
    Signature v = Signature.getInstance("NONEwithECDSA", "SunEC");
    v.initVerify(kp.getPublic());
    v.update(digest);
    assertTrue(v.verify(Files.readAllBytes(dir.resolve("renewed.sig"))));
  }

  @Test
  void aKeyringOpenedAfterNotAfter_switchesSigningOffWithoutAnyWrite(@TempDir Path dir) throws Exception {
    String n = "expired-at-open-" + UUID.randomUUID().toString().substring(0, 8);
    KeyPair kp = ec();
    X509Certificate shortLived = cert(kp, n, Duration.ofSeconds(66));
    ring.importKeyPair(n, KeyAlgorithm.EC_P256, KeyPairMaterial.of(kp.getPrivate().getEncoded(),
        List.of(shortLived.getEncoded())), KeyPolicy.defaults());
    Path in = Files.write(dir.resolve("digest"), new byte[32]);
    assertEquals(0, pkcs11ToolSign(n + "#1", in, dir.resolve("before.sig"))[0], "valid: signs");
    Thread.sleep(Math.max(0, shortLived.getNotAfter().getTime() - System.currentTimeMillis()) + 1500);
    try (Keyring another = openRing()) {
      Object[] after = pkcs11ToolSign(n + "#1", in, dir.resolve("after.sig"));
      assertNotEquals(0, after[0], "pkcs11-tool signed with an expired key pair:\n" + after[1]);
      assertTrue(((String) after[1]).contains("CKR_KEY_FUNCTION_NOT_PERMITTED"), (String) after[1]);
      assertEquals(KeyState.ACTIVE, another.find(n).orElseThrow().primary().orElseThrow().state());
    }
  }

  /** @return pkcs11-tool's exit code and output signing {@code in} with the private key of {@code version} */
  private static Object[] pkcs11ToolSign(String version, Path in, Path out) throws Exception {
    String idHex = HexFormat.of().formatHex(("clavis:" + version + ";EC_P256").getBytes(StandardCharsets.UTF_8));
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
}
