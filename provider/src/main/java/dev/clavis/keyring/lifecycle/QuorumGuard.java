package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.Approval;
import dev.clavis.keyring.ApprovalRequest;
import dev.clavis.keyring.CustodianQuorum;
import dev.clavis.keyring.QuorumException;
import dev.clavis.keyring.QuorumException.Kind;
import dev.clavis.keyring.QuorumRequiredException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dual control: before a dangerous operation of a store with a {@link CustodianQuorum} acts, M
 * distinct custodians of the store must have signed the request for exactly that operation (same
 * store, operation, key, parameters), which has not expired and whose nonce was not used. Runs
 * inside the operation's transaction, so the nonce is recorded with the change it approved and a
 * refusal changes nothing.
 */
final class QuorumGuard {

  /** How long an issued request may be approved and used. */
  static final Duration TTL = Duration.ofHours(24);

  /** The settings with the nonce used, and the audit event naming the custodians. */
  record Approved(StoreSettings settings, Lifecycle.Event event) {}

  private QuorumGuard() {}

  /**
   * @param s the store's settings in this transaction
   * @param store the store's id
   * @param operation what is to be done
   * @param key the key reference, or "" for the store
   * @param params the call's parameters
   * @param approvals the approvals the caller gave
   * @param now the transaction's time
   * @return null when the store has no quorum, else the settings to commit and the event to record
   * @throws QuorumRequiredException if no approvals were given (it carries the request to approve)
   * @throws QuorumException naming the approval that does not count, and why
   */
  static Approved check(StoreSettings s, String store, String operation, String key, Map<String, String> params,
      List<Approval> approvals, Instant now) {
    CustodianQuorum q = s.quorum();
    if (q == null) {
      return null;
    }
    String what = operation + (key.isEmpty() ? " of the store" : " of " + key);
    if (approvals.isEmpty()) {
      ApprovalRequest r = ApprovalRequest.issue(store, operation, key, params, now.plus(TTL));
      throw new QuorumRequiredException(r, q.threshold(), what + " needs the approval of " + q.threshold() + " of the "
          + q.custodianIds().size() + " custodians of this store: have them approve the request (clavis approve"
          + " --request FILE) and give their approvals (--approvals A1,A2,...); nothing was changed");
    }
    ApprovalRequest expected = ApprovalRequest.issue(store, operation, key, params, now);
    ApprovalRequest first = approvals.get(0).request();
    Set<String> custodians = new LinkedHashSet<>();
    for (int i = 0; i < approvals.size(); i++) {
      Approval a = approvals.get(i);
      ApprovalRequest r = a.request();
      String which = "approval " + (i + 1) + " (custodian " + a.custodian() + ")";
      if (!r.sameOperation(expected)) {
        throw new QuorumException(Kind.WRONG_OPERATION, which + " approves " + r.operation() + " of "
            + (r.key().isEmpty() ? "the store" : r.key()) + " " + r.params()
            + (r.store().equals(store) ? "" : " in another store (" + r.store() + ")") + ", not " + what + " "
            + expected.params() + "; nothing was changed");
      }
      if (!r.equals(first)) {
        throw new QuorumException(Kind.MIXED_REQUESTS, which + " approves another request (nonce " + r.nonce()
            + ") than approval 1 (nonce " + first.nonce() + "): all must approve one request; nothing was changed");
      }
      if (r.expires().isBefore(now) || r.expires().isAfter(now.plus(TTL).plusSeconds(300))) {
        throw new QuorumException(Kind.EXPIRED, which + ": its request expired at " + r.expires()
            + "; ask for a new request and new approvals; nothing was changed");
      }
      if (s.usedApprovals().containsKey(r.nonce())) {
        throw new QuorumException(Kind.REPLAYED, which + ": its request (nonce " + r.nonce() + ") was used already;"
            + " an approval counts once: ask for a new request and new approvals; nothing was changed");
      }
      PublicKey k = q.custodian(a.custodian());
      if (k == null) {
        throw new QuorumException(Kind.UNKNOWN_CUSTODIAN, which + ": " + a.custodian()
            + " is not a custodian of this store (its custodians: " + q.custodianIds() + "); nothing was changed");
      }
      if (!a.verifies(k)) {
        throw new QuorumException(Kind.BAD_SIGNATURE, which + ": the signature does not verify under custodian "
            + a.custodian() + "'s key: the approval was altered or not signed by that custodian; nothing was changed");
      }
      if (!custodians.add(a.custodian())) {
        throw new QuorumException(Kind.DUPLICATE_CUSTODIAN, which + ": custodian " + a.custodian()
            + " approved twice; each custodian counts once; nothing was changed");
      }
    }
    if (custodians.size() < q.threshold()) {
      throw new QuorumException(Kind.TOO_FEW, what + " needs " + q.threshold() + " custodians' approvals, "
          + custodians.size() + " given; nothing was changed");
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("operation", operation);
    details.put("request", first.digest());
    details.put("nonce", first.nonce());
    details.put("custodians", String.join(",", custodians));
    details.put("threshold", Integer.toString(q.threshold()));
    return new Approved(s.withUsedApproval(first.nonce(), first.expires(), now),
        new Lifecycle.Event("quorum-approval", key, details));
  }
}
