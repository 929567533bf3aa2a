package dev.clavis.bench;

import dev.clavis.provider.ClavisProvider;
import java.security.Key;
import java.security.Security;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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
 * AES Key Wrap (RFC 3394, "KW") and with padding (RFC 5649, "KWP") under a 256-bit KEK: Clavis
 * against SunJCE and Bouncy Castle in the same run.
 *
 * <ul>
 *   <li>{@code wrap}, {@code unwrap}: a cipher initialised once, one key per call.
 *   <li>{@code getInstanceInitWrap}: {@code Cipher.getInstance} + {@code init} + {@code wrap}
 *       per call, the pattern of code that wraps one key and drops the cipher.
 * </ul>
 *
 * <p>{@code variant}: {@code KW-32} and {@code KWP-32} wrap a 256-bit key, {@code KWP-20} a
 * 20-byte one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyWrapBenchmark {

  @Param({"Clavis", "SunJCE", "BC"})
  public String provider;

  @Param({"KW-32", "KWP-32", "KWP-20"})
  public String variant;

  private String algorithm;
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
    if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    boolean padded = variant.startsWith("KWP");
    // Each provider's own name for the algorithm (BC has no "AES/KW/NoPadding").
    algorithm = provider.equals("BC") ? (padded ? "AESWrapPad" : "AESWrap")
        : (padded ? "AES/KWP/NoPadding" : "AES/KW/NoPadding");
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (i * 7 + 1);
    }
    kek = new SecretKeySpec(k, "AES");
    byte[] data = new byte[Integer.parseInt(variant.substring(variant.indexOf('-') + 1))];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 13 + 5);
    }
    key = new SecretKeySpec(data, "AES");
    wrapper = Cipher.getInstance(algorithm, provider);
    wrapper.init(Cipher.WRAP_MODE, kek);
    unwrapper = Cipher.getInstance(algorithm, provider);
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
    Cipher c = Cipher.getInstance(algorithm, provider);
    c.init(Cipher.WRAP_MODE, kek);
    return c.wrap(key);
  }
}
