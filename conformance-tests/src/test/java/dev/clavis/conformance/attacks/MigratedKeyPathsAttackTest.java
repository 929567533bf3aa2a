package dev.clavis.conformance.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.spec.HkdfKeySpec;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.Provider;
import java.security.spec.InvalidKeySpecException;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the paths added for keys migrated from PKCS12/JCEKS and for HKDF from managed keys:
 * a version revoked by the CLI in another process stops CBC/CTR decryption, HmacSHA384 and HKDF
 * within a second; CTR encryption never repeats a counter block the caller could choose; the
 * legacy modes never encrypt under the default policy.
 */
class MigratedKeyPathsAttackTest {

  @TempDir Path dir;

  private final Provider clavis = new ClavisProvider();
  private Path store;
  private Keyring ring;
  private final byte[] aes = new byte[32];

  @BeforeEach
  void open() {
    store = dir.resolve("migrated.store");
    ring = Keyrings.openFile(store, GcmLimitChildJvm.PASSWORD.toCharArray(), TestStores.LIGHTEST_KDF);
    new java.security.SecureRandom().nextBytes(aes);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  interface Op {
    void run() throws Exception;
  }

  /** Runs {@code op}; false when refused, with a message naming version and state. */
  private static boolean attempt(Op op, String version) throws Exception {
    try {
      op.run();
      return true;
    } catch (IllegalStateException | InvalidKeyException | InvalidKeySpecException e) {
      assertTrue(e.getMessage().contains(version) && e.getMessage().contains("REVOKED"), e.getMessage());
      return false;
    }
  }

  @Test
  void revokedByTheCliInAnotherProcess_cbcCtrHmac384AndHkdfStopWithinOneSecond() throws Exception {
    ring.importKey("legacy", KeyAlgorithm.AES_256, aes, KeyPolicy.defaults());
    byte[] mac = new byte[48];
    new java.security.SecureRandom().nextBytes(mac);
    ring.importKey("tags", KeyAlgorithm.HMAC_SHA384, mac, KeyPolicy.defaults());
    byte[] iv = new byte[16];
    Cipher sun = Cipher.getInstance("AES/CBC/PKCS5Padding", "SunJCE");
    sun.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aes, "AES"), new IvParameterSpec(iv));
    byte[] cbcData = sun.doFinal(new byte[40]);

    Cipher cbc = Cipher.getInstance("AES/CBC/PKCS5Padding", clavis);
    cbc.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("legacy")), new IvParameterSpec(iv));
    Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding", clavis);
    ctr.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of("legacy")), new IvParameterSpec(iv));
    Mac hmac = Mac.getInstance("HmacSHA384", clavis);
    hmac.init(ring.handle(KeyRef.of("tags")));
    SecretKeyFactory hkdf = SecretKeyFactory.getInstance("HKDF-SHA256", clavis);
    HkdfKeySpec spec = HkdfKeySpec.builder(ring.handle(KeyRef.of("legacy")), 32).info("tenant-7".getBytes()).build();

    Op[] ops = {() -> cbc.doFinal(cbcData), () -> ctr.doFinal(new byte[20]), () -> hmac.doFinal(new byte[3]),
        () -> hkdf.generateSecret(spec)};
    String[] versions = {"legacy#1", "legacy#1", "tags#1", "legacy#1"};
    for (int i = 0; i < ops.length; i++) {
      assertTrue(attempt(ops[i], versions[i]), "path " + i + ": the first operation");
    }
    for (String version : new String[] {"legacy#1", "tags#1"}) {
      GcmLimitChildJvm.finish(GcmLimitChildJvm.start(dev.clavis.cli.Main.class, "revoke", version, "--reason",
          "attack test", "--store", store.toString()));
    }
    long revoked = System.nanoTime();
    for (int i = 0; i < ops.length; i++) {
      while (attempt(ops[i], versions[i])) {
        long ms = (System.nanoTime() - revoked) / 1_000_000;
        if (ms > 1000) {
          fail("path " + i + ": still operating " + ms + " ms after another process revoked " + versions[i]);
        }
        Thread.sleep(5);
      }
    }
  }

  @Test
  void ctrEncryption_callerCannotChooseTheCounterBlock_andEachInitDrawsANewOne() throws Exception {
    ring.importKey("w", KeyAlgorithm.AES_128, new byte[16], KeyPolicy.builder().legacyEncryption(true).build());
    Cipher c = Cipher.getInstance("AES/CTR/NoPadding", clavis);
    assertThrows(java.security.InvalidAlgorithmParameterException.class,
        () -> c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("w")), new IvParameterSpec(new byte[16])));
    Set<String> ivs = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      c.init(Cipher.ENCRYPT_MODE, ring.handle(KeyRef.of("w")));
      c.doFinal(new byte[1]);
      assertTrue(ivs.add(java.util.HexFormat.of().formatHex(c.getIV())), "a counter block came twice");
      // the same Cipher may not encrypt again under the same counter block
      assertThrows(IllegalStateException.class, () -> c.doFinal(new byte[1]));
    }
  }

  @Test
  void legacyModes_underTheDefaultPolicy_encryptNothing_throughAnyEntryPoint() throws Exception {
    ring.importKey("d", KeyAlgorithm.AES_256, aes, KeyPolicy.defaults());
    for (String t : new String[] {"AES/CBC/PKCS5Padding", "AES/CTR/NoPadding"}) {
      for (int mode : new int[] {Cipher.ENCRYPT_MODE, Cipher.WRAP_MODE}) {
        Cipher c = Cipher.getInstance(t, clavis);
        assertThrows(InvalidKeyException.class, () -> c.init(mode, ring.handle(KeyRef.of("d"))), t + " mode " + mode);
        assertThrows(InvalidKeyException.class, () -> c.init(mode, ring.handle(KeyRef.of("d", 1))), t + " mode " + mode);
      }
    }
    assertEquals(0, ring.find("d").orElseThrow().version(1).orElseThrow().usageCount());
  }
}
