package dev.clavis.bench;

import dev.clavis.engine.hd.Scalar;
import dev.clavis.engine.hd.Secp256k1;
import dev.clavis.engine.hd.Secp256k1Ecdsa;
import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Clavis's pure-Java secp256k1 against libsecp256k1 (C) over JNI ({@code fr.acinq.secp256k1:
 * secp256k1-kmp-jni-jvm}), the native reference of issue 15: the public key of a private key
 * (fixed-base k·G), an ECDSA signature (RFC 6979, low S), and a BIP32 public child of an xpub
 * (HMAC-SHA512, then the tweak's k·G plus the parent point). Interleaved batches in one JVM, timed
 * in thread CPU time, as {@link Bip32CpuRatios}, so the load of a shared machine shifts both alike.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Secp256k1NativeRatios [rounds]
 * </pre>
 *
 * <p>Both sides do the same work except where noted: libsecp256k1's {@code pubkeyCreate} returns
 * the uncompressed point (no compression step), Clavis's the compressed one.
 */
public final class Secp256k1NativeRatios {

  private static final int BATCH = 500;

  private Secp256k1NativeRatios() {}

  /** One benchmarked operation: its i-th call. */
  private interface Op {
    Object run(int i) throws Exception;
  }

  /**
   * Prints ops/s of both and the ratio of their times (Clavis's time / libsecp256k1's: at most 1.0
   * means native speed).
   *
   * @param args optional number of measured rounds (default 20)
   * @throws Exception if an operation fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    fr.acinq.secp256k1.Secp256k1 nat = fr.acinq.secp256k1.Secp256k1.get();
    Random rnd = new Random(11);
    byte[][] keys = new byte[64][32];
    for (byte[] k : keys) {
      rnd.nextBytes(k);
      k[0] &= 0x7F;
    }
    byte[] hash = new byte[32];
    Secp256k1Ecdsa signer = new Secp256k1Ecdsa();
    byte[] seed = new byte[32];
    rnd.nextBytes(seed);
    ExtendedPublicKey xpub = ExtendedPublicKey.fromBase58(
        ExtendedPrivateKey.fromSeed(seed).derive("m/44'/0'/0'").getPublicKey().toBase58());
    byte[] parentPub = xpub.getCompressed();
    byte[] chainCode = xpub.getChainCode();
    Mac hmac = Mac.getInstance("HmacSHA512");
    hmac.init(new SecretKeySpec(chainCode, "HmacSHA512"));

    String[] names = {"publicKeyOfPrivateKey", "sign", "publicChildFromXpub"};
    Op[][] ops = {
      {i -> Secp256k1.publicKey(Scalar.fromBytes(keys[i & 63], 0)), i -> nat.pubkeyCreate(keys[i & 63])},
      {i -> {
        hash[0] = (byte) i;
        hash[1] = (byte) (i >> 8);
        return signer.signRaw(keys[i & 63], hash);
      }, i -> {
        hash[0] = (byte) i;
        hash[1] = (byte) (i >> 8);
        return nat.sign(hash, keys[i & 63]);
      }},
      {i -> xpub.deriveChild(i & 0x7FFFFFFF).getCompressed(), i -> {
        hmac.update(parentPub);
        hmac.update(ByteBuffer.allocate(4).putInt(i & 0x7FFFFFFF).array());
        byte[] il = java.util.Arrays.copyOf(hmac.doFinal(), 32);
        return nat.pubKeyCompress(nat.pubKeyTweakAdd(parentPub, il));
      }},
    };
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf("%-24s %14s %14s %10s%n", "operation (CPU time)", "clavis ops/s", "libsecp ops/s", "time ratio");
    int sink = 0;
    for (int o = 0; o < ops.length; o++) {
      double[] ns = new double[2];
      for (int r = -10; r < rounds; r++) { // ten warm-up rounds
        for (int side = 0; side < 2; side++) {
          long t0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < BATCH; i++) {
            sink += System.identityHashCode(ops[o][side].run(r * BATCH + i)) & 1;
          }
          long t1 = mx.getCurrentThreadCpuTime();
          if (r >= 0) {
            ns[side] += t1 - t0;
          }
        }
      }
      double n = (double) rounds * BATCH;
      System.out.printf("%-24s %14.0f %14.0f %10.2f%n", names[o], n / (ns[0] / 1e9), n / (ns[1] / 1e9), ns[0] / ns[1]);
    }
    System.out.println("(" + (sink & 1) + ")");
  }
}
