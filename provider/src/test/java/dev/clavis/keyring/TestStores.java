package dev.clavis.keyring;

import java.nio.file.Path;

/**
 * The KDF settings and the store opener of the tests. In the provider's test-jar, so the tests of
 * the CLI and the conformance suite share them; the JDK-only fixtures (SoftHSM2, clock, JSON) are
 * in {@code clavis-test-kit}, which cannot see the provider.
 *
 * <p>The KDFs are far below {@link KdfLimits}' floor, hence {@link KdfParameters#allowingWeak()}:
 * these tests open stores thousands of times and test the store, not the KDF. The KDF's own tests
 * and limits live in {@code KdfLimitsTest} and the Argon2 conformance tests.
 */
public final class TestStores {

  /** The password of the stores {@link #open} opens (not a secret: the hygiene test looks for it in the outputs). */
  public static final String PASSWORD = "reliability-pw-5d1c";

  /** Argon2id t=1, m=64 KiB, p=1: the KDF of the provider's unit tests. */
  public static final KdfParameters FAST_KDF = KdfParameters.argon2id(1, 64, 1).allowingWeak();

  /** The lightest Argon2id RFC 9106 allows (t=1, m=8 KiB, p=1): the KDF of the conformance stores. */
  public static final KdfParameters LIGHTEST_KDF = KdfParameters.argon2id(1, 8, 1).allowingWeak();

  private TestStores() {}

  /**
   * Opens (or creates, with {@link #LIGHTEST_KDF}) the store at {@code file} with {@link #PASSWORD}.
   *
   * @param file the store file
   * @return the open keyring
   * @throws KeyringException if it cannot be opened
   */
  public static Keyring open(Path file) {
    return Keyrings.openFile(file, PASSWORD.toCharArray(), LIGHTEST_KDF);
  }
}
