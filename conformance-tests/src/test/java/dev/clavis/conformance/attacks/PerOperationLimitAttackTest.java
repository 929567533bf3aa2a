package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attack: get more out of one {@code init} than the lifecycle allows. A usage limit of 3 must
 * give 3 operations however many {@code doFinal}/{@code wrap} calls one initialised Mac or Cipher
 * makes, and a version revoked between two operations (in this process, or by the CLI in another
 * process) must refuse the next operation, within a second for the other process.
 */
class PerOperationLimitAttackTest {

  private static final Key DEK = new SecretKeySpec(new byte[16], "AES");

  @TempDir Path dir;

  private final Provider clavis = new ClavisProvider();
  private Path store;
  private Keyring ring;

  @BeforeEach
  void open() {
    store = dir.resolve("ops.store");
    ring = Keyrings.openFile(store, GcmLimitChildJvm.PASSWORD.toCharArray(), TestStores.LIGHTEST_KDF);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  /** One operation of an already initialised Mac or Cipher; throws when refused. */
  interface Op {
    void run() throws Exception;
  }

  /** The paths under attack, each initialised once. */
  enum Path_ {
    MAC, KW_WRAP, KWP_WRAP, KW_ENCRYPT, KWP_UNWRAP, GCM_ENCRYPT, GCM_DECRYPT
  }

  private static boolean isHmac(Path_ p) {
    return p == Path_.MAC;
  }

  /** Initialises the path once under {@code ref} and returns one operation of it. */
  private Op initOnce(Path_ p, KeyRef ref) throws GeneralSecurityException {
    ManagedKey h = ring.handle(ref);
    switch (p) {
      case MAC: {
        Mac m = Mac.getInstance("HmacSHA256", clavis);
        m.init(h);
        return () -> m.doFinal(new byte[8]);
      }
      case KW_WRAP:
      case KWP_WRAP: {
        Cipher c = Cipher.getInstance(p == Path_.KW_WRAP ? "AES/KW/NoPadding" : "AES/KWP/NoPadding", clavis);
        c.init(Cipher.WRAP_MODE, h);
        return () -> c.wrap(DEK);
      }
      case KW_ENCRYPT: {
        Cipher c = Cipher.getInstance("AES/KW/NoPadding", clavis);
        c.init(Cipher.ENCRYPT_MODE, h);
        return () -> c.doFinal(new byte[16]);
      }
      case KWP_UNWRAP: {
        Cipher w = Cipher.getInstance("AES/KWP/NoPadding", clavis);
        w.init(Cipher.WRAP_MODE, ring.handle(KeyRef.of(ref.name(), 1)));
        byte[] wrapped = w.wrap(DEK);
        Cipher c = Cipher.getInstance("AES/KWP/NoPadding", clavis);
        c.init(Cipher.UNWRAP_MODE, h);
        return () -> c.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
      }
      case GCM_ENCRYPT: {
        // one encryption per init (GCM needs a new IV), so the attack keeps one Cipher and
        // re-initialises it: the count is per encryption; the check also at doFinal
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", clavis);
        return () -> {
          c.init(Cipher.ENCRYPT_MODE, h);
          c.doFinal(new byte[8]);
        };
      }
      default: {
        Cipher e = Cipher.getInstance("AES/GCM/NoPadding", clavis);
        e.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of(ref.name(), 1)));
        byte[] ct = e.doFinal(new byte[8]);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", clavis);
        c.init(Cipher.DECRYPT_MODE, h, new GCMParameterSpec(128, e.getIV()));
        return () -> c.doFinal(ct);
      }
    }
  }

  private static boolean counted(Path_ p) {
    return p != Path_.KWP_UNWRAP && p != Path_.GCM_DECRYPT;
  }

  /** Runs {@code op}; false when refused by the lifecycle, with a message naming {@code what}. */
  private static boolean attempt(Op op, String version, String what) throws Exception {
    try {
      op.run();
      return true;
    } catch (IllegalStateException | InvalidKeyException e) {
      String m = e.getMessage();
      assertTrue(m.contains(version) && m.contains(what), "refusal must name " + version + " and " + what + ": " + m);
      if (e instanceof IllegalStateException) {
        assertTrue(e.getCause() instanceof InvalidKeyException, "caused by the InvalidKeyException: " + e);
      }
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(value = Path_.class, names = {"MAC", "KW_WRAP", "KWP_WRAP", "KW_ENCRYPT", "GCM_ENCRYPT"})
  void usageLimitOf3_oneInit_givesThreeOperations_notTen(Path_ p) throws Exception {
    ring.create("k", isHmac(p) ? KeyAlgorithm.HMAC_SHA256 : KeyAlgorithm.AES_256,
        KeyPolicy.builder().usageLimit(3).autoRotate(false).build());
    Op op = initOnce(p, KeyRef.of("k"));
    int done = 0;
    for (int i = 0; i < 10; i++) {
      if (attempt(op, "k#1", "usage limit of 3")) {
        done++;
      }
    }
    assertEquals(3, done, p + ": operations under a usage limit of 3");
    assertEquals(3, ring.find("k").orElseThrow().version(1).orElseThrow().usageCount(), p + ": usage count");
  }

  @ParameterizedTest
  @EnumSource(Path_.class)
  void revokedInThisProcess_betweenTwoOperations_theNextIsRefused(Path_ p) throws Exception {
    ring.create("k", isHmac(p) ? KeyAlgorithm.HMAC_SHA256 : KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Op op = initOnce(p, KeyRef.of("k"));
    assertTrue(attempt(op, "k#1", "-"), p + ": the first operation");
    ring.revoke(KeyRef.of("k", 1), "attack test");
    if (attempt(op, "k#1", "REVOKED")) {
      fail(p + ": an operation after REVOKE succeeded");
    }
  }

  @Test
  void revokedInThisProcess_betweenGcmInitAndDoFinal_finishesNoEncryption() throws Exception {
    ring.create("k", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding", clavis);
    c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("k")));
    ring.suspend(KeyRef.of("k", 1), "attack test");
    if (attempt(() -> c.doFinal(new byte[8]), "k#1", "SUSPENDED")) {
      fail("an encryption begun before SUSPEND finished after it");
    }
  }

  @Test
  void revokedByTheCliInAnotherProcess_everyPathRefusesWithinOneSecond() throws Exception {
    ring.create("mac", KeyAlgorithm.HMAC_SHA256, KeyPolicy.defaults());
    ring.create("aes", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Path_[] paths = Path_.values();
    Op[] ops = new Op[paths.length];
    for (int i = 0; i < paths.length; i++) {
      ops[i] = initOnce(paths[i], KeyRef.of(isHmac(paths[i]) ? "mac" : "aes"));
      assertTrue(attempt(ops[i], "#1", "-"), paths[i] + ": the first operation");
    }
    for (String version : new String[] {"mac#1", "aes#1"}) {
      Process cli = GcmLimitChildJvm.start(dev.clavis.cli.Main.class, "revoke", version, "--reason", "attack test",
          "--store", store.toString());
      GcmLimitChildJvm.finish(cli);
    }
    long revoked = System.nanoTime();
    for (int i = 0; i < paths.length; i++) {
      String version = isHmac(paths[i]) ? "mac#1" : "aes#1";
      int allowed = 0;
      while (attempt(ops[i], version, "REVOKED")) {
        allowed++;
        long ms = (System.nanoTime() - revoked) / 1_000_000;
        if (ms > 1000) {
          fail(paths[i] + ": still operating " + ms + " ms after another process revoked " + version
              + " (" + allowed + " operations)");
        }
        Thread.sleep(5);
      }
    }
  }
}
