package dev.clavis.bench;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPairMaterial;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.provider.x509.SelfSignedCertificate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Issue 12's signing targets, each pair measured in turns inside one JVM (as
 * {@link Pkcs11GcmSideBySide}), in thread CPU time (SoftHSM2 signs in this thread too), the median
 * of the per-round ratios printed:
 *
 * <ul>
 *   <li>{@code file}: {@code Signature} with a managed handle of a file-store keyring (lifecycle
 *       check and usage count per signature) against the same key as a plain {@code PrivateKey}
 *       on SunEC / SunRsaSign, for EC P-256, Ed25519 and RSA-2048 (target ≥ 0.9);
 *   <li>{@code token}: {@link TokenSignBench}'s Clavis managed handle on SoftHSM2 against
 *       SunPKCS11 with a key it imported itself, ECDSA P-256 (target ≥ 1.0; SunPKCS11 of JDK 17 has
 *       no EdDSA, so Ed25519 has no competitor there).
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.SignSideBySide file [rounds] [batch]
 * java -Dclavis.bench.tokendir=/tmp/tok -cp benchmarks/target/benchmarks.jar dev.clavis.bench.SignSideBySide token
 * </pre>
 *
 * Every operation is {@code initSign}, {@code update} of 32 bytes, {@code sign}, as in
 * {@link TokenSignBench}. The ratio is Clavis's operations per second over the other's.
 */
public final class SignSideBySide {

  private SignSideBySide() {}

  /** One signature. */
  private interface Op {
    byte[] sign() throws Exception;
  }

  /**
   * @param args {@code file} or {@code token}, then rounds (default 21) and batch (default 200)
   * @throws Exception if a signer fails
   */
  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "file";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 21;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    System.out.printf("%-28s %14s %14s %14s%n", "signature (CPU time)", "clavis ops/s", "other ops/s", "median ratio");
    if (what.equals("token")) {
      TokenSignBench clavis = new TokenSignBench();
      clavis.alg = "EC_P256";
      clavis.impl = "clavis";
      clavis.setUp();
      TokenSignBench sun = new TokenSignBench();
      sun.alg = "EC_P256";
      sun.impl = "sunpkcs11";
      sun.setUp();
      compare("SHA256withECDSA SoftHSM2 vs SunPKCS11", clavis::sign, sun::sign, rounds, batch);
      return;
    }
    KeyringEngine ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)),
        Clock.systemUTC(), Duration.ofMillis(20));
    ClavisProvider provider = new ClavisProvider();
    String[][] cases = {
      {"EC_P256", "EC", "SHA256withECDSA", "SunEC"},
      {"ED25519", "Ed25519", "Ed25519", "SunEC"},
      {"RSA", "RSA", "SHA256withRSA", "SunRsaSign"},
    };
    for (String[] c : cases) {
      KeyPairGenerator g = KeyPairGenerator.getInstance(c[1], c[3]);
      if (c[1].equals("EC")) {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      } else if (c[1].equals("RSA")) {
        g.initialize(2048);
      }
      KeyPair kp = g.generateKeyPair();
      String name = "bench-" + c[0].toLowerCase();
      ring.importKeyPair(name, KeyAlgorithm.valueOf(c[0]), KeyPairMaterial.of(kp.getPrivate().getEncoded(),
          List.of(SelfSignedCertificate.create("CN=" + name, kp.getPublic(), kp.getPrivate(),
              Instant.now().minusSeconds(60), Duration.ofDays(3650)).getEncoded())), KeyPolicy.defaults());
      PrivateKey handle = ring.privateKeyHandle(KeyRef.of(name));
      Signature managed = Signature.getInstance(c[2], provider);
      Signature plain = Signature.getInstance(c[2], c[3]);
      byte[] data = new byte[32];
      compare(c[2] + " managed vs " + c[3], () -> {
        managed.initSign(handle);
        managed.update(data);
        return managed.sign();
      }, () -> {
        plain.initSign(kp.getPrivate());
        plain.update(data);
        return plain.sign();
      }, rounds, batch);
    }
    ring.close();
  }

  private static void compare(String label, Op clavis, Op other, int rounds, int batch) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<Double> ratios = new ArrayList<>();
    double[] ns = new double[2];
    int sink = 0;
    for (int r = -5; r < rounds; r++) { // five warm-up rounds
      double[] t = new double[2];
      for (int i = 0; i < 2; i++) {
        int side = (i + r) & 1; // alternate which goes first
        Op op = side == 0 ? clavis : other;
        long t0 = mx.getCurrentThreadCpuTime();
        for (int j = 0; j < batch; j++) {
          sink += op.sign().length;
        }
        t[side] = mx.getCurrentThreadCpuTime() - t0;
      }
      if (r >= 0) {
        ratios.add(t[1] / t[0]);
        ns[0] += t[0];
        ns[1] += t[1];
      }
    }
    Collections.sort(ratios);
    double n = (double) rounds * batch;
    System.out.printf("%-28s %14.0f %14.0f %14.2f   (rounds %.2f–%.2f) (%d)%n", label, n / (ns[0] / 1e9),
        n / (ns[1] / 1e9), ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1), sink & 1);
  }
}
