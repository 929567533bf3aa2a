package dev.clavis.bench;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.Argon2KeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Argon2id wall time per hash for the two parameter sets of issue 2 (RFC 9106 §4's t=3, 64 MiB,
 * p=4, and OWASP's t=2, 19 MiB, p=1), for Clavis ({@code SecretKeyFactory}), Bouncy Castle's
 * {@code Argon2BytesGenerator} (in-process) and the {@code argon2} command-line tool (the C
 * reference implementation, whole process). {@code Argon2CliStartup} runs the tool with the same
 * lanes but 8 KiB per lane and one pass: subtract it from {@code Argon2Cli} to remove process
 * start-up. Bouncy Castle's speed varies from one JVM to the next, so run several forks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(4)
public class Argon2Benchmark {

  /** {@code t<passes>_m<MiB>_p<lanes>}. */
  @Param({"t3_m64_p4", "t2_m19_p1"})
  public String parameters;

  @Param({"Clavis", "BouncyCastle", "Argon2Cli", "Argon2CliStartup"})
  public String implementation;

  private static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.US_ASCII);
  private static final String SALT = "clavis-bench-salt";

  private int t;
  private int mKiB;
  private int p;
  private SecretKeyFactory clavis;

  @Setup
  public void setup() throws Exception {
    String[] parts = parameters.split("_");
    t = Integer.parseInt(parts[0].substring(1));
    mKiB = Integer.parseInt(parts[1].substring(1)) * 1024;
    p = Integer.parseInt(parts[2].substring(1));
    clavis = SecretKeyFactory.getInstance("Argon2id", new ClavisProvider());
  }

  @Benchmark
  public byte[] hash() throws Exception {
    switch (implementation) {
      case "Clavis":
        return clavis.generateSecret(new Argon2KeySpec(PASSWORD, salt(), t, mKiB, p, 256)).getEncoded();
      case "BouncyCastle":
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withIterations(t).withMemoryAsKB(mKiB).withParallelism(p).withSalt(salt()).build());
        byte[] out = new byte[32];
        generator.generateBytes(PASSWORD, out);
        return out;
      case "Argon2Cli":
        return cli(t, mKiB, p);
      case "Argon2CliStartup":
        return cli(1, 8 * p, p);
      default:
        throw new IllegalArgumentException(implementation);
    }
  }

  private static byte[] salt() {
    return SALT.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] cli(int t, int mKiB, int p) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of("argon2", SALT, "-id", "-t", Integer.toString(t),
        "-k", Integer.toString(mKiB), "-p", Integer.toString(p), "-l", "32", "-r")).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(PASSWORD);
    }
    byte[] out = process.getInputStream().readAllBytes();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("argon2 failed: " + new String(out, StandardCharsets.US_ASCII));
    }
    return out;
  }
}
