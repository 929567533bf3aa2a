package dev.clavis.conformance.reliability;

import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Path;

/** Opens the file stores of the reliability tests. */
final class TestStores {

  /** The password of every test store (not a secret: the hygiene test looks for it in the outputs). */
  static final String PASSWORD = "reliability-pw-5d1c";

  private TestStores() {}

  static Keyring open(Path file) {
    return Keyrings.openFile(file, PASSWORD.toCharArray());
  }
}
