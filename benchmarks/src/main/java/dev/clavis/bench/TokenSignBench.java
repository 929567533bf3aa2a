package dev.clavis.bench;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One signature of 32 bytes with a key pair on a SoftHSM2 token: Clavis's managed
 * {@code Signature} (lifecycle check and usage count per message, {@code C_Sign} on the token)
 * against SunPKCS11 with a key it imported itself, and Clavis's JNA binding alone.
 * {@code SHA256withECDSA} on P-256 and {@code Ed25519} (SunPKCS11 of JDK 17 has no EdDSA).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenSignBench {

  @Param({"EC_P256", "ED25519"})
  public String alg;

  @Param({"clavis", "sunpkcs11", "clavis-binding"})
  public String impl;

  private final byte[] data = new byte[32];
  private Signature signature;
  private PrivateKey key;
  private Pkcs11Token token;
  private long handle;
  private Mechanism mechanism;

  private static KeyPair generate(boolean ec) throws Exception {
    if (!ec) {
      return KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static Certificate[] chain(KeyPair kp, String cn) throws Exception {
    return new Certificate[] {SelfSignedCertificate.create("CN=" + cn, kp.getPublic(), kp.getPrivate(),
        Instant.now().minusSeconds(60), Duration.ofDays(3650))};
  }

  @Setup
  public void setUp() throws Exception {
    SoftHsmBenchToken t = SoftHsmBenchToken.get("sign");
    boolean ec = alg.equals("EC_P256");
    String jca = ec ? "SHA256withECDSA" : "Ed25519";
    String name = "bench-sign-" + alg.toLowerCase();
    if (t.ring.find(name).isEmpty()) {
      KeyPair kp = generate(ec);
      t.ring.importKeyPair(name, KeyAlgorithm.valueOf(alg), KeyPairMaterial.of(kp.getPrivate().getEncoded(),
          List.of(chain(kp, name)[0].getEncoded())), KeyPolicy.defaults());
    }
    switch (impl) {
      case "clavis":
        key = t.ring.privateKeyHandle(KeyRef.of(name));
        signature = Signature.getInstance(jca, t.clavis);
        break;
      case "sunpkcs11": {
        String alias = "sun-" + alg.toLowerCase();
        KeyStore ks = t.sunKeyStore();
        if (!ks.containsAlias(alias)) {
          KeyPair kp = generate(ec);
          ks.setKeyEntry(alias, kp.getPrivate(), null, chain(kp, alias));
          ks = t.sunKeyStore();
        }
        key = (PrivateKey) ks.getKey(alias, null);
        signature = Signature.getInstance(jca, t.sun); // NoSuchAlgorithmException for Ed25519 on JDK 17
        break;
      }
      case "clavis-binding":
        token = t.rawToken;
        handle = token.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.PRIVATE_KEY)
            .string(CKA.LABEL, name + "#1").build())[0]);
        mechanism = Mechanism.of(ec ? CKM.ECDSA : CKM.EDDSA);
        break;
      default:
        throw new IllegalArgumentException(impl);
    }
  }

  @Benchmark
  public byte[] sign() throws Exception {
    if (token != null) {
      // the binding alone: for ECDSA the caller's digest (32 bytes) is signed as it is
      return token.call(s -> s.sign(mechanism, handle, data));
    }
    signature.initSign(key);
    signature.update(data);
    return signature.sign();
  }
}
