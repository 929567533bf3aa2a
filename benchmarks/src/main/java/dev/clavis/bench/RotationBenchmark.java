package dev.clavis.bench;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * Durable rotations per second with one writer: each rotation generates a version, appends to the
 * audit log (fsync), writes the store aside (fsync), renames it and forces the directory. The
 * store lives under {@code target/} on the real disk, with {@code keys} keys in it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class RotationBenchmark {

  @Param({"100", "1000"})
  public int keys;

  private Keyring ring;
  private Path dir;
  private int next;

  @Setup(Level.Trial)
  public void open() throws Exception {
    dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bench-rotate");
    ring = Keyrings.openFile(dir.resolve("r.clavis"), "pw".toCharArray(), KdfParameters.argon2id(1, 1024, 1).allowingWeak());
    for (int i = 0; i < keys; i++) {
      ring.create("k" + i, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    ring.close();
    try (var s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** One durable rotation. */
  @Benchmark
  public int rotate() {
    return ring.rotate("k" + (next++ % keys), "benchmark").version();
  }
}
