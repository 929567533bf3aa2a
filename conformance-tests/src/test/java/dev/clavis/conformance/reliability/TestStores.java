package dev.clavis.conformance.reliability;

import dev.clavis.keyring.KdfParameters;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.Keyrings;
import java.nio.file.Path;

/** Opens the file stores of the reliability tests. */
final class TestStores {

  /** The password of every test store (not a secret: the hygiene test looks for it in the outputs). */
  static final String PASSWORD = "reliability-pw-5d1c";

  /**
   * The lightest Argon2id RFC 9106 allows (t=1, m=8 KiB, p=1): these tests open stores thousands
   * of times and test the store, not the KDF. The KDF's own tests and limits live elsewhere.
   */
  static final KdfParameters FAST_KDF = KdfParameters.argon2id(1, 8, 1).allowingWeak();

  private TestStores() {}

  /** Opens (or creates, with {@link #FAST_KDF}) the store at {@code file}. */
  static Keyring open(Path file) {
    return Keyrings.openFile(file, PASSWORD.toCharArray(), FAST_KDF);
  }
}
