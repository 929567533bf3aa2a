package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clavis rotate NAME --begin --csr FILE} and {@code --complete --cert FILE}, each a real
 * child JVM, with openssl as the CA (a real process): the request verifies under {@code openssl req
 * -verify}, the CA's reply lands on the staged version and makes it sign (verified by {@code openssl
 * dgst -verify} with the issued certificate's key), and a reply for another key, a file that is no
 * chain, or a completion with nothing staged is refused with nothing changed.
 */
class KeyPairTwoPhaseRotationTest {

  @TempDir Path dir;

  private CliProcess.Result run(byte[] stdin, String... args) {
    return new CliProcess(dir, Map.of("CLAVIS_PASSWORD", "two-phase rotation pw")).run(stdin, args);
  }

  private CliProcess.Result ok(String... args) {
    CliProcess.Result r = run(null, args);
    assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    return r;
  }

  private CliProcess.Result fails(int exit, String... args) {
    CliProcess.Result r = run(null, args);
    assertEquals(exit, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
    assertFalse(r.stderr.contains("\tat "), r::toString);
    return r;
  }

  @BeforeEach
  void init() throws Exception {
    ok("init", "--kdf", "argon2id:t=1,m=64,p=1", "--allow-weak-kdf");
    ok("create", "api", "--algorithm", "EC-P256", "--subject", "CN=api.example");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
        "-out", "ca.pem", "-subj", "/CN=Test CA", "-days", "30");
  }

  @Test
  void beginWritesACsrThatOpensslVerifies_theCaReplyCompletes_andTheNewVersionSigns() throws Exception {
    String began = ok("rotate", "api", "--begin", "--csr", "api.csr").out();
    assertTrue(began.contains("api#2 PRE_ACTIVE") && began.contains("api.csr"), began);
    String verified = openssl("req", "-verify", "-in", "api.csr", "-noout", "-subject");
    assertTrue(verified.contains("verify OK") && verified.contains("CN = api.example"), verified);
    assertEquals(publicKeyOf("api#2"), openssl("req", "-in", "api.csr", "-pubkey", "-noout"),
        "the request carries the staged version's public key");
    CliProcess.Result early = run(new byte[] {1}, "sign", "api#2");
    assertEquals(CliException.FAILURE, early.exit, early::toString);
    assertTrue(early.stderr.contains("PRE_ACTIVE"), early::toString);

    openssl("x509", "-req", "-in", "api.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem",
        "-days", "30");
    Files.writeString(dir.resolve("reply.pem"), Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("ca.pem")));
    String done = ok("rotate", "api", "--complete", "--cert", "reply.pem").out();
    assertTrue(done.contains("api#2 ACTIVE") && done.contains("api#1 DEPRECATED"), done);

    List<X509Certificate> chain = certificates(ok("export-cert", "api", "--chain").stdout);
    assertEquals(2, chain.size());
    assertEquals("CN=Test CA", chain.get(0).getIssuerX500Principal().getName(), "the primary presents the CA's certificate");
    assertTrue(openssl("verify", "-CAfile", "ca.pem", "leaf.pem").contains("OK"));
    CliProcess.Result old = run(new byte[] {1}, "sign", "api#1");
    assertTrue(old.exit != 0 && old.stderr.contains("DEPRECATED"), old::toString);

    byte[] msg = "signed by the renewed key".getBytes(StandardCharsets.UTF_8);
    CliProcess.Result sig = run(msg, "sign", "api");
    assertEquals(0, sig.exit, sig::toString);
    Files.write(dir.resolve("msg"), msg);
    Files.write(dir.resolve("msg.sig"), sig.stdout);
    Files.writeString(dir.resolve("leaf.pub"), openssl("x509", "-in", "leaf.pem", "-pubkey", "-noout"));
    assertTrue(openssl("dgst", "-sha256", "-verify", "leaf.pub", "-signature", "msg.sig", "msg").contains("Verified OK"));
  }

  @Test
  void complete_withACertificateForAnotherKey_isRefused_andNothingChanges() throws Exception {
    ok("rotate", "api", "--begin", "--csr", "api.csr");
    byte[] stagedBefore = ok("export-cert", "api#2", "--chain").stdout;
    // a request with the same subject but a key openssl made: the CA answers it, the reply is for that key
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "other.key",
        "-out", "other.csr", "-subj", "/CN=api.example");
    openssl("x509", "-req", "-in", "other.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        "other.pem", "-days", "30");
    CliProcess.Result r = fails(CliException.FAILURE, "rotate", "api", "--complete", "--cert", "other.pem");
    assertTrue(r.stderr.contains("certifies another key than the staged api#2") && r.stderr.contains("other.pem")
        && r.stderr.contains("nothing was changed"), r::toString);

    String json = ok("show", "api", "--json").out();
    assertTrue(json.contains("\"version\":2,\"state\":\"PRE_ACTIVE\""), json);
    assertTrue(json.contains("\"version\":1,\"state\":\"ROTATING\""), json);
    assertArrayEquals(stagedBefore, ok("export-cert", "api#2", "--chain").stdout, "the staged chain is unchanged");
    assertEquals("CN=api.example", certificates(stagedBefore).get(0).getIssuerX500Principal().getName());
    assertEquals(0, run(new byte[] {1}, "sign", "api").exit, "the old primary still signs");
  }

  @Test
  void complete_refusesNothingStaged_aFileThatIsNoChain_andAChainOutOfOrder() throws Exception {
    CliProcess.Result none = fails(CliException.FAILURE, "rotate", "api", "--complete", "--cert", "ca.pem");
    assertTrue(none.stderr.contains("no version is staged") && none.stderr.contains("--begin --csr"), none::toString);

    ok("rotate", "api", "--begin", "--csr", "api.csr");
    Files.writeString(dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
    CliProcess.Result junk = fails(CliException.FAILURE, "rotate", "api", "--complete", "--cert", "junk.pem");
    assertTrue(junk.stderr.contains("junk.pem") && junk.stderr.contains("no X.509 certificate"), junk::toString);
    CliProcess.Result missing = fails(CliException.FAILURE, "rotate", "api", "--complete", "--cert", "absent.pem");
    assertTrue(missing.stderr.contains("absent.pem") && missing.stderr.contains("no such file"), missing::toString);

    openssl("x509", "-req", "-in", "api.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem",
        "-days", "30");
    Files.writeString(dir.resolve("reversed.pem"), Files.readString(dir.resolve("ca.pem")) + Files.readString(dir.resolve("leaf.pem")));
    CliProcess.Result reversed = fails(CliException.FAILURE, "rotate", "api", "--complete", "--cert", "reversed.pem");
    assertTrue(reversed.stderr.contains("did not issue certificate 1"), reversed::toString);
    assertTrue(ok("show", "api", "--json").out().contains("\"version\":2,\"state\":\"PRE_ACTIVE\""), "still staged");

    ok("rotate", "api", "--complete", "--cert", "leaf.pem");
    assertTrue(ok("show", "api", "--json").out().contains("\"version\":2,\"state\":\"ACTIVE\""));
  }

  @Test
  void begin_onAKeyPair_needsCsr_takesASubject_andAFailedWriteStagesNothing() throws Exception {
    CliProcess.Result noCsr = fails(CliException.USAGE, "rotate", "api", "--begin");
    assertTrue(noCsr.stderr.contains("--begin --csr FILE"), noCsr::toString);
    CliProcess.Result noDir = fails(CliException.FAILURE, "rotate", "api", "--begin", "--csr", "no/such/dir/api.csr");
    assertTrue(noDir.stderr.contains("--csr no/such/dir/api.csr"), noDir::toString);
    assertFalse(ok("show", "api", "--json").out().contains("\"version\":2"), "nothing staged");
    CliProcess.Result badDn = fails(CliException.USAGE, "rotate", "api", "--begin", "--csr", "x.csr", "--subject", "not a dn");
    assertTrue(badDn.stderr.contains("--subject"), badDn::toString);
    CliProcess.Result certWithBegin = fails(CliException.USAGE, "rotate", "api", "--begin", "--cert", "x.pem");
    assertTrue(certWithBegin.stderr.contains("--cert goes with --complete"), certWithBegin::toString);

    ok("rotate", "api", "--begin", "--csr", "renamed.csr", "--subject", "CN=api2.example,O=Example");
    String subject = openssl("req", "-verify", "-in", "renamed.csr", "-noout", "-subject");
    assertTrue(subject.contains("CN = api2.example") && subject.contains("O = Example"), subject);
    assertEquals("CN=api2.example,O=Example", certificates(ok("export-cert", "api#2").stdout).get(0)
        .getSubjectX500Principal().getName());
  }

  @Test
  void onAToken_theStagedPairSignsItsCsrOnly_theCaReplyCompletes_andTheNewVersionSigns() throws Exception {
    Path conf = dev.clavis.testkit.SoftHsm.freshToken(dir, "clavis-rot", "12345678", "123456").conf();
    Files.writeString(dir.resolve("token.cfg"), "name = softhsm\nlibrary = " + dev.clavis.testkit.SoftHsm.LIBRARY
        + "\ntokenLabel = clavis-rot\npin = env:CLAVIS_PIN\n");
    Map<String, String> env = Map.of("SOFTHSM2_CONF", conf.toString(), "CLAVIS_PIN", "123456");
    CliProcess hsm = new CliProcess(dir, env);
    java.util.function.Function<String[], CliProcess.Result> on = args -> {
      CliProcess.Result r = hsm.run(null, args);
      assertEquals(0, r.exit, () -> "clavis " + String.join(" ", args) + "\n" + r);
      return r;
    };
    on.apply(new String[] {"create", "tls", "--algorithm", "EC-P256", "--subject", "CN=tls.example", "--hsm", "token.cfg"});
    String began = on.apply(new String[] {"rotate", "tls", "--begin", "--csr", "tls.csr", "--hsm", "token.cfg"}).out();
    assertTrue(began.contains("tls#2 PRE_ACTIVE"), began);
    assertTrue(openssl("req", "-verify", "-in", "tls.csr", "-noout").contains("verify OK"));
    CliProcess.Result early = hsm.run(new byte[] {1}, "sign", "tls#2", "--hsm", "token.cfg");
    assertTrue(early.exit != 0 && early.stderr.contains("PRE_ACTIVE"), early::toString);

    openssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tls.pem",
        "-days", "30");
    String done = on.apply(new String[] {"rotate", "tls", "--complete", "--cert", "tls.pem", "--hsm", "token.cfg"}).out();
    assertTrue(done.contains("tls#2 ACTIVE") && done.contains("tls#1 DEPRECATED"), done);
    byte[] msg = "signed on the token by the renewed key".getBytes(StandardCharsets.UTF_8);
    CliProcess.Result sig = hsm.run(msg, "sign", "tls", "--hsm", "token.cfg");
    assertEquals(0, sig.exit, sig::toString);
    Files.write(dir.resolve("tmsg"), msg);
    Files.write(dir.resolve("tmsg.sig"), sig.stdout);
    Files.writeString(dir.resolve("tls.pub"), openssl("x509", "-in", "tls.pem", "-pubkey", "-noout"));
    assertTrue(openssl("dgst", "-sha256", "-verify", "tls.pub", "-signature", "tmsg.sig", "tmsg").contains("Verified OK"));
  }

  private String publicKeyOf(String ref) throws Exception {
    Files.write(dir.resolve("pub-of.pem"), ok("export-cert", ref).stdout);
    return openssl("x509", "-in", "pub-of.pem", "-pubkey", "-noout");
  }

  private static List<X509Certificate> certificates(byte[] pem) throws Exception {
    Collection<? extends Certificate> cs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem));
    List<X509Certificate> out = new ArrayList<>();
    cs.forEach(c -> out.add((X509Certificate) c));
    return out;
  }

  private String openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl finished");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }
}
