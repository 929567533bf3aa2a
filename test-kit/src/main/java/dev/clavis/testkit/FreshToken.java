package dev.clavis.testkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A SoftHSM2 token of a test's own, made by {@link SoftHsm#freshToken}.
 *
 * @param conf its {@code softhsm2.conf}
 * @param label its label
 * @param pin its user PIN (a test value)
 */
public record FreshToken(Path conf, String label, String pin) {

  /**
   * @throws NullPointerException if a component is null
   */
  public FreshToken {
    Objects.requireNonNull(conf, "conf");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(pin, "pin");
  }

  /** @return {@code SOFTHSM2_CONF} for a child process that is to see this token */
  public Map<String, String> environment() {
    return Map.of("SOFTHSM2_CONF", conf.toString());
  }

  /** Names the token, not its PIN. */
  @Override
  public String toString() {
    return "FreshToken[" + label + " at " + conf + "]";
  }
}
