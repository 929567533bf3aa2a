package dev.clavis.bench;

import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKK;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Template;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyGenerator;
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
 * Generation of an AES-256 session key ({@code CKA_TOKEN} false) on a SoftHSM2 token, destroyed
 * right after (Clavis, IAIK; SunPKCS11's {@code KeyGenerator} frees its keys through a cleaner).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Pkcs11KeyGenBench {

  @Param({"clavis", "sunpkcs11", "iaik"})
  public String impl;

  private static final Template SESSION_AES = Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
      .ulong(CKA.KEY_TYPE, CKK.AES).ulong(CKA.VALUE_LEN, 32).bool(CKA.TOKEN, false).bool(CKA.SENSITIVE, true)
      .bool(CKA.ENCRYPT, true).bool(CKA.DECRYPT, true).build();

  private SoftHsmBenchToken t;
  private KeyGenerator sunGen;
  private Session iaik;
  private final org.xipki.pkcs11.wrapper.Mechanism iaikGen =
      new org.xipki.pkcs11.wrapper.Mechanism(PKCS11Constants.CKM_AES_KEY_GEN);
  private final AttributeVector iaikTemplate = AttributeVector.newAESSecretKey().valueLen(32).token(false)
      .sensitive(true).encrypt(true).decrypt(true);

  @Setup
  public void setUp() throws Exception {
    t = SoftHsmBenchToken.get("ops");
    if (impl.equals("sunpkcs11")) {
      t.sunKeyStore(); // logs SunPKCS11 in
      sunGen = KeyGenerator.getInstance("AES", t.sun);
      sunGen.init(256);
    } else if (impl.equals("iaik")) {
      iaik = t.iaikSession();
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    if (iaik != null) {
      iaik.closeSession();
    }
  }

  @Benchmark
  public Object generateAes256() throws Exception {
    switch (impl) {
      case "clavis":
        return t.rawToken.call(s -> {
          long k = s.generateKey(Mechanism.of(CKM.AES_KEY_GEN), SESSION_AES);
          s.destroyObject(k);
          return k;
        });
      case "sunpkcs11":
        return sunGen.generateKey();
      default: {
        long k = iaik.generateKey(iaikGen, iaikTemplate);
        iaik.destroyObject(k);
        return k;
      }
    }
  }
}
