package dev.clavis.bench;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.pkcs11.Pkcs11Config;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.provider.ClavisProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import javax.crypto.KeyGenerator;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Constants;
import org.xipki.pkcs11.wrapper.PKCS11Exception;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.Session;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.Token;

/**
 * One fresh SoftHSM2 token per benchmark JVM, opened by Clavis, SunPKCS11 and the IAIK wrapper.
 * SoftHSM2 reads {@code SOFTHSM2_CONF} when the first client calls {@code C_Initialize}, so this
 * class sets it in the process environment (libc {@code setenv}) before any of them loads it.
 * Not a benchmark; the benchmarks share it.
 */
public final class SoftHsmBenchToken {

  static final Path LIBRARY = Path.of(System.getProperty("clavis.softhsm.library", "/usr/lib/softhsm/libsofthsm2.so"));
  static final String LABEL = "bench";
  static final String PIN = "1234";

  private interface LibC extends Library {
    int setenv(String name, String value, int overwrite);
  }

  private static SoftHsmBenchToken instance;
  private static String instanceDir;

  final Pkcs11Config config;
  final KeyringEngine ring;
  final Pkcs11Token rawToken;
  final Provider clavis;
  final Provider sun;
  final KeyStore sunKeyStore;
  final Token iaikToken;

  private SoftHsmBenchToken(String name) throws Exception {
    // One token directory per kind, reused across JMH forks and runs: setting up 1,000 keys takes
    // minutes, and SoftHSM2 slows down every write as a token fills, so the operation benchmarks
    // get a token of their own.
    Path dir = Path.of(System.getProperty("clavis.bench.tokendir", System.getProperty("java.io.tmpdir")),
        "clavis-bench-softhsm-" + name);
    Path tokens = Files.createDirectories(dir.resolve("tokens"));
    Path conf = dir.resolve("softhsm2.conf");
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    Native.load("c", LibC.class).setenv("SOFTHSM2_CONF", conf.toString(), 1);
    boolean exists;
    try (var list = Files.list(tokens)) {
      exists = list.findAny().isPresent();
    }
    if (!exists) {
      ProcessBuilder pb = new ProcessBuilder(List.of("softhsm2-util", "--init-token", "--free", "--label", LABEL,
          "--so-pin", "5678", "--pin", PIN)).redirectErrorStream(true);
      pb.environment().put("SOFTHSM2_CONF", conf.toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("softhsm2-util failed: " + out);
      }
    }
    config = Pkcs11Config.builder().name("bench").library(LIBRARY).tokenLabel(LABEL).pin(PIN).build();
    ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(config).pin(PIN.toCharArray()));
    rawToken = Pkcs11Token.open(config, PIN.toCharArray());
    clavis = new ClavisProvider();
    Path sunCfg = dir.resolve("sunpkcs11.cfg");
    Files.writeString(sunCfg, "name = Bench\nlibrary = " + LIBRARY + "\nslot = " + rawToken.info().slotId() + "\n");
    sun = Security.getProvider("SunPKCS11").configure(sunCfg.toString());
    sunKeyStore = KeyStore.getInstance("PKCS11", sun);
    PKCS11Module iaik = PKCS11Module.getInstance(LIBRARY.toString());
    try {
      iaik.initialize();
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != PKCS11Constants.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        throw e;
      }
    }
    Token found = null;
    for (Slot s : iaik.getSlotList(true)) {
      if (s.getToken().getTokenInfo().getLabel().trim().equals(LABEL)) {
        found = s.getToken();
      }
    }
    iaikToken = found;
  }

  /**
   * @param name which token: {@code ops} for the operation benchmarks, {@code keys1000} for getKey
   * @return the token of this JVM, made on first use (SoftHSM2 is configured once per process)
   */
  static synchronized SoftHsmBenchToken get(String name) throws Exception {
    if (instance == null) {
      instance = new SoftHsmBenchToken(name);
      instanceDir = name;
    } else if (!instanceDir.equals(name)) {
      throw new IllegalStateException("this JVM already uses token " + instanceDir + "; run with forks (-f 1)");
    }
    return instance;
  }

  /** Creates the managed key {@code name} unless it exists. */
  void ensureKey(String name, KeyAlgorithm alg) {
    if (ring.find(name).isEmpty()) {
      ring.create(name, alg, KeyPolicy.defaults());
    }
  }

  /** Loads SunPKCS11's key store (reads every object of the token). */
  synchronized KeyStore sunKeyStore() throws Exception {
    sunKeyStore.load(null, PIN.toCharArray());
    return sunKeyStore;
  }

  /**
   * A token key SunPKCS11 made itself: its {@code KeyGenerator}'s session key, stored on the token
   * through its {@code KeyStore} under {@code alias} (once; later runs reuse it).
   */
  synchronized Key sunOwnTokenKey(String alias) throws Exception {
    KeyStore ks = sunKeyStore();
    if (!ks.containsAlias(alias)) {
      KeyGenerator g = KeyGenerator.getInstance("AES", sun);
      g.init(256);
      ks.setKeyEntry(alias, g.generateKey(), null, null);
    }
    return ks.getKey(alias, null);
  }

  /** @return a logged-in IAIK session for one benchmark thread */
  Session iaikSession() throws Exception {
    Session s = iaikToken.openSession(true);
    try {
      s.login(PKCS11Constants.CKU_USER, PIN.toCharArray());
    } catch (PKCS11Exception e) {
      if (e.getErrorCode() != PKCS11Constants.CKR_USER_ALREADY_LOGGED_IN) {
        throw e;
      }
    }
    return s;
  }

  /** @return the IAIK handle of the object labelled {@code label} */
  static long iaikFind(Session s, String label) throws Exception {
    long[] h = s.findObjectsSingle(AttributeVector.newSecretKey().label(label), 2);
    if (h.length != 1) {
      throw new IllegalStateException(h.length + " objects labelled " + label);
    }
    return h[0];
  }

}
