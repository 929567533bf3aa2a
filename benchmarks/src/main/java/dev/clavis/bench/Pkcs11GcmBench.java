package dev.clavis.bench;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import java.security.Key;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.spec.GCMParameterSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.params.GCM_PARAMS;

/**
 * AES-256-GCM encryption of 1 KiB with a key on a SoftHSM2 token: Clavis's managed
 * {@code AES/GCM/NoPadding} (lifecycle checks included) against SunPKCS11 and the IAIK wrapper.
 * Run with {@code -t 1} and {@code -t 2}.
 *
 * <p>{@code clavis} is what an application writes: {@code Cipher.getInstance("AES/GCM/NoPadding")}
 * with no provider (JCA's delayed selection finds the installed Clavis provider at the first
 * {@code init}) and a {@code ClavisPKCS11} handle; {@code clavis-named} names the provider.
 * {@code sunpkcs11} uses the same token object through SunPKCS11's key store;
 * {@code sunpkcs11-own} a token key SunPKCS11 made itself ({@code KeyGenerator} of SunPKCS11,
 * stored with its {@code KeyStore.setKeyEntry}); {@code sunpkcs11-session} a session key of its
 * {@code KeyGenerator}, which is not on the token.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Pkcs11GcmBench {

  /** {@code clavis}: managed Cipher (lifecycle, usage count); {@code clavis-binding}: the JNA binding alone. */
  @Param({"clavis", "clavis-named", "clavis-binding", "sunpkcs11", "sunpkcs11-own", "sunpkcs11-session", "iaik"})
  public String impl;

  private final SecureRandom random = new SecureRandom();
  private final byte[] data = new byte[1024];
  private Cipher cipher;
  private Key key;
  private Session iaik;
  private long iaikKey;
  private Pkcs11Token token;
  private long handle;

  @Setup
  public void setUp() throws Exception {
    SoftHsmBenchToken t = SoftHsmBenchToken.get("ops");
    t.ensureKey("bench-gcm", KeyAlgorithm.AES_256);
    switch (impl) {
      case "clavis":
        if (Security.getProvider(t.clavis.getName()) == null) {
          Security.addProvider(t.clavis);
        }
        key = t.ring.handle(KeyRef.of("bench-gcm"));
        cipher = Cipher.getInstance("AES/GCM/NoPadding"); // delayed provider selection
        break;
      case "clavis-named":
        key = t.ring.handle(KeyRef.of("bench-gcm"));
        cipher = Cipher.getInstance("AES/GCM/NoPadding", t.clavis);
        break;
      case "clavis-binding":
        token = t.rawToken;
        handle = token.call(s -> s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
            .string(CKA.LABEL, "bench-gcm#1").build())[0]);
        break;
      case "sunpkcs11":
        key = t.sunKeyStore().getKey("bench-gcm#1", null);
        cipher = Cipher.getInstance("AES/GCM/NoPadding", t.sun);
        break;
      case "sunpkcs11-own":
        key = t.sunOwnTokenKey("sun-gcm");
        cipher = Cipher.getInstance("AES/GCM/NoPadding", t.sun);
        break;
      case "sunpkcs11-session": {
        t.sunKeyStore(); // logs SunPKCS11 in
        KeyGenerator g = KeyGenerator.getInstance("AES", t.sun);
        g.init(256);
        key = g.generateKey();
        cipher = Cipher.getInstance("AES/GCM/NoPadding", t.sun);
        break;
      }
      case "iaik":
        iaik = t.iaikSession();
        iaikKey = SoftHsmBenchToken.iaikFind(iaik, "bench-gcm#1");
        break;
      default:
        throw new IllegalArgumentException(impl);
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    if (iaik != null) {
      iaik.closeSession();
    }
  }

  @Benchmark
  public byte[] encrypt1KiB() throws Exception {
    switch (impl) {
      case "clavis":
      case "clavis-named":
        cipher.init(Cipher.ENCRYPT_MODE, key); // Clavis draws the 12-byte IV
        return cipher.doFinal(data);
      case "clavis-binding": {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        return token.call(s -> s.encrypt(dev.clavis.pkcs11.Mechanism.gcm(iv, null, 128), handle, data));
      }
      case "sunpkcs11":
      case "sunpkcs11-own":
      case "sunpkcs11-session": {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        return cipher.doFinal(data);
      }
      default: {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        return iaik.encryptSingle(new Mechanism(PKCS11Constants.CKM_AES_GCM, new GCM_PARAMS(iv, null, 128)), iaikKey, data);
      }
    }
  }
}
