package dev.clavis.bench;

import dev.clavis.engine.hd.Secp256k1Ecdsa;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * secp256k1 SHA256withECDSA signing with RFC 6979 nonces: Clavis's constant-time engine
 * ({@link Secp256k1Ecdsa}, low S, DER) against Bouncy Castle's {@code ECDSASigner} with
 * {@code HMacDSAKCalculator} on its custom secp256k1 curve (same nonce, low S applied, DER), in the
 * same run; each operation hashes a 64-byte message and signs it. Issue 12 asks ≥ 3× BC.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Secp256k1SignBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Secp256k1SignBenchmark {

  private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256k1");

  /** The implementation under test. */
  @Param({"clavis", "bouncycastle"})
  public String impl;

  private final byte[] key = new byte[32];
  private final byte[] message = new byte[64];
  private Secp256k1Ecdsa clavis;
  private ECDomainParameters domain;
  private ECPrivateKeyParameters bcKey;
  private MessageDigest sha256;

  /** A fixed key; the message changes at every operation. */
  @Setup
  public void setup() throws Exception {
    Random r = new Random(7);
    r.nextBytes(key);
    key[0] &= 0x7F;
    r.nextBytes(message);
    clavis = new Secp256k1Ecdsa();
    domain = new ECDomainParameters(X9);
    bcKey = new ECPrivateKeyParameters(new BigInteger(1, key), domain);
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  /** @return the DER signature of the next message */
  @Benchmark
  public byte[] sign() throws Exception {
    message[0]++;
    byte[] hash = sha256.digest(message);
    if (impl.equals("clavis")) {
      return clavis.signDer(key, hash);
    }
    ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    s.init(true, bcKey);
    BigInteger[] rs = s.generateSignature(hash);
    BigInteger n = domain.getN();
    BigInteger low = rs[1].compareTo(n.shiftRight(1)) > 0 ? n.subtract(rs[1]) : rs[1];
    return StandardDSAEncoding.INSTANCE.encode(n, rs[0], low);
  }
}
