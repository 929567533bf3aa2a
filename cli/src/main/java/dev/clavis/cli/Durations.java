package dev.clavis.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people type them: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s},
 * {@code 2w}, {@code 1y} (365 days), or ISO-8601 {@code P7D}; writes them short, {@code 0s} for none.
 */
final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhdwy])");
  private static final String FORMS = "90d, 12h, 30m, 45s, 2w, 1y or P7D";

  private Durations() {}

  /**
   * @param option the option name, for the message
   * @throws CliException a usage error if the text is no duration
   */
  static Duration parse(String option, String text) {
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(option + " takes a duration such as " + FORMS + ", got '" + text + "'");
    }
  }

  /** @throws IllegalArgumentException if the text is no duration */
  static Duration parse(String text) {
    Matcher m = SHORT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "s": return Duration.ofSeconds(n);
        case "m": return Duration.ofMinutes(n);
        case "h": return Duration.ofHours(n);
        case "d": return Duration.ofDays(n);
        case "w": return Duration.ofDays(7 * n);
        default: return Duration.ofDays(365 * n); // a year is 365 days here, as in most key policies
      }
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is no duration; write one such as " + FORMS);
    }
  }

  /** @return the duration written short ({@code 7d}, {@code 12h}, {@code 0s}...) when it is whole, ISO-8601 otherwise */
  static String format(Duration d) {
    long s = d.getSeconds();
    if (d.isZero()) {
      return "0s";
    }
    if (d.getNano() == 0 && s > 0) {
      if (s % 86400 == 0) {
        return s / 86400 + "d";
      }
      if (s % 3600 == 0) {
        return s / 3600 + "h";
      }
      if (s % 60 == 0) {
        return s / 60 + "m";
      }
      return s + "s";
    }
    return d.toString();
  }

  /** The picocli converter of duration options. */
  static final class Converter implements ITypeConverter<Duration> {
    /**
     * @throws TypeConversionException if the text is no duration (picocli names the option)
     */
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
