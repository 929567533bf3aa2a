package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.CustodianQuorum;
import dev.clavis.keyring.KeyPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of a whole store, kept in its metadata document (format 3, extensions of the store):
 * the shortest deletion window a destruction may be scheduled with unless it is forced; the
 * custodian quorum its dangerous operations need, if any ({@link QuorumGuard}); whether every
 * process records every decryption; and the nonces of approvals used, until they expire.
 *
 * @param minimumDeletionWindow zero or positive; {@link #DEFAULT} holds 7 days
 * @param quorum the dual control of the store, or null for none
 * @param auditDecrypts whether every decryption is recorded, whoever opens the store
 * @param usedApprovals the nonces of approvals used, with their requests' expiry (a replay is refused)
 * @param formerIds the ids (16 hex digits, {@link KeyringIdentity}) of the keyrings this one was
 *     migrated from ({@link KeyringMigration}): their envelopes and wrapped keys open here
 */
record StoreSettings(Duration minimumDeletionWindow, CustodianQuorum quorum, boolean auditDecrypts,
    Map<String, Instant> usedApprovals, java.util.Set<String> formerIds) {

  /** What a store without settings (every store before format 3) has. */
  static final StoreSettings DEFAULT = new StoreSettings(KeyPolicy.DEFAULT_DELETION_WINDOW);

  StoreSettings {
    Objects.requireNonNull(minimumDeletionWindow, "minimum deletion window");
    if (minimumDeletionWindow.isNegative()) {
      throw new IllegalArgumentException("the minimum deletion window must not be negative, got "
          + minimumDeletionWindow);
    }
    usedApprovals = java.util.Collections.unmodifiableMap(new TreeMap<>(usedApprovals));
    for (String id : formerIds) {
      if (!id.matches("[0-9a-f]{16}")) {
        throw new IllegalArgumentException("a former keyring id is 16 lower-case hex digits, got " + id.length()
            + " characters");
      }
    }
    formerIds = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(formerIds));
  }

  /** As the canonical constructor, with no former keyring ids. */
  StoreSettings(Duration minimumDeletionWindow, CustodianQuorum quorum, boolean auditDecrypts,
      Map<String, Instant> usedApprovals) {
    this(minimumDeletionWindow, quorum, auditDecrypts, usedApprovals, java.util.Set.of());
  }

  /** @param minimumDeletionWindow as the canonical constructor, the other settings at their defaults */
  StoreSettings(Duration minimumDeletionWindow) {
    this(minimumDeletionWindow, null, false, Map.of());
  }

  StoreSettings withMinimumDeletionWindow(Duration d) {
    return new StoreSettings(d, quorum, auditDecrypts, usedApprovals, formerIds);
  }

  StoreSettings withQuorum(CustodianQuorum q) {
    return new StoreSettings(minimumDeletionWindow, q, auditDecrypts, usedApprovals, formerIds);
  }

  StoreSettings withAuditDecrypts(boolean on) {
    return new StoreSettings(minimumDeletionWindow, quorum, on, usedApprovals, formerIds);
  }

  /** @return these settings with {@code ids} added to the former keyring ids */
  StoreSettings withFormerIds(java.util.Collection<String> ids) {
    java.util.Set<String> all = new java.util.TreeSet<>(formerIds);
    all.addAll(ids);
    return new StoreSettings(minimumDeletionWindow, quorum, auditDecrypts, usedApprovals, all);
  }

  /** @return these settings with {@code nonce} used, and nonces expired before {@code now} forgotten */
  /** How far apart the clocks of processes sharing a store may be, for forgetting used approvals. */
  static final java.time.Duration NONCE_CLOCK_MARGIN = java.time.Duration.ofHours(1);

  StoreSettings withUsedApproval(String nonce, Instant expires, Instant now) {
    Map<String, Instant> m = new TreeMap<>();
    usedApprovals.forEach((n, e) -> {
      // an expired approval is refused for its expiry, so its nonce need not be kept; but "expired"
      // is by the clock of whichever process writes next: the margin keeps a writer whose clock runs
      // ahead from forgetting a nonce that a process with a slower clock would still accept
      if (!e.plus(NONCE_CLOCK_MARGIN).isBefore(now)) {
        m.put(n, e);
      }
    });
    m.put(nonce, expires);
    return new StoreSettings(minimumDeletionWindow, quorum, auditDecrypts, m, formerIds);
  }
}
