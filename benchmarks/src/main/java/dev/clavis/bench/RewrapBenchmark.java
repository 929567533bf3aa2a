package dev.clavis.bench;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Rewrap 10,000 KWP-wrapped 256-bit DEKs after a KEK rotation (unwrap under the old version, wrap
 * under the new): Clavis's {@code rewrapDataKeys}, which interleaves the DEKs through AES/ECB,
 * against a SunJCE {@code AES/KWP/NoPadding} loop, one DEK at a time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class RewrapBenchmark {

  @Param({"Clavis", "SunJCE"})
  public String impl;

  @Param({"10000"})
  public int deks;

  private KeyringEngine ring;
  private List<byte[]> wrapped;
  private SecretKeySpec oldKek;
  private SecretKeySpec newKek;
  private Cipher unwrap;
  private Cipher wrap;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    SecureRandom r = new SecureRandom();
    wrapped = new ArrayList<>(deks);
    if (impl.equals("Clavis")) {
      ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1)), Clock.systemUTC(),
          Duration.ofMillis(20));
      ring.create("kek", KeyAlgorithm.AES_256, KeyPolicy.defaults());
      for (int i = 0; i < deks; i++) {
        wrapped.add(ring.generateDataKey("kek", 256).wrapped());
      }
      ring.rotate("kek", "benchmark");
    } else {
      byte[] a = new byte[32];
      byte[] b = new byte[32];
      r.nextBytes(a);
      r.nextBytes(b);
      oldKek = new SecretKeySpec(a, "AES");
      newKek = new SecretKeySpec(b, "AES");
      unwrap = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
      wrap = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
      Cipher w = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
      byte[] dek = new byte[32];
      for (int i = 0; i < deks; i++) {
        r.nextBytes(dek);
        w.init(Cipher.ENCRYPT_MODE, oldKek);
        wrapped.add(w.doFinal(dek));
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (ring != null) {
      ring.close();
    }
  }

  /** Unwraps every DEK under the old KEK and wraps it under the new one. */
  @Benchmark
  public List<byte[]> rewrapAll() throws Exception {
    if (ring != null) {
      return ring.rewrapDataKeys(wrapped);
    }
    List<byte[]> out = new ArrayList<>(wrapped.size());
    for (byte[] w : wrapped) {
      unwrap.init(Cipher.DECRYPT_MODE, oldKek);
      byte[] dek = unwrap.doFinal(w);
      wrap.init(Cipher.ENCRYPT_MODE, newKek);
      out.add(wrap.doFinal(dek));
    }
    return out;
  }

  static KeyRef kek() {
    return KeyRef.of("kek");
  }
}
