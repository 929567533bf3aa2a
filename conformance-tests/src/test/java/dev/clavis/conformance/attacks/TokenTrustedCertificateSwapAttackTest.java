package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker reaches the token but has no PIN. A trust store on the token ({@code ClavisPKCS11}
 * trusted-certificate entries) must not be changed that way: with OpenSC's {@code pkcs11-tool} (a
 * real process, public session) they try to delete the trusted certificate's object and to plant a
 * certificate of their own under its {@code CKA_LABEL} and {@code CKA_ID}. Clavis writes the
 * certificate object private (so a public session neither sees nor destroys it) and reads back only
 * private certificate objects (so the planted public one is never trusted).
 */
class TokenTrustedCertificateSwapAttackTest {

  private static KeyStore store() throws Exception {
    SoftHsm.require();
    Provider p = new ClavisProvider().configure(SoftHsm.configFile().toString());
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, SoftHsm.PIN.toCharArray());
    return ks;
  }

  private static X509Certificate selfSigned(String cn) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    return SelfSignedCertificate.create("CN=" + cn, kp.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60),
        Duration.ofDays(30));
  }

  @Test
  void withoutThePin_theTrustedCertificateCannotBeDeletedOrReplaced(@TempDir Path dir) throws Exception {
    KeyStore ks = store();
    String n = "anchor-" + UUID.randomUUID().toString().substring(0, 8);
    X509Certificate anchor = selfSigned(n);
    ks.setCertificateEntry(n, anchor);
    String label = n + "#1";
    String id = HexFormat.of().formatHex(("clavis:" + label + ";CERTIFICATE").getBytes(StandardCharsets.UTF_8));

    // no PIN: the object is not even listed, and a delete finds nothing to delete
    assertFalse(pkcs11Tool(true, "--list-objects", "--type", "cert").contains(label));
    pkcs11Tool(false, "--delete-object", "--type", "cert", "--label", label);
    // no PIN: a public certificate object of the attacker's own under the same label and CKA_ID
    X509Certificate planted = selfSigned(n + " planted");
    Path der = dir.resolve("planted.der");
    Files.write(der, planted.getEncoded());
    String wrote = pkcs11Tool(true, "--write-object", der.toString(), "--type", "cert", "--label", label, "--id", id);
    try {
      assertTrue(pkcs11Tool(true, "--list-objects", "--type", "cert").contains(label),
          "the planted public object is on the token: " + wrote);

      KeyStore again = store(); // indexes the token afresh
      assertEquals(anchor, again.getCertificate(n), "the trusted certificate is still the one Clavis wrote");
      assertEquals(anchor, again.getCertificate(label));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(again);
      X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
      List<X509Certificate> issuers = Arrays.asList(tm.getAcceptedIssuers());
      assertTrue(issuers.contains(anchor));
      assertFalse(issuers.contains(planted), "the planted certificate is no trust anchor");
      assertThrows(CertificateException.class,
          () -> tm.checkServerTrusted(new X509Certificate[] {planted}, "ECDHE_ECDSA"));
    } finally {
      pkcs11Tool(false, "--delete-object", "--type", "cert", "--label", label); // the planted public one only
    }
  }

  /** pkcs11-tool on the shared token in a public session (no {@code --login}). */
  private static String pkcs11Tool(boolean mustSucceed, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(),
        "--token-label", SoftHsm.LABEL));
    cmd.addAll(List.of(args));
    // stderr apart: its unbuffered warnings would land inside the buffered listing
    Path err = Files.createTempFile("pkcs11-tool", ".err");
    try {
      Process tool = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      String out = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(tool.waitFor(60, TimeUnit.SECONDS));
      if (mustSucceed) {
        assertEquals(0, tool.exitValue(), out + Files.readString(err));
      }
      return out;
    } finally {
      Files.delete(err);
    }
  }
}
