package dev.clavis.keyring;

/**
 * The operation needs the approval of the store's quorum and none was given; nothing was changed.
 * It carries the request for exactly this call: have {@link #threshold()} custodians sign it
 * ({@link Approval#sign}), then repeat the call inside {@link Approvals#with}.
 */
public final class QuorumRequiredException extends QuorumException {

  private static final long serialVersionUID = 1L;

  private final transient ApprovalRequest request;
  private final int threshold;

  /**
   * @param request what the custodians are to approve
   * @param threshold how many of them
   * @param message what was refused
   */
  public QuorumRequiredException(ApprovalRequest request, int threshold, String message) {
    super(Kind.REQUIRED, message);
    this.request = request;
    this.threshold = threshold;
  }

  /** @return the request to approve */
  public ApprovalRequest request() {
    return request;
  }

  /** @return how many custodians must approve */
  public int threshold() {
    return threshold;
  }
}
