package dev.clavis.provider.jca;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.file.FileKeyBackend;
import dev.clavis.provider.ClavisProvider;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review (issue 9 items 1 and 6): JCA's delayed provider selection tries the next provider when
 * one refuses {@code init}. A managed handle must not reach another provider through that
 * fall-through, or Clavis's refusals (a caller's GCM IV, a usage limit) are bypassed silently.
 */
class ReviewJcaFallThroughTest {

  KeyringEngine ring;

  @BeforeAll
  static void addClavis() {
    if (Security.getProvider("Clavis") == null) {
      Security.addProvider(new ClavisProvider());
    }
  }

  @BeforeEach
  void open() {
    ring = new KeyringEngine(FileKeyBackend.inMemory(KdfParameters.argon2id(1, 64, 1).allowingWeak()),
        Clock.systemUTC(), Duration.ZERO);
  }

  @AfterEach
  void close() {
    ring.close();
  }

  @Test
  void exportableManagedKey_withCallerIv_isRefused_notHandedToAnotherProvider() throws Exception {
    ring.create("x", KeyAlgorithm.AES_256, KeyPolicy.builder().exportable(true).build());
    ManagedKey h = ring.handle(KeyRef.of("x"));
    byte[] iv = new byte[12];
    String[] providers = new String[2];
    for (int i = 0; i < 2; i++) {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      try {
        c.init(Cipher.ENCRYPT_MODE, h, new GCMParameterSpec(128, iv));
        c.doFinal(new byte[16]);
        providers[i] = c.getProvider().getName();
      } catch (GeneralSecurityException expected) {
        // Clavis refuses a caller's IV: the property holds
      }
    }
    assertNull(providers[0], "a caller-chosen GCM IV under a managed key was accepted by " + providers[0]
        + " (twice, the same IV): JCA fell through from Clavis's refusal to another provider");
  }

  @Test
  void exportableManagedKey_underAUsageLimit_givesNoMoreTagsThanTheLimit_throughPlainMacGetInstance()
      throws Exception {
    ring.create("m", KeyAlgorithm.HMAC_SHA256, KeyPolicy.builder().exportable(true).usageLimit(3).autoRotate(false).build());
    ManagedKey h = ring.handle(KeyRef.of("m"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(h);
    int tags = 0;
    for (int i = 0; i < 10; i++) {
      try {
        mac.doFinal(new byte[] {(byte) i});
        tags++;
      } catch (IllegalStateException refused) {
        break;
      }
    }
    assertEquals("Clavis", mac.getProvider().getName(), "a managed HMAC handle reached " + mac.getProvider()
        + ", which counts nothing");
    assertTrue(tags <= 3, tags + " tags under a usage limit of 3");
  }

  @Test
  void managedMac_cannotBeCloned_soAUseCannotBeCopied() throws Exception {
    ring.create("c", KeyAlgorithm.HMAC_SHA256, KeyPolicy.builder().usageLimit(1).autoRotate(false).build());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(ring.handle(KeyRef.of("c")));
    mac.update(new byte[] {1});
    assertThrows(CloneNotSupportedException.class, mac::clone, "a clone would finish the one counted MAC twice");
    mac.doFinal();
    assertThrows(IllegalStateException.class, () -> mac.doFinal(new byte[] {2}), "the usage limit of 1 is spent");
  }
}
