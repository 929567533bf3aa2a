package dev.clavis.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.clavis.provider.ClavisProvider;
import java.security.Key;
import java.security.Security;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
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
 * AES Key Wrap with padding (RFC 5649, {@code AES/KWP/NoPadding}, 256-bit KEK): Clavis against
 * SunJCE and the Amazon Corretto Crypto Provider (AWS-LC in native code over JNI), in the same
 * run. ACCP offers KWP only, hence a class of its own beside {@link KeyWrapBenchmark}.
 * Benchmarks as in {@link KeyWrapBenchmark}; average time, ns/op.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar KeyWrapAccpBenchmark -f 2 -wi 3 -i 5 -w 500ms -r 500ms
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyWrapAccpBenchmark {

  @Param({"Clavis", "SunJCE", "AmazonCorrettoCryptoProvider"})
  public String provider;

  /** Bytes of key data wrapped. */
  @Param({"32", "20"})
  public int keyBytes;

  private static final String ALGORITHM = "AES/KWP/NoPadding";
  private SecretKey kek;
  private SecretKey key;
  private Cipher wrapper;
  private Cipher unwrapper;
  private byte[] wrapped;

  @Setup
  public void setup() throws Exception {
    if (Security.getProvider(ClavisProvider.NAME) == null) {
      Security.addProvider(new ClavisProvider());
    }
    if (Security.getProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME) == null) {
      // Added last: it must not become anybody's default.
      Security.addProvider(AmazonCorrettoCryptoProvider.INSTANCE);
    }
    AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (i * 7 + 1);
    }
    kek = new SecretKeySpec(k, "AES");
    byte[] data = new byte[keyBytes];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 13 + 5);
    }
    key = new SecretKeySpec(data, "AES");
    wrapper = Cipher.getInstance(ALGORITHM, provider);
    wrapper.init(Cipher.WRAP_MODE, kek);
    unwrapper = Cipher.getInstance(ALGORITHM, provider);
    unwrapper.init(Cipher.UNWRAP_MODE, kek);
    wrapped = wrapper.wrap(key);
  }

  @Benchmark
  public byte[] wrap() throws Exception {
    return wrapper.wrap(key);
  }

  @Benchmark
  public Key unwrap() throws Exception {
    return unwrapper.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
  }

  @Benchmark
  public byte[] getInstanceInitWrap() throws Exception {
    Cipher c = Cipher.getInstance(ALGORITHM, provider);
    c.init(Cipher.WRAP_MODE, kek);
    return c.wrap(key);
  }
}
