package dev.clavis.keyring;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Hands custodians' approvals to the dangerous calls a thread makes on a keyring under dual
 * control: {@code Approvals.with(List.of(a1, a2), () -> { keyring.destroyNow(ref, true); return null; })}.
 * The keyring checks them for each call that needs them (same store, operation, key and
 * parameters; not expired; nonce unused; M distinct custodians of the store) and records the
 * nonce, so one set of approvals counts for one operation.
 */
public final class Approvals {

  private static final ThreadLocal<List<Approval>> CURRENT = new ThreadLocal<>();

  private Approvals() {}

  /**
   * Runs {@code action} with these approvals.
   *
   * @param approvals the custodians' approvals
   * @param action the dangerous call(s)
   * @param <T> the result type
   * @return what {@code action} returns
   * @throws QuorumException if the approvals do not count for a call that needs them
   */
  public static <T> T with(List<Approval> approvals, Supplier<T> action) {
    List<Approval> before = CURRENT.get();
    CURRENT.set(List.copyOf(approvals));
    try {
      return action.get();
    } finally {
      restore(before);
    }
  }

  /**
   * As {@link #with(List, Supplier)} for an action that throws checked exceptions.
   *
   * @param approvals the custodians' approvals
   * @param action the dangerous call(s)
   * @param <T> the result type
   * @return what {@code action} returns
   * @throws Exception what {@code action} throws
   */
  public static <T> T call(List<Approval> approvals, Callable<T> action) throws Exception {
    List<Approval> before = CURRENT.get();
    CURRENT.set(List.copyOf(approvals));
    try {
      return action.call();
    } finally {
      restore(before);
    }
  }

  private static void restore(List<Approval> before) {
    if (before == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(before);
    }
  }

  /** @return the approvals the calling thread runs with, empty if none */
  public static List<Approval> current() {
    List<Approval> a = CURRENT.get();
    return a == null ? List.of() : a;
  }
}
