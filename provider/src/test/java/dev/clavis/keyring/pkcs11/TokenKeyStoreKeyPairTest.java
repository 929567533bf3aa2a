package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.provider.x509.SelfSignedCertificate;
import dev.clavis.testkit.SoftHsm;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.clavis.testkit.ChildJvm;
import dev.clavis.testkit.FreshToken;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code ClavisPKCS11} key store with key pairs: {@code setKeyEntry} of a software private key
 * imports it onto the token, the entry answers as PKCS12's would, and a {@code KeyManagerFactory}
 * over the store serves TLS 1.3 to the JDK's client with the handshake signed on the token.
 */
class TokenKeyStoreKeyPairTest {

  @BeforeAll
  static void providers() {
    TokenKeyStores.installProvider();
  }

  private static KeyStore store() throws Exception {
    return TokenKeyStores.open();
  }

  private static Certificate[] chain(KeyPair kp, String cn) throws Exception {
    X509Certificate c = SelfSignedCertificate.create("CN=" + cn, kp.getPublic(), kp.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(30));
    return new Certificate[] {c};
  }

  @Test
  void setKeyEntry_ofASoftwareKey_importsItOntoTheToken_andTheEntrySignsThere() throws Exception {
    KeyStore ks = store();
    String n = "ks-" + UUID.randomUUID().toString().substring(0, 8);
    KeyPair kp = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 0);
    Certificate[] chain = chain(kp, n);
    ks.setKeyEntry(n, kp.getPrivate(), null, chain);
    assertTrue(ks.isKeyEntry(n));
    assertArrayEquals(chain, ks.getCertificateChain(n));
    assertEquals(chain[0], ks.getCertificate(n + "#1"));
    assertEquals(n, ks.getCertificateAlias(chain[0]));
    Key k = ks.getKey(n, null);
    assertNull(k.getEncoded(), "the handle has no encoding");
    // a second store instance (another engine) sees the entry from the token alone
    KeyStore again = store();
    assertArrayEquals(chain, again.getCertificateChain(n));
    long before = TokenSigner.SIGN_CALLS.get();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign((PrivateKey) again.getKey(n, null));
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    assertEquals(before + 1, TokenSigner.SIGN_CALLS.get());
    Signature v = Signature.getInstance("SHA256withECDSA", "SunEC");
    v.initVerify(kp.getPublic());
    v.update(new byte[] {1, 2, 3});
    assertTrue(v.verify(sig));
  }

  @Test
  void caReply_replacesTheChainOfTheVersionItCertifies_onTheToken_andAWrongReplyChangesNothing() throws Exception {
    KeyStore ks = store();
    String n = "reply-" + UUID.randomUUID().toString().substring(0, 8);
    KeyPair kp = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 0);
    Certificate[] selfSigned = chain(kp, n);
    ks.setKeyEntry(n, kp.getPrivate(), null, selfSigned);
    KeyPair ca = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 0);
    X509Certificate caCert = SelfSignedCertificate.create("CN=Test CA", ca.getPublic(), ca.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(300));
    X509Certificate issued = SelfSignedCertificate.create("CN=" + n + " issued", kp.getPublic(), ca.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(90));
    Certificate[] reply = {issued, caCert};
    // a reply certifying another key: refused, the chain unchanged
    X509Certificate wrong = SelfSignedCertificate.create("CN=other", ca.getPublic(), ca.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(90));
    assertThrows(java.security.KeyStoreException.class,
        () -> ks.setKeyEntry(n, ks.getKey(n, null), null, new Certificate[] {wrong}));
    assertArrayEquals(selfSigned, store().getCertificateChain(n));
    ks.setKeyEntry(n, ks.getKey(n, null), null, reply);
    assertArrayEquals(reply, ks.getCertificateChain(n));
    assertArrayEquals(reply, store().getCertificateChain(n), "on the token: another store instance reads it");
    // still version 1, still signing on the token
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign((PrivateKey) ks.getKey(n + "#1", null));
    s.update(new byte[] {9});
    Signature v = Signature.getInstance("SHA256withECDSA", "SunEC");
    v.initVerify(issued.getPublicKey());
    v.update(new byte[] {9});
    assertTrue(v.verify(s.sign()));
  }

  /**
   * On a fresh token of its own (so the key manager sees only this entry), in a child JVM: the
   * handshake's CertificateVerify is signed by {@code C_Sign} on the token.
   */
  @Test
  void keyManagerPkix_overTheTokenStore_servesTls13_signingTheHandshakeOnTheToken(@TempDir Path dir) throws Exception {
    FreshToken t = SoftHsm.freshToken(dir, "tls", "5678", "4321");
    Path conf = dir.resolve("clavis-token.conf");
    Files.writeString(conf, "name = tls\nlibrary = " + SoftHsm.LIBRARY + "\ntokenLabel = tls\npin = 4321\n"
        + "auditLog = " + dir.resolve("audit.log") + "\n");
    Process p = ChildJvm.builder(TokenTlsHandshakeMain.class, t.environment(), conf.toString(), "4321")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("protocol=TLSv1.3"), out);
    assertTrue(out.contains("peer=CN=localhost"), out);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("signCalls=(\\d+)").matcher(out);
    assertTrue(m.find(), out);
    assertTrue(Long.parseLong(m.group(1)) >= 1, "the CertificateVerify was signed with C_Sign on the token: " + out);
  }
}
