package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.provider.ClavisProvider;
import dev.clavis.testkit.SoftHsm;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys migrated to a token: HmacSHA384/HmacSHA512 keys are generic secrets MACing with
 * CKM_SHA384_HMAC/CKM_SHA512_HMAC (equal to SunJCE), with the usage attributes of HMAC keys; the
 * legacy AES modes are refused with a message naming what is missing (the token backend does not offer them).
 */
class TokenHmacSha384And512Test {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ClavisProvider CLAVIS = new ClavisProvider();
  private static KeyringEngine ring;

  @BeforeAll
  static void open() throws Exception {
    SoftHsm.require();
    ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
  }

  @AfterAll
  static void close() {
    if (ring != null) {
      ring.close();
    }
  }

  @Test
  void importedHmac384And512Keys_macOnTheToken_equalSunJce_andStopWhenRevoked() throws Exception {
    for (KeyAlgorithm alg : new KeyAlgorithm[] {KeyAlgorithm.HMAC_SHA384, KeyAlgorithm.HMAC_SHA512}) {
      String name = "mac-" + alg.bits() + "-" + UUID.randomUUID();
      byte[] raw = new byte[alg.bits() / 8];
      RANDOM.nextBytes(raw);
      ring.importKey(name, alg, raw, KeyPolicy.defaults());
      Mac ours = Mac.getInstance(alg.jcaName(), CLAVIS);
      ours.init(ring.handle(KeyRef.of(name)));
      Mac theirs = Mac.getInstance(alg.jcaName(), "SunJCE");
      theirs.init(new SecretKeySpec(raw, alg.jcaName()));
      byte[] data = new byte[77];
      RANDOM.nextBytes(data);
      assertArrayEquals(theirs.doFinal(data), ours.doFinal(data), alg.name());
      ring.revoke(KeyRef.of(name, 1), "test");
      assertThrows(IllegalStateException.class, () -> ours.doFinal(data));
    }
  }

  @Test
  void cbcOnATokenKey_isRefusedNamingTheMode() throws Exception {
    String name = "cbc-" + UUID.randomUUID();
    ring.create(name, KeyAlgorithm.AES_128, KeyPolicy.defaults());
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding", CLAVIS);
    InvalidKeyException e = assertThrows(InvalidKeyException.class,
        () -> c.init(Cipher.DECRYPT_MODE, ring.handle(KeyRef.of(name)), new IvParameterSpec(new byte[16])));
    assertTrue(e.getMessage().contains("AES/CBC/PKCS5Padding") && e.getMessage().contains(name + "#1"), e.getMessage());
  }
}
