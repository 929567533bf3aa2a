package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key pairs from the command line, each command a real child JVM: {@code create --algorithm
 * ... --subject}, {@code show} with the certificate, {@code sign}/{@code verify} over stdin (the
 * signature checked by the JDK against the exported certificate), {@code export-cert}, and
 * {@code rotate}, after which the old version no longer signs.
 */
class KeyPairCommandsTest {

  @TempDir Path dir;

  private CliProcess.Result run(byte[] stdin, String... args) {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", "key pair commands pw")).run(stdin, args);
  }

  private CliProcess.Result ok(byte[] stdin, String... args) {
    CliProcess.Result r = run(stdin, args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    return r;
  }

  @BeforeEach
  void init() {
    ok(null, "init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf");
  }

  private X509Certificate exported(String ref) throws Exception {
    byte[] pem = ok(null, "export-cert", ref).stdout;
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
  }

  @ParameterizedTest
  @CsvSource({"EC-P256, SHA256withECDSA", "RSA-2048, SHA256withRSA", "Ed25519, Ed25519"})
  void create_sign_verify_exportCert(String alg, String sigAlg) throws Exception {
    ok(null, "create", "doc", "--algorithm", alg, "--subject", "CN=documents.example");
    X509Certificate c = exported("doc");
    assertEquals("CN=documents.example", c.getSubjectX500Principal().getName());
    byte[] msg = "a document to sign".getBytes(StandardCharsets.UTF_8);
    byte[] sig = ok(msg, "sign", "doc").stdout;
    Signature jdk = Signature.getInstance(sigAlg);
    jdk.initVerify(c.getPublicKey());
    jdk.update(msg);
    assertTrue(jdk.verify(sig), "the JDK verifies the CLI's signature against the exported certificate");

    Path sigFile = dir.resolve("doc.sig");
    Files.write(sigFile, sig);
    assertTrue(ok(msg, "verify", "doc", "--signature", sigFile.toString()).out().contains("valid"));
    CliProcess.Result bad = run("another document".getBytes(StandardCharsets.UTF_8), "verify", "doc", "--signature",
        sigFile.toString());
    assertEquals(CliException.FAILURE, bad.exit, bad::toString);
    assertTrue(bad.stderr.contains("not valid"), bad::toString);
    assertFalse(bad.stderr.contains("\tat "), bad::toString);
  }

  @Test
  void show_listsSubjectIssuerAndExpiry() {
    ok(null, "create", "tls", "--algorithm", "EC-P384", "--subject", "CN=api.example.com", "--validity", "30d");
    String text = ok(null, "show", "tls").out();
    assertTrue(text.contains("subject CN=api.example.com") && text.contains("issuer CN=api.example.com")
        && text.contains("expires"), text);
    String json = ok(null, "show", "tls", "--json").out();
    assertTrue(json.contains("\"certificates\"") && json.contains("\"notAfter\""), json);
  }

  @Test
  void mlDsa_createSignVerify_onJdk24AndLater_refusedClearlyBefore() throws Exception {
    if (!dev.clavis.keyring.MlDsa.available()) {
      CliProcess.Result r = run(null, "create", "pq", "--algorithm", "ML-DSA-65", "--subject", "CN=pq");
      assertEquals(CliException.FAILURE, r.exit, r::toString);
      assertTrue(r.stderr.contains(dev.clavis.keyring.MlDsa.unavailableMessage()), r::toString);
      assertFalse(r.stderr.contains("\tat "), r::toString);
      assertFalse(ok(null, "list").out().contains("pq"), "nothing was stored");
      return;
    }
    ok(null, "create", "pq", "--algorithm", "ML-DSA-65", "--subject", "CN=pq.example");
    X509Certificate c = exported("pq");
    assertEquals("2.16.840.1.101.3.4.3.18", c.getSigAlgOID());
    c.verify(c.getPublicKey());
    byte[] msg = "a post-quantum document".getBytes(StandardCharsets.UTF_8);
    byte[] sig = ok(msg, "sign", "pq").stdout;
    Signature jdk = Signature.getInstance("ML-DSA", "SUN");
    jdk.initVerify(c.getPublicKey());
    jdk.update(msg);
    assertTrue(jdk.verify(sig), "the JDK verifies the CLI's ML-DSA signature against the exported certificate");
    assertTrue(ok(null, "rotate", "pq").out().contains("pq#2"));
    assertEquals("2.16.840.1.101.3.4.3.18", exported("pq#2").getSigAlgOID());
  }

  @Test
  void rotate_givesANewSelfSignedVersion_theOldNoLongerSigns() throws Exception {
    ok(null, "create", "jws", "--algorithm", "Ed25519", "--subject", "CN=jws");
    assertTrue(ok(null, "rotate", "jws").out().contains("jws#2"));
    assertFalse(exported("jws#1").equals(exported("jws#2")));
    CliProcess.Result r = run(new byte[] {1}, "sign", "jws#1");
    assertEquals(CliException.FAILURE, r.exit, r::toString);
    assertTrue(r.stderr.contains("jws#1") && r.stderr.contains("DEPRECATED"), r::toString);
    // the old version still verifies what it signed: verified by name
    byte[] sig2 = ok(new byte[] {2}, "sign", "jws", "--base64").stdout;
    Path f = dir.resolve("s");
    Files.write(f, sig2);
    ok(new byte[] {2}, "verify", "jws", "--signature", f.toString());
  }

  @Test
  void create_badInput_isOneClearError() {
    CliProcess.Result small = run(null, "create", "x", "--algorithm", "RSA-1024", "--subject", "CN=x");
    assertEquals(2, small.exit, small::toString);
    assertTrue(small.stderr.contains("RSA-1024"), small::toString);
    CliProcess.Result noSubject = run(null, "create", "x", "--algorithm", "EC-P256");
    assertTrue(noSubject.exit != 0 && noSubject.stderr.contains("--subject"), noSubject::toString);
    ok(null, "create", "x", "--algorithm", "EC-P256", "--subject", "CN=x");
    CliProcess.Result again = run(null, "create", "x", "--algorithm", "EC-P256", "--subject", "CN=x");
    assertTrue(again.exit != 0 && again.stderr.contains("already exists"), again::toString);
  }

  @Test
  void aKeyPairNearItsCertificatesNotAfter_isReportedDueNotRotated_andStopsSigningAfterNotAfter() throws Exception {
    // notBefore is now - 60 s, so notAfter is now + 24 s; the margin is a third of 84 s: due at once
    ok(null, "create", "short", "--algorithm", "EC-P256", "--subject", "CN=short", "--validity", "84s");
    long notAfter = exported("short#1").getNotAfter().getTime();
    String due = ok(null, "rotate", "--due").out();
    assertTrue(due.contains("due short: short#1") && due.contains("not rotated automatically"), due);
    assertFalse(due.contains("no key is due"), due);
    assertTrue(ok(null, "show", "short").out().contains("next rotation"));
    assertFalse(ok(null, "show", "short", "--json").out().contains("\"version\":2"), "not rotated");
    assertEquals(0, run(new byte[] {1}, "sign", "short").exit, "still valid: signs");
    Thread.sleep(Math.max(0, notAfter - System.currentTimeMillis()) + 1500);
    CliProcess.Result r = run(new byte[] {1}, "sign", "short");
    assertEquals(CliException.FAILURE, r.exit, r::toString);
    assertTrue(r.stderr.contains("short#1") && r.stderr.contains("notAfter"), r.stderr);
  }
}
