package dev.clavis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {

  @Test
  void advance_movesTheInstant_andNothingElseDoes() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    MutableClock c = new MutableClock(start);
    assertEquals(start, c.instant());
    assertEquals(start, c.instant());
    c.advance(Duration.ofDays(2));
    assertEquals(start.plus(Duration.ofDays(2)), c.instant());
    assertEquals(ZoneOffset.UTC, c.getZone());
    assertSame(c, c.withZone(ZoneId.of("Europe/Paris")));
  }
}
