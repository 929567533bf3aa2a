package dev.clavis.keyring;

/**
 * A dangerous operation of a store under dual control ({@link CustodianQuorum}) was refused
 * because its approvals do not count; nothing was changed. The message names the approval and why.
 */
public class QuorumException extends KeyringException {

  private static final long serialVersionUID = 1L;

  /** Why the approvals did not count. */
  public enum Kind {
    /** No approvals were given for an operation that needs them ({@link QuorumRequiredException}). */
    REQUIRED,
    /** Fewer distinct custodians approved than the threshold. */
    TOO_FEW,
    /** An approval for another store, operation, key or parameters. */
    WRONG_OPERATION,
    /** The approvals approve different requests. */
    MIXED_REQUESTS,
    /** An approval whose request's nonce was used already. */
    REPLAYED,
    /** An approval whose request has expired. */
    EXPIRED,
    /** Two approvals from one custodian. */
    DUPLICATE_CUSTODIAN,
    /** An approval by a key that is not one of the store's custodians. */
    UNKNOWN_CUSTODIAN,
    /** An approval whose signature does not verify (edited, or signed by another key). */
    BAD_SIGNATURE
  }

  private final Kind kind;

  /**
   * @param kind why
   * @param message what failed and what to do
   */
  public QuorumException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** @return why the approvals did not count */
  public Kind kind() {
    return kind;
  }
}
