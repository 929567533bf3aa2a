package dev.clavis.bench;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.Argon2KeySpec;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKeyFactory;

/**
 * Clavis against the {@code argon2} command-line tool, interleaved round by round so that both
 * see the same machine load (the JMH runs of {@link Argon2Benchmark} measure one after the other,
 * which on a shared machine skews the ratio). Each round times one Clavis hash in this JVM, one
 * {@code argon2} process with the same parameters, and one {@code argon2} process with 8 KiB per
 * lane and one pass (its start-up); it prints the medians and the ratio Clavis / (CLI - start-up).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.clavis.bench.Argon2SideBySide 3 65536 4 40
 * </pre>
 *
 * Arguments: passes t, memory in KiB, lanes p, rounds (the first third is warm-up).
 */
public final class Argon2SideBySide {

  private static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.US_ASCII);
  private static final String SALT = "clavis-bench-salt";

  private Argon2SideBySide() {}

  /**
   * Runs the comparison.
   *
   * @param args t, memory KiB, p, rounds
   * @throws Exception if the tool cannot be run
   */
  public static void main(String[] args) throws Exception {
    int t = Integer.parseInt(args[0]);
    int m = Integer.parseInt(args[1]);
    int p = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    SecretKeyFactory clavis = SecretKeyFactory.getInstance("Argon2id", new ClavisProvider());
    byte[] salt = SALT.getBytes(StandardCharsets.US_ASCII);
    double[] own = new double[rounds];
    double[] cli = new double[rounds];
    double[] startup = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      byte[] tag = clavis.generateSecret(new Argon2KeySpec(PASSWORD, salt, t, m, p, 256)).getEncoded();
      own[i] = (System.nanoTime() - start) / 1e6;
      start = System.nanoTime();
      String hex = cli(t, m, p);
      cli[i] = (System.nanoTime() - start) / 1e6;
      start = System.nanoTime();
      cli(1, 8 * p, p);
      startup[i] = (System.nanoTime() - start) / 1e6;
      if (!hex.equals(java.util.HexFormat.of().formatHex(tag))) {
        throw new IllegalStateException("Clavis and argon2 disagree");
      }
    }
    int skip = rounds / 3;
    double ownMedian = median(own, skip);
    double cliMedian = median(cli, skip);
    double startupMedian = median(startup, skip);
    System.out.printf("Argon2id t=%d m=%d KiB p=%d, %d rounds (median of the last %d):%n",
        t, m, p, rounds, rounds - skip);
    System.out.printf("  Clavis %.1f ms | argon2 CLI %.1f ms - start-up %.1f ms = %.1f ms"
        + " | Clavis / CLI = %.2f%n", ownMedian, cliMedian, startupMedian,
        cliMedian - startupMedian, ownMedian / (cliMedian - startupMedian));
  }

  private static double median(double[] values, int skip) {
    double[] kept = Arrays.copyOfRange(values, skip, values.length);
    Arrays.sort(kept);
    return kept[kept.length / 2];
  }

  private static String cli(int t, int m, int p) throws Exception {
    Process process = new ProcessBuilder(List.of("argon2", SALT, "-id", "-t", Integer.toString(t),
        "-k", Integer.toString(m), "-p", Integer.toString(p), "-l", "32", "-r")).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(PASSWORD);
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("argon2 failed: " + out);
    }
    return out;
  }
}
