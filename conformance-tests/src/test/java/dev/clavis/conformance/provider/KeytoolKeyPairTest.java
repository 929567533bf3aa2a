package dev.clavis.conformance.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keytool, as real processes through {@code -providerclass}, on a Clavis file store holding key
 * pairs: {@code -genkeypair} (and {@code -alias NAME#next} for a new version), {@code -certreq}
 * signed through the managed handle, {@code -gencert} by a CA in a PKCS12 store, {@code -importcert}
 * of the CA certificate (a trusted entry) and of the reply onto the version it certifies,
 * {@code -exportcert}, {@code -list -v}, and {@code -importkeystore} of a PKCS12 private key.
 */
class KeytoolKeyPairTest {

  static final String PW = "changeit123";
  @TempDir Path dir;

  @BeforeAll
  static void addClavis() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  private Path store() throws Exception {
    Path f = dir.resolve("pairs.clavis");
    if (!Files.exists(f)) {
      KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
      ks.load(new KeyringParameter(f, PW.toCharArray())); // keytool does not create Clavis stores
    }
    return f;
  }

  private ChildProcess clavis(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildProcess.jdkTool("keytool"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-keystore", store().toString(), "-storetype", "Clavis", "-storepass", PW,
        "-providerclass", "dev.clavis.provider.ClavisProvider", "-providerpath", ChildProcess.testClassPath()));
    ChildProcess p = ChildProcess.run(cmd);
    return p;
  }

  private ChildProcess ca(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildProcess.jdkTool("keytool"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-keystore", dir.resolve("ca.p12").toString(), "-storetype", "PKCS12", "-storepass", PW));
    return ChildProcess.run(cmd);
  }

  private static void ok(ChildProcess p) {
    assertEquals(0, p.exitCode, p.toString());
  }

  private KeyStore reopen() throws Exception {
    KeyStore ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(store(), PW.toCharArray()));
    return ks;
  }

  @Test
  void genkeypair_certreq_caReply_exportcert_list_onAClavisStore() throws Exception {
    ok(clavis("-genkeypair", "-alias", "tls", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost"));
    ok(clavis("-genkeypair", "-alias", "tls#next", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=v2"));
    KeyStore ks = reopen();
    assertEquals("CN=localhost", ((X509Certificate) ks.getCertificate("tls#1")).getSubjectX500Principal().getName());
    assertEquals("CN=v2", ((X509Certificate) ks.getCertificate("tls")).getSubjectX500Principal().getName());

    // a CSR of the primary (version 2), signed by Clavis with the managed handle
    Path csr = dir.resolve("tls.csr");
    ok(clavis("-certreq", "-alias", "tls", "-file", csr.toString()));
    assertTrue(Files.readString(csr).contains("CERTIFICATE REQUEST"));
    ok(ca("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Test CA", "-ext", "bc:c"));
    Path caPem = dir.resolve("ca.pem");
    ok(ca("-exportcert", "-rfc", "-alias", "ca", "-file", caPem.toString()));
    Path reply = dir.resolve("reply.pem");
    ok(ca("-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", reply.toString(), "-rfc"));

    ok(clavis("-importcert", "-alias", "ca", "-file", caPem.toString(), "-noprompt"));
    ChildProcess imp = clavis("-importcert", "-alias", "tls", "-file", reply.toString());
    ok(imp);
    assertTrue(imp.output.contains("Certificate reply was installed"), imp.toString());

    ks = reopen();
    assertTrue(ks.isCertificateEntry("ca"));
    Certificate[] v2 = ks.getCertificateChain("tls#2");
    assertEquals(2, v2.length, "the reply went onto version 2 with its CA");
    assertEquals("CN=Test CA", ((X509Certificate) v2[0]).getIssuerX500Principal().getName());
    assertEquals(1, ks.getCertificateChain("tls#1").length, "version 1 keeps its own chain");

    Path out = dir.resolve("out.pem");
    ok(clavis("-exportcert", "-alias", "tls", "-rfc", "-file", out.toString()));
    try (InputStream in = Files.newInputStream(out)) {
      assertEquals(v2[0], CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    ChildProcess list = clavis("-list", "-v");
    ok(list);
    assertTrue(list.output.contains("PrivateKeyEntry") && list.output.contains("trustedCertEntry"), list.toString());
    assertTrue(list.output.contains("Certificate chain length: 2"), list.toString());
  }

  @Test
  void caReplyForAnotherKey_isRefused_chainUnchanged() throws Exception {
    ok(clavis("-genkeypair", "-alias", "tls", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost"));
    ok(ca("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Test CA", "-ext", "bc:c"));
    ok(ca("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=other"));
    Path csr = dir.resolve("other.csr");
    ok(ca("-certreq", "-alias", "other", "-file", csr.toString()));
    Path reply = dir.resolve("reply.pem");
    ok(ca("-gencert", "-alias", "ca", "-infile", csr.toString(), "-outfile", reply.toString(), "-rfc"));
    ChildProcess imp = clavis("-importcert", "-alias", "tls", "-file", reply.toString(), "-noprompt");
    assertNotEquals(0, imp.exitCode, imp.toString());
    assertEquals("CN=localhost", ((X509Certificate) reopen().getCertificate("tls")).getIssuerX500Principal().getName());
  }

  @Test
  void importkeystore_ofAPkcs12PrivateKey_storesIt_notDropped() throws Exception {
    store();
    ok(ca("-genkeypair", "-alias", "signer", "-keyalg", "Ed25519", "-dname", "CN=signer"));
    List<String> cmd = new ArrayList<>(List.of(ChildProcess.jdkTool("keytool"), "-importkeystore",
        "-srckeystore", dir.resolve("ca.p12").toString(), "-srcstoretype", "PKCS12", "-srcstorepass", PW,
        "-destkeystore", store().toString(), "-deststoretype", "Clavis", "-deststorepass", PW,
        "-providerclass", "dev.clavis.provider.ClavisProvider", "-providerpath", ChildProcess.testClassPath()));
    ok(ChildProcess.run(cmd));
    KeyStore ks = reopen();
    assertTrue(ks.entryInstanceOf("signer", KeyStore.PrivateKeyEntry.class), "the PrivateKeyEntry was stored");
    assertEquals("CN=signer", ((X509Certificate) ks.getCertificate("signer")).getSubjectX500Principal().getName());
  }

  @Test
  void genkeypair_rsa1024_isRefusedWithAClearError_nothingStored() throws Exception {
    ChildProcess p = clavis("-genkeypair", "-alias", "weak", "-keyalg", "RSA", "-keysize", "1024", "-dname", "CN=w");
    assertNotEquals(0, p.exitCode, p.toString());
    assertTrue(p.output.contains("1024 bits"), p.toString());
    assertEquals(0, reopen().size());
  }
}
