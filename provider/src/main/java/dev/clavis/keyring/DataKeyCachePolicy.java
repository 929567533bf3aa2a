package dev.clavis.keyring;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of a keyring's data-key cache ({@link KeyringOptions#withDataKeyCache}): an unwrapped
 * data key is served from memory for at most {@link #maxAge()}, at most {@link #maxUses()} times
 * (the unwrap that filled the entry included), for at most {@link #maxBytes()} bytes declared by the
 * callers, and at most {@link #maxEntries()} keys are kept (the least recently used is wiped first).
 * An immutable validated value. See {@code docs/envelope.md}, "The data-key cache".
 */
public final class DataKeyCachePolicy {

  /** The longest an entry may live: one hour (a cache is for outages of seconds to minutes). */
  public static final Duration MAX_AGE_LIMIT = Duration.ofHours(1);

  /** The most entries a cache may hold. */
  public static final int MAX_ENTRIES_LIMIT = 1 << 20;

  private final Duration maxAge;
  private final long maxUses;
  private final long maxBytes;
  private final int maxEntries;

  private DataKeyCachePolicy(Duration maxAge, long maxUses, long maxBytes, int maxEntries) {
    this.maxAge = maxAge;
    this.maxUses = maxUses;
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /**
   * @param maxAge how long an entry is served after the unwrap that filled it: more than zero, at
   *     most {@link #MAX_AGE_LIMIT}
   * @param maxUses how many unwraps one entry answers, the filling one included: at least 1
   * @param maxBytes how many bytes the callers may declare for one entry in all, at least 0
   *     ({@code Long.MAX_VALUE}: no bound)
   * @param maxEntries how many data keys the cache holds: 1 to {@link #MAX_ENTRIES_LIMIT}
   * @return the policy
   * @throws NullPointerException if {@code maxAge} is null
   * @throws IllegalArgumentException naming the bound that is out of range
   */
  public static DataKeyCachePolicy of(Duration maxAge, long maxUses, long maxBytes, int maxEntries) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(MAX_AGE_LIMIT) > 0) {
      throw new IllegalArgumentException("data-key cache maxAge must be more than 0 and at most " + MAX_AGE_LIMIT
          + ", got " + maxAge);
    }
    if (maxUses < 1) {
      throw new IllegalArgumentException("data-key cache maxUses must be at least 1, got " + maxUses);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("data-key cache maxBytes must be at least 0, got " + maxBytes);
    }
    if (maxEntries < 1 || maxEntries > MAX_ENTRIES_LIMIT) {
      throw new IllegalArgumentException("data-key cache maxEntries must be 1 to " + MAX_ENTRIES_LIMIT + ", got "
          + maxEntries);
    }
    return new DataKeyCachePolicy(maxAge, maxUses, maxBytes, maxEntries);
  }

  /** @return how long an entry is served after the unwrap that filled it */
  public Duration maxAge() {
    return maxAge;
  }

  /** @return how many unwraps one entry answers, the filling one included */
  public long maxUses() {
    return maxUses;
  }

  /** @return how many bytes the callers may declare for one entry in all */
  public long maxBytes() {
    return maxBytes;
  }

  /** @return how many data keys the cache holds */
  public int maxEntries() {
    return maxEntries;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataKeyCachePolicy p && p.maxAge.equals(maxAge) && p.maxUses == maxUses
        && p.maxBytes == maxBytes && p.maxEntries == maxEntries;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAge, maxUses, maxBytes, maxEntries);
  }

  @Override
  public String toString() {
    return "DataKeyCachePolicy{maxAge=" + maxAge + ", maxUses=" + maxUses + ", maxBytes=" + maxBytes
        + ", maxEntries=" + maxEntries + "}";
  }
}
