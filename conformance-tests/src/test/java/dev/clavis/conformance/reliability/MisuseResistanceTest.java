package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.TestStores;
import dev.clavis.provider.ClavisProvider;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misuse resistance (issue 6 §6, issue 9 item 1): a caller must not be able to make Clavis encrypt
 * twice under one managed key version with the same GCM nonce (NIST SP 800-38D §8: nonce reuse
 * forfeits both confidentiality and authenticity). Clavis draws every IV; one a caller passes is
 * refused at init. The full attack suite is {@code dev.clavis.conformance.attacks.IvReuseAttackTest}.
 */
class MisuseResistanceTest {

  @TempDir Path dir;

  private Keyring keyring;
  private ManagedKey handle;

  @BeforeEach
  void key() {
    keyring = TestStores.open(dir.resolve("m.store"));
    keyring.create("g", KeyAlgorithm.AES_256, KeyPolicy.defaults());
    handle = keyring.handle(KeyRef.of("g"));
  }

  @AfterEach
  void close() {
    keyring.close();
  }

  private static Cipher gcm() throws GeneralSecurityException {
    return Cipher.getInstance("AES/GCM/NoPadding", new ClavisProvider());
  }

  /**
   * The refusal must be Clavis's own, at {@code init}, for any IV a caller brings: SunJCE's check
   * of the last IV of one pooled Cipher refuses only an immediate repeat on the same thread, so a
   * test that accepts any {@code GeneralSecurityException} at any point passes by accident.
   */
  private void assertCallerIvRefusedAtInit(Cipher c, byte[] iv) {
    InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
        () -> c.init(Cipher.ENCRYPT_MODE, handle, new GCMParameterSpec(128, iv)));
    assertTrue(e.getMessage().contains("Clavis draws the IV for managed key g"), e.getMessage());
  }

  @Test
  void gcm_sameCipherReinitialisedWithAnEarlierIv_isRefusedAtInit() throws Exception {
    Cipher c = gcm();
    c.init(Cipher.ENCRYPT_MODE, handle);
    byte[] first = c.getIV();
    c.doFinal(new byte[16]);
    c.init(Cipher.ENCRYPT_MODE, handle);
    c.doFinal(new byte[16]);
    assertCallerIvRefusedAtInit(c, first); // an IV used two encryptions ago
    assertCallerIvRefusedAtInit(c, new byte[12]); // and any other
  }

  @Test
  void gcm_sameCallerIvInTwoCipherObjectsOnTwoThreads_isRefused() throws Exception {
    byte[] iv = new byte[12];
    assertCallerIvRefusedAtInit(gcm(), iv);
    Throwable[] failure = new Throwable[1];
    Thread other = new Thread(() -> {
      try {
        assertCallerIvRefusedAtInit(gcm(), iv); // a thread of its own: no shared pooled Cipher
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    other.start();
    other.join();
    if (failure[0] != null) {
      throw new AssertionError("a second Cipher on another thread encrypted under g with a caller's IV", failure[0]);
    }
  }

  @Test
  void gcm_withoutParameters_drawsAFreshIvEveryTime() throws Exception {
    Set<ByteBuffer> ivs = new HashSet<>();
    Cipher c = gcm();
    for (int i = 0; i < 2000; i++) {
      c.init(Cipher.ENCRYPT_MODE, handle);
      c.doFinal(new byte[1]);
      assertEquals(12, c.getIV().length);
      assertTrue(ivs.add(ByteBuffer.wrap(c.getIV().clone())), "IV repeated after " + i + " encryptions");
    }
  }

  @Test
  void keyringEncrypt_neverRepeatsAnIv() {
    Set<ByteBuffer> ivs = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      byte[] env = keyring.encrypt("g", new byte[1], null);
      // envelope = "CLV" 0x01 | u8 n | name | u32 version | IV (12) | ...
      int at = 5 + (env[4] & 0xFF) + 4;
      assertTrue(ivs.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(env, at, at + 12))), "IV repeated after " + i);
    }
  }
}
