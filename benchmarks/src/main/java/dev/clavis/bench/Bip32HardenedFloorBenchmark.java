package dev.clavis.bench;

import dev.clavis.engine.hd.HmacSha512;
import dev.clavis.hd.ExtendedPrivateKey;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A BIP32 hardened private child against its floor, in one run: the HMAC-SHA512 of the 37-byte
 * child data, by the JDK's {@code Mac} (initialised once, {@code doFinal} per operation: four
 * SHA-512 compressions) and by Clavis's {@link HmacSha512} (ipad/opad states precomputed: two),
 * and the whole child derivation. Throughput, operations per second.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Bip32HardenedFloorBenchmark -f 2 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Bip32HardenedFloorBenchmark {

  private static final int HARDENED = 0x80000000;

  private final byte[] data = new byte[37];
  private final byte[] out = new byte[64];
  private Mac jdkMac;
  private HmacSha512 clavisHmac;
  private ExtendedPrivateKey parent;
  private int counter;

  /** One parent and one chain code for every benchmark. */
  @Setup
  public void setup() throws Exception {
    Random r = new Random(42);
    byte[] seed = new byte[64];
    r.nextBytes(seed);
    parent = ExtendedPrivateKey.fromSeed(seed).derive("m/44'/0'/0'");
    parent.deriveChild(0); // warms the parent's HMAC state and fingerprint
    byte[] chainCode = parent.getChainCode();
    jdkMac = Mac.getInstance("HmacSHA512");
    jdkMac.init(new SecretKeySpec(chainCode, "HmacSHA512"));
    clavisHmac = new HmacSha512(chainCode);
    r.nextBytes(data);
  }

  private int next() {
    int i = counter++;
    data[36] = (byte) i;
    return i & 0x7FFFFFFF;
  }

  /** The JDK's HmacSHA512, its key set once: the "HmacSHA512 alone" floor. */
  @Benchmark
  public byte[] jdkHmacSha512() throws ShortBufferException {
    next();
    jdkMac.update(data);
    jdkMac.doFinal(out, 0);
    return out;
  }

  /** Clavis's HMAC-SHA512 with precomputed states, as a hardened child uses it. */
  @Benchmark
  public byte[] clavisHmacSha512() {
    next();
    return clavisHmac.mac(data, 0, 37);
  }

  /** A whole hardened private child (CKDpriv): HMAC, the scalar addition mod n, the new node. */
  @Benchmark
  public Object clavisHardenedChild() {
    return parent.deriveChild(next() | HARDENED);
  }
}
