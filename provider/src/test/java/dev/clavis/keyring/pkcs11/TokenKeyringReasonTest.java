package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The token keyring passes a two-phase rotation's reason on, as the file keyring does. */
class TokenKeyringReasonTest {

  @Test
  void beginRotation_onTheToken_recordsTheGivenReason() throws Exception {
    SoftHsm.require();
    String n = "reason-" + UUID.randomUUID().toString().substring(0, 8);
    try (KeyringEngine ring = (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()))) {
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      ring.beginRotation(n, "token ceremony");
      assertEquals("token ceremony", ring.find(n).orElseThrow().version(1).orElseThrow().reason().orElse(null));
      assertEquals("token ceremony", ring.find(n).orElseThrow().version(2).orElseThrow().reason().orElse(null));
      ring.abortRotation(n);
    }
  }
}
