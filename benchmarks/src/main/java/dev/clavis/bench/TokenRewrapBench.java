package dev.clavis.bench;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.DataKeyRewrap;
import dev.clavis.keyring.KeyAlgorithm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.Session;

/**
 * KEK rotation on a SoftHSM2 token: rewrap 1,000 wrapped 32-byte data keys from the old KEK
 * version to the new one, on the token. The score is data keys per second
 * ({@code @OperationsPerInvocation(1000)}). {@code clavis}: {@code rewrapDataKeysReport}
 * ({@code C_UnwrapKey} into a sensitive session object, the length trial, {@code C_WrapKey},
 * destroy; lifecycle checks, one usage grant for the batch, the report checked: every key kept on
 * the token). {@code iaik}: a loop of the IAIK wrapper doing {@code C_UnwrapKey},
 * {@code C_WrapKey}, {@code C_DestroyObject} per key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenRewrapBench {

  private static final int DEKS = 1000;
  private static final String KEK = "bench-rot-kek";

  @Param({"clavis", "iaik"})
  public String impl;

  private SoftHsmBenchToken t;
  private List<byte[]> wrapped;
  private List<byte[]> payloads;
  private Session iaik;
  private long oldKek;
  private long newKek;
  private Mechanism pad;
  private AttributeVector held;

  @Setup
  public void setUp() throws Exception {
    t = SoftHsmBenchToken.get("ops");
    t.ensureKey(KEK, KeyAlgorithm.AES_256);
    wrapped = new ArrayList<>(DEKS);
    payloads = new ArrayList<>(DEKS);
    int header = 4 + 1 + KEK.length() + 4;
    for (int i = 0; i < DEKS; i++) {
      DataKey d = t.ring.generateDataKey(KEK, 256);
      wrapped.add(d.wrapped());
      payloads.add(Arrays.copyOfRange(d.wrapped(), header, d.wrapped().length));
      d.destroy();
    }
    int old = d0Version();
    t.ring.rotate(KEK, "bench");
    if (impl.equals("iaik")) {
      iaik = t.iaikSession();
      oldKek = SoftHsmBenchToken.iaikFind(iaik, KEK + "#" + old);
      newKek = SoftHsmBenchToken.iaikFind(iaik, KEK + "#" + (old + 1));
      pad = new Mechanism(PKCS11Constants.CKM_AES_KEY_WRAP_PAD);
      held = AttributeVector.newSecretKey(PKCS11Constants.CKK_AES).token(false).sensitive(true).extractable(true);
    }
  }

  private int d0Version() {
    return t.ring.find(KEK).orElseThrow().primary().orElseThrow().version();
  }

  @TearDown
  public void tearDown() throws Exception {
    if (iaik != null) {
      iaik.closeSession();
    }
  }

  @Benchmark
  @OperationsPerInvocation(DEKS)
  public Object rewrap1000DataKeys() throws Exception {
    if (impl.equals("clavis")) {
      DataKeyRewrap r = t.ring.rewrapDataKeysReport(wrapped);
      if (r.keptInBackend() != DEKS) {
        throw new IllegalStateException("not all data keys stayed on the token: " + r);
      }
      return r;
    }
    List<byte[]> out = new ArrayList<>(DEKS);
    for (byte[] p : payloads) {
      long h = iaik.unwrapKey(pad, oldKek, p, held);
      try {
        out.add(iaik.wrapKey(pad, newKek, h));
      } finally {
        iaik.destroyObject(h);
      }
    }
    return out;
  }
}
