package dev.clavis.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A clock tests move by hand (UTC; safe to read from other threads). */
public final class MutableClock extends Clock {
  private volatile Instant now;

  /**
   * @param start the first instant it shows
   * @throws NullPointerException if {@code start} is null
   */
  public MutableClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /**
   * Moves the clock.
   *
   * @param d how far (negative moves it back)
   * @throws ArithmeticException if the instant overflows
   */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** @return this clock: tests compare instants, the zone does not matter */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
