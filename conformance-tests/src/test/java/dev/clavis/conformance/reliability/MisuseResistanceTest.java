package dev.clavis.conformance.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.provider.ClavisProvider;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Misuse resistance (issue 6 §6): a caller must not be able to make Clavis encrypt twice under one
 * managed key version with the same GCM nonce (NIST SP 800-38D §8: nonce reuse forfeits both
 * confidentiality and authenticity).
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

  @Test
  void gcm_sameCipherReinitialisedWithSameIv_isRefused() throws Exception {
    byte[] iv = new byte[12];
    Cipher c = gcm();
    c.init(Cipher.ENCRYPT_MODE, handle, new GCMParameterSpec(128, iv));
    c.doFinal(new byte[16]);
    assertThrows(GeneralSecurityException.class, () -> c.init(Cipher.ENCRYPT_MODE, handle, new GCMParameterSpec(128, iv)));
  }

  @Test
  void gcm_sameCallerIvInTwoCipherObjects_isRefused() throws Exception {
    byte[] iv = new byte[12];
    Cipher first = gcm();
    first.init(Cipher.ENCRYPT_MODE, handle, new GCMParameterSpec(128, iv));
    first.doFinal(new byte[16]);
    Cipher second = gcm();
    assertThrows(GeneralSecurityException.class, () -> {
      second.init(Cipher.ENCRYPT_MODE, handle, new GCMParameterSpec(128, iv));
      second.doFinal(new byte[16]);
    }, "a second Cipher encrypted under g with a nonce already used");
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
