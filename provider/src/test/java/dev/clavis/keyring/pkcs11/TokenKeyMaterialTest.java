package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bulk KWP of a token KEK, which a rewrap of many data keys uses. */
class TokenKeyMaterialTest {

  private static final SecureRandom RANDOM = new SecureRandom();
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
  void wrapKwpAllAndUnwrapKwpAll_lengths1To64_equalSoftwareKwpAndNameATamperedIndex() throws Exception {
    String name = "bulk-kek-" + UUID.randomUUID();
    byte[] kek = new byte[32];
    RANDOM.nextBytes(kek);
    ring.importKey(name, KeyAlgorithm.AES_256, kek, KeyPolicy.defaults());
    TokenKeyMaterial m = ((TokenKeyBackend) ring.backend()).tokenMaterial(KeyRef.of(name, 1)).orElseThrow();
    List<byte[]> keys = new ArrayList<>();
    for (int len = 1; len <= 64; len++) {
      byte[] k = new byte[len];
      RANDOM.nextBytes(k);
      keys.add(k);
    }
    List<byte[]> wrapped = m.wrapKwpAll(keys);
    Cipher jdk = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
    for (int i = 0; i < keys.size(); i++) {
      jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"));
      assertArrayEquals(jdk.doFinal(keys.get(i)), wrapped.get(i), "RFC 5649 output, length " + (i + 1));
    }
    List<byte[]> back = m.unwrapKwpAll(wrapped);
    for (int i = 0; i < keys.size(); i++) {
      assertArrayEquals(keys.get(i), back.get(i), "round trip, length " + (i + 1));
    }
    List<byte[]> tampered = new ArrayList<>(wrapped);
    byte[] bad = wrapped.get(19).clone();
    bad[9] ^= 1;
    tampered.set(19, bad);
    AEADBadTagException e = assertThrows(AEADBadTagException.class, () -> m.unwrapKwpAll(tampered));
    assertEquals("wrapped key 19 failed its integrity check (RFC 5649 §3)", e.getMessage());
  }
}
