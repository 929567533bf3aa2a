package dev.clavis.bench;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code getKey} + {@code Cipher.init} + a 1 KiB AES-GCM encryption (random IV): a managed handle
 * from a live Clavis KeyStore through plain {@code Cipher.getInstance("AES/GCM/NoPadding")} (Clavis
 * added last, so delayed provider selection reaches it), against a plain {@code SecretKeySpec} on
 * SunJCE. The difference is the cost of the lifecycle: state check, usage count, primary lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ManagedGcmBenchmark {

  @Param({"Clavis", "SunJCE"})
  public String impl;

  private static final char[] PW = "pw".toCharArray();
  private final byte[] plaintext = new byte[1024];
  private final byte[] out = new byte[1024 + 16];
  private KeyStore ks;
  private Key plain;
  private Cipher cipher;
  private Path dir;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
    new SecureRandom().nextBytes(plaintext);
    if (impl.equals("Clavis")) {
      dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench-gcm");
      ks = KeyStore.getInstance("Clavis");
      ks.load(new KeyringParameter(dir.resolve("g.clavis"), PW));
      ks.setKeyEntry("payments", new SecretKeySpec(new byte[32], "AES"), PW, null);
      cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } else {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      plain = new SecretKeySpec(k, "AES");
      cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (dir != null) {
      try (var s = Files.list(dir)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  /** getKey (Clavis) + init + 1 KiB GCM. */
  @Benchmark
  public int getKeyInitEncrypt1KiB() throws Exception {
    Key k = ks != null ? ks.getKey("payments", null) : plain;
    cipher.init(Cipher.ENCRYPT_MODE, k);
    return cipher.doFinal(plaintext, 0, plaintext.length, out, 0);
  }
}
