package dev.clavis.bench;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Template;
import dev.clavis.pkcs11.TokenKeyWrap;
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
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.Session;

/**
 * KW (RFC 3394) and KWP (RFC 5649) wrap of a 32-byte key held on a SoftHSM2 token under a token
 * KEK: Clavis's binding (through its session pool and the known-answer-tested mechanisms) against
 * the IAIK wrapper's {@code C_WrapKey}. SunPKCS11 on JDK 17 offers no KW/KWP. Run with
 * {@code -t 1} and {@code -t 2}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Pkcs11WrapBench {

  @Param({"clavis", "iaik"})
  public String impl;

  @Param({"KW", "KWP"})
  public String mode;

  private SoftHsmBenchToken t;
  private TokenKeyWrap wrap;
  private long kek;
  private long key;
  private Session iaik;
  private long iaikKek;
  private long iaikKeyHandle;
  private org.xipki.pkcs11.wrapper.Mechanism iaikMech;

  @Setup
  public void setUp() throws Exception {
    t = SoftHsmBenchToken.get("ops");
    t.ensureKey("bench-kek", KeyAlgorithm.AES_256);
    if (impl.equals("clavis")) {
      wrap = ((dev.clavis.keyring.pkcs11.TokenKeyBackend) t.ring.backend()).keyWrap();
      long[] handles = t.rawToken.call(s -> {
        long k = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).string(CKA.LABEL, "bench-kek#1").build())[0];
        long d = s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
            .ulong(CKA.KEY_TYPE, CKK.AES).ulong(CKA.VALUE_LEN, 32).bool(CKA.TOKEN, false).bool(CKA.SENSITIVE, true)
            .bool(CKA.EXTRACTABLE, true).build());
        return new long[] {k, d};
      });
      kek = handles[0];
      key = handles[1];
    } else {
      iaik = t.iaikSession();
      iaikKek = SoftHsmBenchToken.iaikFind(iaik, "bench-kek#1");
      iaikKeyHandle = iaik.generateKey(new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_AES_KEY_GEN),
          AttributeVector.newAESSecretKey().valueLen(32).token(false).sensitive(true).extractable(true));
      iaikMech = new org.xipki.pkcs11.wrapper.Mechanism(mode.equals("KW")
          ? PKCS11Constants.CKM_AES_KEY_WRAP : PKCS11Constants.CKM_AES_KEY_WRAP_PAD);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    if (iaik != null) {
      iaik.closeSession();
    }
  }

  @Benchmark
  public byte[] wrap32ByteKey() throws Exception {
    if (impl.equals("clavis")) {
      return mode.equals("KW")
          ? t.rawToken.call(s -> wrap.wrapKw(s, kek, key))
          : t.rawToken.call(s -> wrap.wrapKwp(s, kek, key, 32));
    }
    return iaik.wrapKey(iaikMech, iaikKek, iaikKeyHandle);
  }
}
