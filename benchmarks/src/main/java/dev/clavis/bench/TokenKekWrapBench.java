package dev.clavis.bench;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
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
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.Session;

/**
 * KWP wrap of a 32-byte software key under a KEK held on a SoftHSM2 token. {@code clavis}: the
 * JCA call, {@code Cipher.getInstance("AES/KWP/NoPadding", clavis).wrap(key)} with the managed
 * handle (per-operation lifecycle check and usage count, the key put on the token as a session
 * object, {@code C_WrapKey}, destroyed). {@code iaik-import}: the IAIK wrapper doing the same
 * token work ({@code C_CreateObject}, {@code C_WrapKey}, {@code C_DestroyObject});
 * {@code iaik-wraponly}: its bare {@code C_WrapKey} of a key already on the token, a lower bound.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenKekWrapBench {

  @Param({"clavis", "iaik-import", "iaik-wraponly"})
  public String impl;

  private SoftHsmBenchToken t;
  private Cipher cipher;
  private SecretKey software;
  private Session iaik;
  private long iaikKek;
  private long iaikKey;
  private Mechanism pad;
  private byte[] value;

  @Setup
  public void setUp() throws Exception {
    t = SoftHsmBenchToken.get("ops");
    t.ensureKey("bench-kek", KeyAlgorithm.AES_256);
    value = new byte[32];
    new java.security.SecureRandom().nextBytes(value);
    software = new SecretKeySpec(value, "AES");
    if (impl.equals("clavis")) {
      cipher = Cipher.getInstance("AES/KWP/NoPadding", t.clavis);
      cipher.init(Cipher.WRAP_MODE, t.ring.handle(KeyRef.of("bench-kek")));
    } else {
      iaik = t.iaikSession();
      iaikKek = SoftHsmBenchToken.iaikFind(iaik, "bench-kek#" + t.ring.find("bench-kek").orElseThrow().primary().orElseThrow().version());
      pad = new Mechanism(PKCS11Constants.CKM_AES_KEY_WRAP_PAD);
      iaikKey = iaik.createObject(carrier());
    }
  }

  private AttributeVector carrier() {
    return AttributeVector.newSecretKey(PKCS11Constants.CKK_GENERIC_SECRET).value(value).token(false)
        .sensitive(false).extractable(true);
  }

  @TearDown
  public void tearDown() throws Exception {
    if (iaik != null) {
      iaik.destroyObject(iaikKey);
      iaik.closeSession();
    }
  }

  @Benchmark
  public byte[] kwpWrap32ByteSoftwareKey() throws Exception {
    switch (impl) {
      case "clavis":
        return cipher.wrap(software);
      case "iaik-import":
        long h = iaik.createObject(carrier());
        try {
          return iaik.wrapKey(pad, iaikKek, h);
        } finally {
          iaik.destroyObject(h);
        }
      default:
        return iaik.wrapKey(pad, iaikKek, iaikKey);
    }
  }
}
