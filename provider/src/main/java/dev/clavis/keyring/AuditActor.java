package dev.clavis.keyring;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who an audit record says acted. Every record names an {@code actor}; it is, in this order:
 *
 * <ol>
 *   <li>the principal the current thread runs {@linkplain #as(String, Supplier) as} (an application
 *       serving many users names the caller of each request);
 *   <li>the principal the keyring was opened with ({@link AuditOptions#actor(String)}, {@link
 *       KeyringOptions#actor(String)});
 *   <li>the operating-system user of the process ({@link #processUser()}).
 * </ol>
 *
 * A principal is 1 to 256 characters without control characters; it is recorded as given, so it
 * must not hold a secret.
 */
public final class AuditActor {

  /** The longest principal accepted. */
  public static final int MAX_LENGTH = 256;

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private AuditActor() {}

  /**
   * Runs {@code action} with {@code principal} as the actor of every audit record this thread
   * writes meanwhile (nested calls restore the outer principal).
   *
   * @param principal who acts, such as {@code app:alice}
   * @param action what runs on the principal's behalf
   * @param <T> the action's result type
   * @return the action's result
   * @throws IllegalArgumentException if the principal is empty, too long or holds control characters
   */
  public static <T> T as(String principal, Supplier<T> action) {
    String p = requireValid(principal);
    String outer = CURRENT.get();
    CURRENT.set(p);
    try {
      return action.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** @return the principal the current thread runs as, if any */
  public static Optional<String> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** @return the operating-system user of this process ({@code user.name}), or {@code unknown} */
  public static String processUser() {
    String u = System.getProperty("user.name");
    return u == null || u.isEmpty() || !valid(u) ? "unknown" : u;
  }

  /**
   * @param principal a principal to check
   * @return {@code principal}
   * @throws IllegalArgumentException if it is null, empty, too long or holds control characters
   */
  public static String requireValid(String principal) {
    if (principal == null || !valid(principal)) {
      throw new IllegalArgumentException("an audit actor is 1 to " + MAX_LENGTH
          + " characters without control characters" + (principal == null ? ", got null" : ""));
    }
    return principal;
  }

  private static boolean valid(String p) {
    if (p.isEmpty() || p.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < p.length(); i++) {
      if (Character.isISOControl(p.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
