package dev.clavis.bench;

import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.KeyringParameter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Security;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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

/**
 * Open a key store of N AES-256 keys and read every key (its raw bytes: {@code getKey} then
 * {@code getEncoded}), Clavis against the JDK's PKCS12 and JCEKS and Bouncy Castle's BCFKS, each
 * with its default protection. Clavis's store uses the default Argon2id (t=3, m=64 MiB, p=4) and
 * exportable keys so that {@code getEncoded} decrypts each record, as the others do.
 *
 * <p>The competitors are slow (a PBKDF2 per key); run them with smaller N
 * ({@code -p keys=1000}) and extrapolate linearly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class KeyStoreOpenBenchmark {

  @Param({"Clavis", "PKCS12", "JCEKS", "BCFKS"})
  public String type;

  @Param({"1000", "10000", "100000"})
  public int keys;

  private static final char[] PW = "benchmark password".toCharArray();
  private Path file;

  @Setup(Level.Trial)
  public void create() throws Exception {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
    if (Security.getProvider("BC") == null) {
      Security.addProvider(new BouncyCastleProvider());
    }
    Path dir = Files.createDirectories(Path.of("target", "bench-stores"));
    file = dir.resolve("open-" + type + "-" + keys + ".ks");
    if (Files.exists(file)) {
      return; // stores are reused across runs: building a PKCS12 of 10,000 keys takes minutes
    }
    Path tmp = dir.resolve(file.getFileName() + ".building");
    Files.deleteIfExists(tmp);
    byte[] raw = new byte[32];
    java.security.SecureRandom r = new java.security.SecureRandom();
    if (type.equals("Clavis")) {
      dev.clavis.keyring.Keyring ring = dev.clavis.keyring.Keyrings.openFile(tmp, PW);
      try {
        // one transaction for all keys: importing one by one rewrites the file each time
        java.util.Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
          byte[] k = new byte[32];
          r.nextBytes(k);
          m.put("key-" + i, k);
        }
        ring.importKeys(m, dev.clavis.keyring.KeyAlgorithm.AES_256,
            dev.clavis.keyring.KeyPolicy.builder().exportable(true).build());
      } finally {
        ring.close();
      }
      Files.deleteIfExists(dir.resolve(tmp.getFileName() + ".audit"));
      Files.deleteIfExists(dir.resolve(tmp.getFileName() + ".lock"));
    } else {
      KeyStore ks = type.equals("BCFKS") ? KeyStore.getInstance(type, "BC") : KeyStore.getInstance(type);
      ks.load(null, null);
      for (int i = 0; i < keys; i++) {
        r.nextBytes(raw);
        ks.setEntry("key-" + i, new KeyStore.SecretKeyEntry(new SecretKeySpec(raw, "AES")),
            new KeyStore.PasswordProtection(PW));
      }
      try (var out = Files.newOutputStream(tmp)) {
        ks.store(out, PW);
      }
    }
    Files.move(tmp, file);
  }

  /** Loads the store and reads the material of every key. */
  @Benchmark
  public long openAndReadEveryKey() throws Exception {
    KeyStore ks;
    if (type.equals("Clavis")) {
      ks = KeyStore.getInstance("Clavis", "Clavis");
      try (InputStream in = Files.newInputStream(file)) {
        ks.load(in, PW);
      }
    } else {
      ks = type.equals("BCFKS") ? KeyStore.getInstance(type, "BC") : KeyStore.getInstance(type);
      try (InputStream in = Files.newInputStream(file)) {
        ks.load(in, PW);
      }
    }
    long sum = 0;
    for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
      Key k = ks.getKey(e.nextElement(), PW);
      sum += k.getEncoded()[0];
    }
    return sum;
  }
}
