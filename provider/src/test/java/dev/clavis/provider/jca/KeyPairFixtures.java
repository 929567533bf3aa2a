package dev.clavis.provider.jca;

import dev.clavis.provider.x509.SelfSignedCertificate;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;

/** Key pairs of the JDK's own providers with self-signed certificates, for key-store and signature tests. */
final class KeyPairFixtures {

  private KeyPairFixtures() {}

  /** A key type Clavis holds, with the signature it is tested with and the JDK provider that checks it. */
  enum Type {
    EC_P256("EC", "secp256r1", 0, "SHA256withECDSA", "SunEC"),
    EC_P384("EC", "secp384r1", 0, "SHA384withECDSA", "SunEC"),
    RSA_2048("RSA", null, 2048, "SHA256withRSA", "SunRsaSign"),
    RSA_3072("RSA", null, 3072, "SHA384withRSA", "SunRsaSign"),
    ED25519("Ed25519", null, 0, "Ed25519", "SunEC");

    final String keyAlg;
    final String curve;
    final int bits;
    final String sigAlg;
    final String jdkProvider;

    Type(String keyAlg, String curve, int bits, String sigAlg, String jdkProvider) {
      this.keyAlg = keyAlg;
      this.curve = curve;
      this.bits = bits;
      this.sigAlg = sigAlg;
      this.jdkProvider = jdkProvider;
    }

    KeyPair generate() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance(keyAlg, keyAlg.equals("RSA") ? "SunRsaSign" : "SunEC");
      if (curve != null) {
        g.initialize(new ECGenParameterSpec(curve));
      } else if (bits != 0) {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    }
  }

  static KeyPair pair(String alg, Object spec) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
    if (spec instanceof Integer) {
      g.initialize((Integer) spec);
    } else if (spec instanceof String) {
      g.initialize(new ECGenParameterSpec((String) spec));
    }
    return g.generateKeyPair();
  }

  static X509Certificate selfSigned(KeyPair kp, String cn) throws Exception {
    return SelfSignedCertificate.create("CN=" + cn, kp.getPublic(), kp.getPrivate(), Instant.now().minusSeconds(60),
        Duration.ofDays(30));
  }

  static Certificate[] chain(KeyPair kp, String cn) throws Exception {
    return new Certificate[] {selfSigned(kp, cn)};
  }
}
