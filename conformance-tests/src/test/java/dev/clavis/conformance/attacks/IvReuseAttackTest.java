package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Key;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: make Clavis encrypt twice under one key version with one GCM IV (NIST SP 800-38D §8:
 * that forfeits confidentiality and authenticity), through every public path: one Cipher
 * re-initialised with an old IV, a second Cipher, a second handle of the same version
 * ({@code pay} vs {@code pay#1}), two threads, two processes, a caller's {@code SecureRandom},
 * and the keyring's envelopes beside the Cipher.
 *
 * <p>Each test records the IV of every encryption that succeeded under {@code pay#1} in one
 * ledger and proves two things: every IV a caller brought was refused at {@code init} with an
 * {@code InvalidAlgorithmParameterException} saying Clavis draws the IV, and no IV in the ledger
 * repeats. (Refusals that come from elsewhere, such as SunJCE's check of the last IV of one
 * pooled Cipher, do not count: the ledger sees through them.)
 */
class IvReuseAttackTest {

  @TempDir Path dir;

  private final Provider clavis = new ClavisProvider();
  private final Set<ByteBuffer> ledger = ConcurrentHashMap.newKeySet();
  private Path store;
  private Keyring ring;

  @BeforeEach
  void key() {
    store = dir.resolve("iv.store");
    ring = Keyrings.openFile(store, GcmLimitChildJvm.PASSWORD.toCharArray(), TestStores.LIGHTEST_KDF);
    ring.create("pay", KeyAlgorithm.AES_256, KeyPolicy.defaults());
  }

  @AfterEach
  void close() {
    ring.close();
  }

  private Cipher gcm() throws GeneralSecurityException {
    return Cipher.getInstance("AES/GCM/NoPadding", clavis);
  }

  private void record(byte[] iv, String path) {
    assertTrue(ledger.add(ByteBuffer.wrap(iv.clone())),
        "IV " + HexFormat.of().formatHex(iv) + " used twice under pay#1 (" + path + ")");
  }

  /** An encryption Clavis starts (no parameters): it must succeed, its IV goes into the ledger. */
  private void encrypt(Cipher c, Key h, String path) throws GeneralSecurityException {
    c.init(Cipher.ENCRYPT_MODE, h);
    c.doFinal(new byte[8]);
    record(c.getIV(), path);
  }

  /** An encryption under a caller's IV: it must be refused at init, naming why. */
  private void attackWithIv(Cipher c, Key h, byte[] iv, String path) throws GeneralSecurityException {
    try {
      c.init(Cipher.ENCRYPT_MODE, h, new GCMParameterSpec(128, iv));
    } catch (InvalidAlgorithmParameterException e) {
      assertTrue(e.getMessage().contains("Clavis draws the IV"), path + ": " + e.getMessage());
      return;
    }
    try {
      c.doFinal(new byte[8]);
    } catch (IllegalStateException e) {
      // refused late, by someone else's check: the attack still reached the key
    }
    record(iv, path); // on Clavis before issue 9 this is where reuse shows
    fail(path + ": a caller's IV was accepted for encryption under a managed key");
  }

  @Test
  void sameCipher_reinitialisedWithAnIvUsedTwoEncryptionsAgo_isRefused() throws Exception {
    ManagedKey h = ring.handle(KeyRef.of("pay"));
    Cipher c = gcm();
    encrypt(c, h, "first");
    byte[] old = c.getIV();
    encrypt(c, h, "second");
    attackWithIv(c, h, old, "same Cipher, IV of two encryptions ago");
  }

  @Test
  void sameCallerIv_inTwoCipherObjects_isRefused() throws Exception {
    ManagedKey h = ring.handle(KeyRef.of("pay"));
    byte[] iv = new byte[12];
    attackWithIv(gcm(), h, iv, "first Cipher");
    encrypt(gcm(), h, "in between"); // moves any per-thread pool on
    attackWithIv(gcm(), h, iv, "second Cipher");
  }

  @Test
  void sameIv_throughTheNameHandleAndTheVersionHandle_isRefused() throws Exception {
    Cipher c = gcm();
    encrypt(c, ring.handle(KeyRef.of("pay")), "name handle");
    byte[] used = c.getIV();
    encrypt(gcm(), ring.handle(KeyRef.of("pay")), "in between");
    attackWithIv(c, ring.handle(KeyRef.of("pay", 1)), used, "pay#1 handle after pay");
    attackWithIv(gcm(), ring.handle(KeyRef.of("pay", 1)), used, "second Cipher on pay#1");
  }

  @Test
  void algorithmParametersInsteadOfASpec_isRefusedToo() throws Exception {
    AlgorithmParameters p = AlgorithmParameters.getInstance("GCM");
    p.init(new GCMParameterSpec(128, new byte[12]));
    Cipher c = gcm();
    try {
      c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("pay")), p);
      fail("AlgorithmParameters carried a caller's IV into encryption");
    } catch (InvalidAlgorithmParameterException e) {
      assertTrue(e.getMessage().contains("Clavis draws the IV"), e.getMessage());
    }
  }

  @Test
  void twoThreads_eachWithTheSameCallerIv_andDrawnIvs_neverShareOne() throws Exception {
    ManagedKey h = ring.handle(KeyRef.of("pay"));
    byte[] iv = new byte[12];
    CountDownLatch go = new CountDownLatch(1);
    List<Throwable> failures = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      String name = "thread " + t;
      Thread th = new Thread(() -> {
        try {
          go.await();
          Cipher c = gcm();
          attackWithIv(c, h, iv, name);
          for (int i = 0; i < 500; i++) {
            encrypt(c, h, name);
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      th.start();
      threads.add(th);
    }
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(failures.get(0));
    }
    assertEquals(1000, ledger.size());
  }

  @Test
  void aCallersSecureRandom_cannotChooseTheIv() throws Exception {
    SecureRandom zeros = new SecureRandom() {
      @Override
      public void nextBytes(byte[] b) {
        Arrays.fill(b, (byte) 0);
      }
    };
    ManagedKey h = ring.handle(KeyRef.of("pay"));
    for (int i = 0; i < 3; i++) {
      Cipher c = gcm();
      c.init(Cipher.ENCRYPT_MODE, h, zeros);
      c.doFinal(new byte[8]);
      record(c.getIV(), "caller SecureRandom " + i);
    }
  }

  @Test
  void envelopesAndCiphers_drawFromOneSource_andNeverShareAnIv() throws Exception {
    ManagedKey h = ring.handle(KeyRef.of("pay"));
    Cipher c = gcm();
    for (int i = 0; i < 1000; i++) {
      encrypt(c, h, "Cipher");
      byte[] env = ring.encrypt("pay", new byte[1], null);
      // envelope = "CLV" 0x01 | u8 n | name | u32 version | IV (12) | ...
      int at = 5 + (env[4] & 0xFF) + 4;
      record(Arrays.copyOfRange(env, at, at + 12), "envelope");
    }
  }

  @Test
  void twoProcesses_encryptingUnderOneVersion_neverDrawOneIvTwice_andRefuseCallerIvs() throws Exception {
    ring.close(); // the children open the store themselves
    int n = 3000;
    Process a = GcmLimitChildJvm.start(IvReuseWorker.class, store.toString(), "pay", Integer.toString(n));
    Process b = GcmLimitChildJvm.start(IvReuseWorker.class, store.toString(), "pay", Integer.toString(n));
    String[] outs = {GcmLimitChildJvm.finish(a), GcmLimitChildJvm.finish(b)};
    HexFormat hex = HexFormat.of();
    for (int p = 0; p < 2; p++) {
      String[] lines = outs[p].split("\n");
      assertTrue(lines[0].startsWith("caller-iv refused InvalidAlgorithmParameterException")
          && lines[0].contains("Clavis draws the IV"), "process " + p + ": " + lines[0]);
      assertEquals(n + 1, lines.length, "process " + p + " output");
      for (int i = 1; i < lines.length; i++) {
        record(hex.parseHex(lines[i]), "process " + p);
      }
    }
    assertEquals(2 * n, ledger.size());
    ring = Keyrings.openFile(store, GcmLimitChildJvm.PASSWORD.toCharArray(), TestStores.LIGHTEST_KDF);
    long count = ring.find("pay").orElseThrow().version(1).orElseThrow().usageCount();
    assertFalse(count < 2L * n, "the invocation count must not under-count: " + count);
  }
}
