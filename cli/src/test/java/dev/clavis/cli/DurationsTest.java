package dev.clavis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parse_shortAndIsoForms() {
    assertEquals(Duration.ofDays(7), Durations.parse("--after", "7d"));
    assertEquals(Duration.ofHours(12), Durations.parse("--after", "12H"));
    assertEquals(Duration.ofMinutes(30), Durations.parse("--after", "30m"));
    assertEquals(Duration.ofSeconds(45), Durations.parse("--after", "45s"));
    assertEquals(Duration.ofDays(14), Durations.parse("--after", "2w"));
    assertEquals(Duration.ofDays(3), Durations.parse("--after", "P3D"));
  }

  @Test
  void parse_garbage_isUsageErrorNamingTheOption() {
    CliException e = assertThrows(CliException.class, () -> Durations.parse("--lifetime", "soon"));
    assertEquals(CliException.USAGE, e.exitCode());
    assertEquals(true, e.getMessage().startsWith("--lifetime"));
  }

  @Test
  void parse_years_areThreeHundredSixtyFiveDays() {
    assertEquals(Duration.ofDays(365), Durations.parse("--lifetime", "1y"));
    assertEquals(Duration.ofDays(730), Durations.parse("--lifetime", "2Y"));
  }

  @Test
  void format_zero_is0s_notPT0S() {
    assertEquals("0s", Durations.format(Duration.ZERO));
    assertEquals("0s", Durations.format(Durations.parse("--deletion-window", "0d")));
  }

  @Test
  void format_roundTrips() {
    for (String s : new String[] {"7d", "12h", "30m", "45s"}) {
      assertEquals(s, Durations.format(Durations.parse("x", s)));
    }
  }
}
