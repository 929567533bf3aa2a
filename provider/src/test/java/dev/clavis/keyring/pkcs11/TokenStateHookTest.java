package dev.clavis.keyring.pkcs11;

import dev.clavis.testkit.SoftHsm;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.AttributeValues;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Token;
import dev.clavis.pkcs11.Template;
import java.lang.reflect.Field;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The token's usage attributes follow the states through the backend's commit hook. */
class TokenStateHookTest {

  private static AttributeValues attributes(Pkcs11Token probe, String label) throws Exception {
    return probe.call(s -> {
      long[] h = s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).string(CKA.LABEL, label).build());
      assertEquals(1, h.length, "objects labelled " + label);
      return s.getAttributes(h[0], CKA.ENCRYPT, CKA.WRAP, CKA.DECRYPT);
    });
  }

  @Test
  void automaticRotation_duringEncrypt_takesEncryptFromTheOldVersionOnTheToken_beforeEncryptReturns() throws Exception {
    SoftHsm.require();
    String n = "auto-" + UUID.randomUUID().toString().substring(0, 8);
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config())
            .pin(SoftHsm.PIN.toCharArray()));
        Pkcs11Token probe = Pkcs11Token.open(SoftHsmTokens.config(), SoftHsm.PIN.toCharArray())) {
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.builder().usageLimit(2).build());
      ring.encrypt(n, new byte[] {1}, null);
      ring.encrypt(n, new byte[] {2}, null);
      ring.encrypt(n, new byte[] {3}, null); // the limit is reached: the engine rotates on its own first
      assertEquals(2, ring.find(n).orElseThrow().primary().orElseThrow().version(), "rotated automatically");
      // read at once, with no wait: the hook ran inside the commit, not on a timer afterwards
      AttributeValues old = attributes(probe, n + "#1");
      assertFalse(old.bool(CKA.ENCRYPT).orElseThrow(), "the rotated-out version may not encrypt on the token");
      assertFalse(old.bool(CKA.WRAP).orElseThrow());
      assertTrue(old.bool(CKA.DECRYPT).orElseThrow(), "DEPRECATED still decrypts");
      assertTrue(attributes(probe, n + "#2").bool(CKA.ENCRYPT).orElseThrow());
    }
  }

  @Test
  void tokenBackend_keepsNoThreadLocalSideChannel() {
    for (Class<?> c : new Class<?>[] {TokenKeyBackend.class, KeyringEngine.class}) {
      for (Field f : c.getDeclaredFields()) {
        assertFalse(ThreadLocal.class.isAssignableFrom(f.getType()), c.getSimpleName() + "." + f.getName()
            + " is a ThreadLocal: import material goes through the backend's Changes");
      }
    }
  }
}
