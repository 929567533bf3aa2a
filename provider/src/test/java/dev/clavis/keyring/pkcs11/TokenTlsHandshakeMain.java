package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Child JVM of {@link TokenKeyStoreKeyPairTest}: imports an EC P-256 key into the
 * {@code ClavisPKCS11} store of the token configured by {@code args[0]}, serves one TLS 1.3
 * handshake to the JDK's client with a {@code KeyManagerFactory} PKIX over that store, and prints
 * the protocol, the peer's subject and the number of {@code C_Sign} calls made.
 */
public final class TokenTlsHandshakeMain {

  private TokenTlsHandshakeMain() {}

  public static void main(String[] args) throws Exception {
    Security.addProvider(new ClavisProvider());
    Provider p = new ClavisProvider().configure(args[0]);
    KeyStore ks = KeyStore.getInstance("ClavisPKCS11", p);
    ks.load(null, args[1].toCharArray());
    KeyPair kp = TokenKeyPairTest.generate(KeyAlgorithm.EC_P256, 0);
    X509Certificate cert = SelfSignedCertificate.create("CN=localhost", kp.getPublic(), kp.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(30));
    ks.setKeyEntry("tls", kp.getPrivate(), null, new Certificate[] {cert});
    KeyManagerFactory f = KeyManagerFactory.getInstance("PKIX");
    f.init(ks, args[1].toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(f.getKeyManagers(), null, null);
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("server", cert);
    TrustManagerFactory t = TrustManagerFactory.getInstance("PKIX");
    t.init(ts);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, t.getTrustManagers(), null);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    long before = TokenSigner.SIGN_CALLS.get();
    try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
      ss.setEnabledProtocols(new String[] {"TLSv1.3"});
      Future<?> done = pool.submit(() -> {
        try (SSLSocket s = (SSLSocket) ss.accept()) {
          s.startHandshake();
          InputStream in = s.getInputStream();
          in.read();
          OutputStream out = s.getOutputStream();
          out.write('h');
          out.flush();
        }
        return null;
      });
      try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("localhost", ss.getLocalPort())) {
        c.setEnabledProtocols(new String[] {"TLSv1.3"});
        c.startHandshake();
        c.getOutputStream().write('x');
        c.getOutputStream().flush();
        if (c.getInputStream().read() != 'h') {
          throw new IllegalStateException("no answer over TLS");
        }
        done.get(20, TimeUnit.SECONDS);
        System.out.println("protocol=" + c.getSession().getProtocol());
        System.out.println("peer=" + ((X509Certificate) c.getSession().getPeerCertificates()[0])
            .getSubjectX500Principal().getName());
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("signCalls=" + (TokenSigner.SIGN_CALLS.get() - before));
    System.exit(0);
  }
}
