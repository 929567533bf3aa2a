package dev.clavis.bench;

import dev.clavis.hd.ExtendedPrivateKey;
import dev.clavis.hd.ExtendedPublicKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import org.bitcoinj.crypto.ChildNumber;
import org.bitcoinj.crypto.DeterministicKey;
import org.bitcoinj.crypto.HDKeyDerivation;

/**
 * BIP32 public child derivation (CKDpub) from an xpub, Clavis against bitcoinj, for a shared and
 * noisy machine (as {@link Bip32CpuRatios}): the two run in interleaved batches within one JVM and
 * are timed in <em>thread CPU time</em>, so load from other processes shifts both alike. One
 * operation is the child of a fixed xpub at the next index, with its compressed public key (what a
 * watch-only wallet does for every receive address); "clavis-batch" derives the same children as
 * runs of {@value #RUN} with {@code ExtendedPublicKey.deriveChildren}. {@link XpubChildBenchmark} is
 * the JMH form.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.XpubChildCpuRatio [rounds]
 * </pre>
 */
public final class XpubChildCpuRatio {

  private static final int BATCH = 1000;
  private static final int RUN = 20;
  private static final String[] IMPLS = {"clavis", "clavis-batch", "bitcoinj"};
  private static volatile Object sink;

  private XpubChildCpuRatio() {}

  /**
   * Prints CPU-time children per second of both (median of the rounds' rates) and their ratio.
   *
   * @param args optional number of measured rounds (default 30)
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    byte[] seed = new byte[64];
    new Random(42).nextBytes(seed);
    ExtendedPublicKey clavis = ExtendedPrivateKey.fromSeed(seed).derive("m/44'/0'/0'").getPublicKey();
    clavis = ExtendedPublicKey.fromBase58(clavis.toBase58()); // a parsed xpub, as a watch-only wallet has
    DeterministicKey bitcoinj = DeterministicKey.deserializeB58(clavis.toBase58(), org.bitcoinj.params.MainNetParams.get());
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] rate = new double[IMPLS.length][rounds];
    int index = 0;
    for (int r = -5; r < rounds; r++) { // five warm-up rounds
      for (int impl = 0; impl < IMPLS.length; impl++) {
        int start = index;
        long t0 = mx.getCurrentThreadCpuTime();
        if (impl == 1) {
          for (int i = start; i < start + BATCH; i += RUN) {
            for (ExtendedPublicKey k : clavis.deriveChildren(i, RUN)) {
              sink = k.getCompressed();
            }
          }
        } else {
          for (int i = start; i < start + BATCH; i++) {
            sink = impl == 0
                ? clavis.deriveChild(i).getCompressed()
                : HDKeyDerivation.deriveChildKey(bitcoinj, new ChildNumber(i)).getPubKey();
          }
        }
        long t = mx.getCurrentThreadCpuTime() - t0;
        if (r >= 0) {
          rate[impl][r] = BATCH * 1e9 / t;
        }
      }
      index += BATCH; // both derive the same indices in a round
    }
    double c = median(rate[0]);
    double b = median(rate[1]);
    double j = median(rate[2]);
    System.out.printf("xpub child (CPU time, median of %d interleaved rounds of %d): clavis %,.0f/s, bitcoinj %,.0f/s,"
        + " ratio %.2fx; runs of %d (deriveChildren) %,.0f/s, ratio %.2fx; JDK %s%n",
        rounds, BATCH, c, j, c / j, RUN, b, b / j, Runtime.version());
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
