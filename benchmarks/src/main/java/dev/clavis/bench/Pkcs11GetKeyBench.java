package dev.clavis.bench;

import dev.clavis.keyring.KeyAlgorithm;
import java.security.KeyStore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Session;

/**
 * {@code getKey} by name with 1,000 keys on a SoftHSM2 token: Clavis's {@code ClavisPKCS11}
 * KeyStore (an in-memory index kept coherent with the token) against SunPKCS11's KeyStore and the
 * IAIK wrapper's {@code C_FindObjects} by label.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Pkcs11GetKeyBench {

  static final int KEYS = 1000;

  @Param({"clavis", "sunpkcs11", "iaik"})
  public String impl;

  private KeyStore ks;
  private Session iaik;

  @Setup
  public void setUp() throws Exception {
    SoftHsmBenchToken t = SoftHsmBenchToken.get("keys1000");
    synchronized (SoftHsmBenchToken.class) {
      for (int i = 0; i < KEYS; i++) {
        t.ensureKey("k" + i, KeyAlgorithm.AES_256);
      }
    }
    switch (impl) {
      case "clavis":
        ks = KeyStore.getInstance("ClavisPKCS11", t.clavis.configure(writeConfig(t).toString()));
        ks.load(null, SoftHsmBenchToken.PIN.toCharArray());
        break;
      case "sunpkcs11":
        ks = t.sunKeyStore();
        break;
      default:
        iaik = t.iaikSession();
    }
  }

  private static java.nio.file.Path writeConfig(SoftHsmBenchToken t) throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("clavis-bench", ".cfg");
    java.nio.file.Files.writeString(f, "name = bench\nlibrary = " + SoftHsmBenchToken.LIBRARY + "\ntokenLabel = "
        + SoftHsmBenchToken.LABEL + "\n");
    return f;
  }

  @TearDown
  public void tearDown() throws Exception {
    if (iaik != null) {
      iaik.closeSession();
    }
  }

  @Benchmark
  public Object getKeyByName() throws Exception {
    int i = ThreadLocalRandom.current().nextInt(KEYS);
    switch (impl) {
      case "clavis":
        return ks.getKey("k" + i, null);
      case "sunpkcs11":
        return ks.getKey("k" + i + "#1", null);
      default:
        return iaik.findObjectsSingle(AttributeVector.newSecretKey().label("k" + i + "#1"), 2);
    }
  }
}
