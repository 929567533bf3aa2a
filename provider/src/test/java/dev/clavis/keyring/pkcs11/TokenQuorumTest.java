package dev.clavis.keyring.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.Approval;
import dev.clavis.keyring.Approvals;
import dev.clavis.keyring.CustodianKey;
import dev.clavis.keyring.CustodianQuorum;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyPolicy;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyringOptions;
import dev.clavis.keyring.Keyrings;
import dev.clavis.keyring.QuorumRequiredException;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.pkcs11.testing.SoftHsmTokens;
import dev.clavis.testkit.SoftHsm;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The custodian quorum is kept in the token's metadata document too: a second keyring over the token meets it. */
class TokenQuorumTest {

  private static KeyringEngine open() {
    return (KeyringEngine) Keyrings.open(KeyringOptions.token(SoftHsmTokens.config()).pin(SoftHsm.PIN.toCharArray()));
  }

  @Test
  void theQuorum_onAToken_guardsASecondKeyringsDestroy_untilTwoCustodiansApprove() throws Exception {
    SoftHsm.require();
    String n = "quorum-" + UUID.randomUUID().toString().substring(0, 8);
    CustodianKey a = CustodianKey.generate();
    CustodianKey b = CustodianKey.generate();
    try (KeyringEngine ring = open()) {
      assertTrue(ring.quorum().isEmpty(), "the shared token must start without a quorum");
      ring.create(n, KeyAlgorithm.AES_256, KeyPolicy.defaults());
      ring.setQuorum(CustodianQuorum.of(2, List.of(a.publicKey(), b.publicKey())));
      try (KeyringEngine other = open()) {
        assertEquals(2, other.quorum().orElseThrow().threshold());
        QuorumRequiredException e = assertThrows(QuorumRequiredException.class,
            () -> other.destroyNow(KeyRef.of(n), true));
        assertEquals(KeyState.ACTIVE, other.find(n).orElseThrow().version(1).orElseThrow().state());
        // the approvals count in any keyring over the token (the destruction goes through the first, whose
        // token-attribute bookkeeping then follows its own commit)
        Approvals.with(List.of(Approval.sign(e.request(), a), Approval.sign(e.request(), b)), () -> {
          ring.destroyNow(KeyRef.of(n), true);
          return null;
        });
        assertEquals(KeyState.DESTROYED, ring.find(n).orElseThrow().version(1).orElseThrow().state());
      } finally {
        // the token is shared by the other tests: the quorum goes again, with its own approval
        try {
          ring.setQuorum(null);
        } catch (QuorumRequiredException e) {
          Approvals.with(List.of(Approval.sign(e.request(), a), Approval.sign(e.request(), b)), () -> {
            ring.setQuorum(null);
            return null;
          });
        }
      }
      assertTrue(ring.quorum().isEmpty());
    }
  }
}
