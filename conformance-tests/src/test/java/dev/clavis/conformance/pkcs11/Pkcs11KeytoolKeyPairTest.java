package dev.clavis.conformance.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.testkit.SoftHsm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * keytool (a real process) makes key pairs in the {@code ClavisPKCS11} store, and OpenSC's
 * {@code pkcs11-tool} (a real process) finds the private key on the token, sensitive and never
 * extractable.
 */
class Pkcs11KeytoolKeyPairTest {

  private static String[] run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd.get(0));
    }
    return new String[] {Integer.toString(p.exitValue()), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)};
  }

  private static List<String> keytool(String command, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString(),
        command, "-storetype", "ClavisPKCS11", "-keystore", "NONE", "-storepass", SoftHsm.PIN,
        "-providerpath", System.getProperty("java.class.path"),
        "-providerclass", "dev.clavis.provider.ClavisProvider", "-providerarg", SoftHsm.configFile().toString()));
    cmd.addAll(List.of(more));
    return cmd;
  }

  /** @return the pkcs11-tool -O paragraph of the private key labelled {@code label} */
  private static String privateKeyListing(String label) throws Exception {
    String[] r = run(List.of("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(), "--token-label", SoftHsm.LABEL,
        "--login", "--pin", SoftHsm.PIN, "-O", "--type", "privkey"));
    assertEquals("0", r[0], r[1]);
    for (String para : r[1].split("\n(?=\\S)")) {
      if (para.startsWith("Private Key Object") && para.contains("label:      " + label + "\n")) {
        return para;
      }
    }
    throw new AssertionError("pkcs11-tool lists no private key labelled " + label + ":\n" + r[1]);
  }

  @Test
  void keytoolGenkeypair_storesThePrivateKeyOnTheToken_sensitiveAndNeverExtractable() throws Exception {
    SoftHsm.require();
    String n = "kt-" + UUID.randomUUID().toString().substring(0, 8);
    String[] gen = run(keytool("-genkeypair", "-alias", n, "-keyalg", "EC", "-groupname", "secp256r1",
        "-sigalg", "SHA256withECDSA", "-dname", "CN=" + n, "-validity", "30"));
    assertEquals("0", gen[0], gen[1]);
    String[] list = run(keytool("-list", "-alias", n));
    assertEquals("0", list[0], list[1]);
    assertTrue(list[1].contains("PrivateKeyEntry"), list[1]);
    String para = privateKeyListing(n + "#1");
    assertTrue(para.contains("EC"), para);
    String access = para.lines().filter(l -> l.trim().startsWith("Access:")).findFirst().orElseThrow();
    assertTrue(access.contains("sensitive"), para);
    assertFalse(access.replace("never extractable", "").contains("extractable"), "not extractable: " + para);
    // keytool generated the pair in its own JVM: the token says the key was imported, not local
    assertFalse(access.contains("local"), para);
    // a second -genkeypair onto name#next is the next version; the first one now DEPRECATED cannot sign
    String[] next = run(keytool("-genkeypair", "-alias", n + "#next", "-keyalg", "EC", "-groupname", "secp256r1",
        "-sigalg", "SHA256withECDSA", "-dname", "CN=" + n, "-validity", "30"));
    assertEquals("0", next[0], next[1]);
    assertTrue(privateKeyListing(n + "#2").contains("Access:"));
    String old = privateKeyListing(n + "#1");
    String usage = old.lines().filter(l -> l.trim().startsWith("Usage:")).findFirst().orElse("Usage: none");
    assertFalse(usage.contains("sign"), "the DEPRECATED version may not sign on the token:\n" + old);
  }

  /**
   * keytool -importcert of a CA certificate makes a trusted-certificate entry on the token: keytool
   * lists it as a trustedCertEntry and exports the same certificate, and pkcs11-tool reads the same
   * DER from the X.509 certificate object labelled {@code name#1}.
   */
  @Test
  void keytoolImportcert_ofACaCertificate_isATrustedCertificateObjectOnTheToken(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    SoftHsm.require();
    String n = "ktca-" + UUID.randomUUID().toString().substring(0, 8);
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair kp = g.generateKeyPair();
    byte[] ca = dev.clavis.provider.x509.SelfSignedCertificate.create("CN=" + n, kp.getPublic(), kp.getPrivate(),
        java.time.Instant.now().minusSeconds(60), java.time.Duration.ofDays(30)).getEncoded();
    java.nio.file.Path in = dir.resolve("ca.der");
    java.nio.file.Files.write(in, ca);
    String[] imp = run(keytool("-importcert", "-noprompt", "-alias", n, "-file", in.toString()));
    assertEquals("0", imp[0], imp[1]);
    String[] list = run(keytool("-list", "-alias", n));
    assertEquals("0", list[0], list[1]);
    assertTrue(list[1].contains("trustedCertEntry"), list[1]);
    java.nio.file.Path out = dir.resolve("out.der");
    String[] exp = run(keytool("-exportcert", "-alias", n, "-file", out.toString()));
    assertEquals("0", exp[0], exp[1]);
    org.junit.jupiter.api.Assertions.assertArrayEquals(ca, java.nio.file.Files.readAllBytes(out));
    java.nio.file.Path read = dir.resolve("read.der");
    String[] tool = run(List.of("pkcs11-tool", "--module", SoftHsm.LIBRARY.toString(), "--token-label", SoftHsm.LABEL,
        "--login", "--pin", SoftHsm.PIN, "--read-object", "--type", "cert", "--label", n + "#1",
        "--output-file", read.toString()));
    assertEquals("0", tool[0], tool[1]);
    org.junit.jupiter.api.Assertions.assertArrayEquals(ca, java.nio.file.Files.readAllBytes(read));
  }
}
