package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyMetadata;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The token backend keeps the same metadata document (format 3): live policies, metadata,
 * retention and the store's minimum deletion window work on a token and are seen by a second
 * keyring over it.
 */
class TokenGovernanceTest {

  private static KeyringEngine open() {
    return (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
  }

  @Test
  void policyMetadataRetentionAndStoreSettings_onAToken_areSeenByASecondKeyring() throws Exception {
    SoftHsm.require();
    String n = "gov-" + UUID.randomUUID().toString().substring(0, 8);
    try (KeyringEngine ring = open()) {
      Duration before = ring.minimumDeletionWindow();
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults(), KeyMetadata.builder().purpose("on the token")
          .tag("hsm", "softhsm").source("api").build());
      ring.rotate(n, null);
      ring.rotate(n, null);
      ring.updatePolicy(n, KeyPolicy.builder().keepVersions(1).deletionProtection(true).build(), false);
      assertEquals(KeyState.PENDING_DESTRUCTION, ring.find(n).orElseThrow().version(1).orElseThrow().state());
      ring.setMinimumDeletionWindow(before.plusDays(1), false);
      try (KeyringEngine other = open()) {
        KeyInfo k = other.find(n).orElseThrow();
        assertEquals("on the token", k.metadata().purpose().orElseThrow());
        assertEquals("softhsm", k.metadata().tags().get("hsm"));
        assertEquals(1, k.policy().keepVersions());
        assertTrue(k.policy().deletionProtection());
        assertEquals(KeyState.PENDING_DESTRUCTION, k.version(2).orElseThrow().state());
        assertEquals(KeyState.ACTIVE, k.version(3).orElseThrow().state());
        assertEquals(before.plusDays(1), other.minimumDeletionWindow());
        assertThrows(IllegalStateException.class, () -> other.destroyNow(KeyRef.of(n), true));
      }
      ring.setMinimumDeletionWindow(before, true); // the token is shared by the other tests
      // the changes are in the token's audit log with their old and new values (verifying the whole shared
      // log is TokenAuditLogTest's job: other classes tamper with it on purpose and restore it)
      assertTrue(ring.auditLog().events().stream().anyMatch(e -> e.action().equals("policy") && e.key().equals(n)
          && "true".equals(e.details().get("new.deletionProtection"))));
    }
  }
}
