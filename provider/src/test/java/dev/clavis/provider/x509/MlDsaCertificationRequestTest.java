package dev.clavis.provider.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.MlDsa;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certification request of an ML-DSA version: on JDK 24+ signed and audited; on an older JDK
 * (a store written by a newer one) refused with the JDK's name before anything is recorded. The
 * store is written in this JVM where it can be, else by a JDK 25 child process.
 */
class MlDsaCertificationRequestTest {

  private static final char[] PW = "pq-csr".toCharArray();
  private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  /** Writes a store holding the ML-DSA-65 key pair {@code pq} (run on JDK 24 or later). */
  public static final class Maker {
    public static void main(String[] args) throws Exception {
      make(Path.of(args[0]));
    }

    static void make(Path store) throws Exception {
      if (Security.getProvider("Clavis") == null) {
        Security.addProvider(new ClavisProvider());
      }
      KeyPair kp = KeyPairGenerator.getInstance("ML-DSA-65", "SUN").generateKeyPair();
      X509Certificate self = SelfSignedCertificate.create("CN=pq", kp.getPublic(), kp.getPrivate(),
          Instant.now().minusSeconds(60), Duration.ofDays(30));
      KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
      ks.load(new KeyringParameter(store, PW));
      ks.setKeyEntry("pq", kp.getPrivate(), null, new Certificate[] {self});
      ((ManagedPrivateKey) ks.getKey("pq", null)).keyring().close();
    }
  }

  private static List<String> audit(Keyring ring) {
    return ring.auditLog().events().stream().map(e -> e.action() + " " + e.key()).collect(Collectors.toList());
  }

  @Test
  void aRequestOfAnMlDsaVersion_isSignedAndAudited_orRefusedBeforeAnythingIsRecorded(@TempDir Path dir)
      throws Exception {
    Path store = dir.resolve("pq.clavis");
    if (MlDsa.available()) {
      Maker.make(store);
    } else {
      assertTrue(java.nio.file.Files.isExecutable(JDK25), "this test writes the store with JDK 25, expected at "
          + JDK25 + " (the test command runs both JDKs; scripts/install-test-deps.sh)");
      Process p = new ProcessBuilder(JDK25.toString(), "-cp", System.getProperty("java.class.path"),
          Maker.class.getName(), store.toString()).inheritIO().start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JDK 25 child did not finish");
      assertEquals(0, p.exitValue(), "the JDK 25 child wrote the store");
    }
    try (Keyring ring = Keyrings.openFile(store, PW)) {
      if (MlDsa.available()) {
        byte[] csr = KeyPairRotation.request(ring, KeyRef.parse("pq#1"));
        assertTrue(csr.length > 1000, "an ML-DSA-65 request: " + csr.length + " bytes");
        assertTrue(audit(ring).contains("csr-sign pq#1"), audit(ring).toString());
      } else {
        KeyringException e = assertThrows(KeyringException.class,
            () -> KeyPairRotation.request(ring, KeyRef.parse("pq#1")));
        assertTrue(e.getMessage().contains(MlDsa.unavailableMessage()), e.getMessage());
        X509Certificate cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(ring.certificates(KeyRef.parse("pq#1")).get(0)));
        byte[] info = CertificationRequest.requestInfo(cert.getSubjectX500Principal(), cert.getPublicKey());
        KeyringException direct = assertThrows(KeyringException.class,
            () -> ring.signCertificationRequest(KeyRef.parse("pq#1"), "ML-DSA-65", info));
        assertTrue(direct.getMessage().contains(MlDsa.unavailableMessage()), direct.getMessage());
        assertFalse(audit(ring).contains("csr-sign pq#1"), "refused, so nothing recorded: " + audit(ring));
      }
    }
  }
}
