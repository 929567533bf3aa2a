package dev.clavis.keyring.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import dev.clavis.keyring.CustodianKey;
import dev.clavis.keyring.CustodianQuorum;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store settings of dual control in metadata format 3: tags 2 to 4, round trip, and the forgetting of expired nonces. */
class StoreSettingsTest {

  @Test
  void quorumAuditDecryptsAndUsedApprovals_roundTripThroughTheMetadataDocument() {
    CustodianQuorum q = CustodianQuorum.of(2, List.of(CustodianKey.generate().publicKey(),
        CustodianKey.generate().publicKey(), CustodianKey.generate().publicKey()));
    Instant t = Instant.parse("2026-12-07T00:00:00Z");
    StoreSettings s = new StoreSettings(Duration.ofDays(9)).withQuorum(q).withAuditDecrypts(true)
        .withUsedApproval("00112233445566778899aabbccddeeff", t.plusSeconds(60), t);
    MetadataCodec.Document d = MetadataCodec.decode(MetadataCodec.encode(Map.of(), s, 3, new byte[32]));
    assertEquals(s, d.settings());
    assertEquals(q, d.settings().quorum());
    assertTrue(d.settings().auditDecrypts());
    assertEquals(t.plusSeconds(60), d.settings().usedApprovals().get("00112233445566778899aabbccddeeff"));
  }

  @Test
  void theQuorumTags_areNotDroppable_soAnOlderReaderRefusesTheStore() {
    for (int tag : new int[] {Extensions.STORE_QUORUM, Extensions.STORE_AUDIT_DECRYPTS, Extensions.STORE_USED_APPROVALS}) {
      assertEquals(0, tag & Extensions.IGNORABLE, "tag " + tag);
    }
  }

  @Test
  void usingAnApproval_forgetsTheNoncesOfExpiredRequests_only() {
    Instant t = Instant.parse("2026-12-07T00:00:00Z");
    java.time.Duration margin = StoreSettings.NONCE_CLOCK_MARGIN;
    StoreSettings s = StoreSettings.DEFAULT.withUsedApproval("0".repeat(32), t.plusSeconds(10), t)
        .withUsedApproval("1".repeat(32), t.plusSeconds(100), t)
        .withUsedApproval("2".repeat(32), t.plusSeconds(200), t.plus(margin).plusSeconds(50));
    assertEquals(java.util.Set.of("1".repeat(32), "2".repeat(32)), s.usedApprovals().keySet());
  }

  @Test
  void aWriterWhoseClockRunsAhead_keepsTheNoncesASlowerProcessWouldStillAccept() {
    Instant t = Instant.parse("2026-12-07T00:00:00Z");
    // approval used at t, expiring at t+60s; then a process whose clock is 30 minutes fast writes
    StoreSettings s = StoreSettings.DEFAULT.withUsedApproval("1".repeat(32), t.plusSeconds(60), t)
        .withUsedApproval("2".repeat(32), t.plusSeconds(3600), t.plusSeconds(30 * 60));
    assertTrue(s.usedApprovals().containsKey("1".repeat(32)),
        "a correctly set process at t+30s must still see approval 1 as used, so a replay is refused");
  }

  @Test
  void aStoreWithoutTheseSettings_writesNoneOfTheirTags() {
    byte[] plain = MetadataCodec.encode(Map.of(), StoreSettings.DEFAULT, 0, new byte[32]);
    byte[] tail = java.util.Arrays.copyOfRange(plain, plain.length - 4, plain.length);
    assertArrayEquals(new byte[4], tail);
  }
}
