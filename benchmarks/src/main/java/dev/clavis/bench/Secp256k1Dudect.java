package dev.clavis.bench;

import dev.clavis.engine.hd.Scalar;
import dev.clavis.engine.hd.Secp256k1;
import java.security.SecureRandom;

/**
 * A dudect-style check (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", 2017)
 * of the fixed-base multiplication for secret scalars, {@code Secp256k1.publicKey}: the time of one
 * call is measured for two classes of scalars chosen at random per measurement, a fixed one and
 * fresh random ones, and Welch's t statistic of the two timing samples is printed, with the
 * upper 10 % of each class cropped (dudect's treatment of interrupts and load). |t| above 4.5
 * flags a timing difference between the classes. The same is run on {@code Secp256k1.mulGVar}
 * (direct table reads and a variable-time inversion, for public scalars only) to show the test
 * sees a difference where there is one.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Secp256k1Dudect [measurements per target]
 * </pre>
 *
 * A statistic, not a proof: a low |t| on this machine means no difference was seen at this sample
 * size. The reason the code is constant time is in {@code Secp256k1Ecdsa}'s Javadoc (every table
 * entry read and masked, no branch or index on the scalar, safegcd inversions).
 */
public final class Secp256k1Dudect {

  private Secp256k1Dudect() {}

  /** One operation under test. */
  private interface Target {
    byte[] run(long[] k);
  }

  /**
   * @param args optional number of measurements per target (default 200,000)
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    report("publicKey (constant time)", Secp256k1::publicKey, n);
    report("mulGVar (variable time, public scalars)", Secp256k1::mulGVar, n);
  }

  private static void report(String name, Target target, int n) {
    SecureRandom random = new SecureRandom();
    long[] fixed = Scalar.fromBytes(new byte[] {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 0);
    byte[] raw = new byte[32];
    long[][] scalars = new long[2][];
    long[] times = new long[n];
    boolean[] cls = new boolean[n];
    int sink = 0;
    for (int i = -n / 4; i < n; i++) { // a quarter of n as warm-up
      boolean isFixed = random.nextBoolean();
      long[] k;
      if (isFixed) {
        k = fixed;
      } else {
        do {
          random.nextBytes(raw);
          k = Scalar.fromBytes(raw, 0);
        } while (!Scalar.isValidPrivate(k));
      }
      scalars[0] = k;
      long t0 = System.nanoTime();
      sink += target.run(scalars[0])[1];
      long t = System.nanoTime() - t0;
      if (i >= 0) {
        times[i] = t;
        cls[i] = isFixed;
      }
    }
    double[] tFixed = crop(times, cls, true);
    double[] tRandom = crop(times, cls, false);
    System.out.printf("%-42s |t| = %6.2f  (fixed %.2f µs, random %.2f µs, %d + %d measurements)%s (%d)%n", name,
        Math.abs(welch(tFixed, tRandom)), mean(tFixed) / 1e3, mean(tRandom) / 1e3, tFixed.length, tRandom.length,
        Math.abs(welch(tFixed, tRandom)) > 4.5 ? "  <- differs" : "", sink & 1);
  }

  /** The measurements of one class, its slowest 10 % dropped. */
  private static double[] crop(long[] times, boolean[] cls, boolean which) {
    int c = 0;
    for (boolean b : cls) {
      c += b == which ? 1 : 0;
    }
    long[] mine = new long[c];
    for (int i = 0, j = 0; i < times.length; i++) {
      if (cls[i] == which) {
        mine[j++] = times[i];
      }
    }
    java.util.Arrays.sort(mine);
    int keep = (int) (mine.length * 0.9);
    double[] out = new double[keep];
    for (int i = 0; i < keep; i++) {
      out[i] = mine[i];
    }
    return out;
  }

  private static double mean(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s / a.length;
  }

  private static double welch(double[] a, double[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double va = 0;
    double vb = 0;
    for (double x : a) {
      va += (x - ma) * (x - ma);
    }
    for (double x : b) {
      vb += (x - mb) * (x - mb);
    }
    va /= a.length - 1;
    vb /= b.length - 1;
    return (ma - mb) / Math.sqrt(va / a.length + vb / b.length);
  }
}
