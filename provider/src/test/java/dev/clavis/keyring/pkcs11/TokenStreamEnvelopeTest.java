package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.DataKey;
import dev.clavis.keyring.EncryptionContextException;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Context-bound data keys, envelopes and streams with a KEK on a PKCS#11 token (SoftHSM2): the
 * wrapped key's GCM runs as the token's {@code CKM_AES_GCM} with the context as associated data,
 * so the binding holds without the KEK leaving the token.
 */
class TokenStreamEnvelopeTest {

  private static KeyringEngine ring;

  @BeforeAll
  static void open() {
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
  void tokenKek_bindsTheContext_ofDataKeysEnvelopesAndStreams() throws Exception {
    String kek = "stream-kek-" + UUID.randomUUID().toString().substring(0, 8);
    ring.create(kek, KeyAlgorithm.AES_256, KeyPolicy.defaults());
    Map<String, String> ctx = Map.of("tenant", "acme");
    DataKey dk = ring.generateDataKey(kek, 256, ctx);
    assertArrayEquals(dk.plaintextKey(), ring.unwrapDataKey(dk.wrapped(), ctx));
    assertThrows(EncryptionContextException.class, () -> ring.unwrapDataKey(dk.wrapped(), Map.of("tenant", "other")));

    byte[] env = ring.encrypt(kek, "on the token".getBytes(), null, ctx);
    assertEquals("on the token", new String(ring.decrypt(env, null, ctx, false)));
    assertThrows(EncryptionContextException.class, () -> ring.decrypt(env, null));

    byte[] data = new byte[700_000];
    new Random(2).nextBytes(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = ring.newEncryptingStream(kek, ctx, null, out)) {
      s.write(data);
    }
    try (InputStream s = ring.newDecryptingStream(new ByteArrayInputStream(out.toByteArray()), ctx, null, false)) {
      assertArrayEquals(data, s.readAllBytes());
    }
  }
}
