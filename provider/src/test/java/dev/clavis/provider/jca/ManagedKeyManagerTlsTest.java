package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JSSE over a Clavis key store: the KeyManagerFactories PKIX and SunX509 serve TLS 1.2 and 1.3
 * with the primary version, signing the handshake through the managed Signature; clients are the
 * JDK's own and {@code openssl s_client} (a real process).
 */
class ManagedKeyManagerTlsTest {

  @TempDir Path dir;
  KeyStore ks;
  final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  static void addClavisLast() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() throws Exception {
    ks = KeyStore.getInstance("Clavis", "Clavis");
    ks.load(new KeyringParameter(dir.resolve("tls.clavis"), "pw".toCharArray()));
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private SSLContext server(String kmf) throws Exception {
    KeyManagerFactory f = KeyManagerFactory.getInstance(kmf);
    f.init(ks, "pw".toCharArray());
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(f.getKeyManagers(), null, null);
    return c;
  }

  private static SSLContext client(Certificate trusted) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("server", trusted);
    TrustManagerFactory t = TrustManagerFactory.getInstance("PKIX");
    t.init(ts);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, t.getTrustManagers(), null);
    return c;
  }

  /** Serves one connection: reads a line, answers "hello". */
  private Future<?> serveOnce(SSLServerSocket ss) {
    return pool.submit(() -> {
      try (SSLSocket s = (SSLSocket) ss.accept()) {
        s.startHandshake();
        InputStream in = s.getInputStream();
        in.read();
        OutputStream out = s.getOutputStream();
        out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      return null;
    });
  }

  /** @return the certificate the server presented */
  private X509Certificate connect(SSLContext serverCtx, Certificate trusted, String protocol) throws Exception {
    try (SSLServerSocket ss = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0)) {
      ss.setEnabledProtocols(new String[] {protocol});
      Future<?> done = serveOnce(ss);
      try (SSLSocket c = (SSLSocket) client(trusted).getSocketFactory().createSocket("localhost", ss.getLocalPort())) {
        c.setEnabledProtocols(new String[] {protocol});
        c.startHandshake();
        assertEquals(protocol, c.getSession().getProtocol());
        c.getOutputStream().write('x');
        c.getOutputStream().flush();
        assertEquals('h', c.getInputStream().read());
        done.get(20, TimeUnit.SECONDS);
        return (X509Certificate) c.getSession().getPeerCertificates()[0];
      }
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
      "PKIX, EC_P256, TLSv1.3", "PKIX, EC_P256, TLSv1.2", "PKIX, RSA_2048, TLSv1.3", "PKIX, RSA_2048, TLSv1.2",
      "PKIX, EC_P384, TLSv1.3", "SunX509, EC_P256, TLSv1.3", "SunX509, RSA_2048, TLSv1.2", "SunX509, RSA_2048, TLSv1.3"})
  void keyManager_servesTls_withThePrimaryVersion_toTheJdkClient(String kmf, KeyPairFixtures.Type t, String protocol)
      throws Exception {
    KeyPair kp = t.generate();
    Certificate[] chain = KeyPairFixtures.chain(kp, "localhost");
    ks.setKeyEntry("tls", kp.getPrivate(), null, chain);
    assertEquals(chain[0], connect(server(kmf), chain[0], protocol));
    String usage = ks.getEntry("tls", null).getAttributes().stream()
        .filter(a -> a.getName().equals("clavis.usage")).findFirst().orElseThrow().getValue();
    assertEquals("1", usage, "the handshake was signed by Clavis, one counted use");
  }

  @Test
  void afterRotation_aNewSslContextPresentsTheNewCertificate() throws Exception {
    KeyPair a = KeyPairFixtures.Type.EC_P256.generate();
    KeyPair b = KeyPairFixtures.Type.EC_P256.generate();
    Certificate[] ca = KeyPairFixtures.chain(a, "localhost v1");
    Certificate[] cb = KeyPairFixtures.chain(b, "localhost v2");
    ks.setKeyEntry("tls", a.getPrivate(), null, ca);
    assertEquals(ca[0], connect(server("PKIX"), ca[0], "TLSv1.3"));
    ks.setKeyEntry("tls", b.getPrivate(), null, cb);
    assertEquals(cb[0], connect(server("PKIX"), cb[0], "TLSv1.3"));
    assertEquals(cb[0], connect(server("SunX509"), cb[0], "TLSv1.2"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"EC_P256, -tls1_3", "EC_P256, -tls1_2", "RSA_2048, -tls1_3", "RSA_2048, -tls1_2", "EC_P384, -tls1_3"})
  void opensslClient_completesTheHandshake_andSeesTheStoredCertificate(KeyPairFixtures.Type t, String flag)
      throws Exception {
    KeyPair kp = t.generate();
    Certificate[] chain = KeyPairFixtures.chain(kp, "localhost");
    ks.setKeyEntry("tls", kp.getPrivate(), null, chain);
    Path pem = dir.resolve("ca.pem");
    Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(chain[0].getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    try (SSLServerSocket ss = (SSLServerSocket) server("PKIX").getServerSocketFactory().createServerSocket(0)) {
      Future<?> done = serveOnce(ss);
      Process p = new ProcessBuilder("openssl", "s_client", "-connect", "localhost:" + ss.getLocalPort(), flag,
          "-CAfile", pem.toString(), "-verify_return_error", "-servername", "localhost")
          .redirectErrorStream(true).start();
      p.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
      p.getOutputStream().flush();
      done.get(30, TimeUnit.SECONDS);
      p.getOutputStream().close();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl s_client did not end");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(out.contains("Verify return code: 0 (ok)"), out);
      assertTrue(out.contains(flag.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2"), out);
      assertTrue(out.contains("hello"), out);
    }
  }
}
