package dev.clavis.keyring;

import java.util.Objects;

/**
 * How a file store derives its key from the password: Argon2id (RFC 9106; the default t=3,
 * m=64 MiB, p=4) or PBKDF2-HMAC-SHA256 (RFC 8018; 600,000 iterations by default, following
 * OWASP's 2023 guidance). Immutable. A store rooted in an HSM has no KDF at all: its protection is
 * {@code dev.clavis.keyring.file.MasterKeyProtector.Kind#TOKEN_ROOT}, not a value of this class.
 *
 * <p>Parameters read from a file are checked against {@link #limitsOk()} before any work is done,
 * and the factories refuse the same: the cost caps of {@link KdfLimits} (Argon2id t × m, PBKDF2
 * iterations; system properties {@value KdfLimits#MAX_ARGON2_COST_PROPERTY} and
 * {@value KdfLimits#MAX_PBKDF2_ITERATIONS_PROPERTY}), within the absolute limits below (Argon2id at
 * most {@value #MAX_ARGON2_MEMORY_KIB} KiB, {@value #MAX_ARGON2_ITERATIONS} passes and
 * {@value #MAX_ARGON2_PARALLELISM} lanes; PBKDF2 at most {@value #MAX_PBKDF2_ITERATIONS}
 * iterations). A forged header therefore cannot make opening cost more than the strongest store
 * Clavis creates.
 *
 * <p>Settings below OWASP's minimums ({@link KdfLimits}) can be built, but a new store or a
 * migration refuses them unless they come from {@link #allowingWeak()}.
 */
public final class KdfParameters {

  /** The key derivation function. */
  public enum Algorithm {
    /** Argon2id, RFC 9106, version 0x13. */
    ARGON2ID,
    /** PBKDF2 with HMAC-SHA256, RFC 8018 §5.2. */
    PBKDF2_HMAC_SHA256
  }

  /** Upper bound on Argon2 memory read from a file: 1 GiB. */
  public static final int MAX_ARGON2_MEMORY_KIB = 1 << 20;
  /** Upper bound on Argon2 passes read from a file. */
  public static final int MAX_ARGON2_ITERATIONS = 16;
  /** Upper bound on Argon2 lanes read from a file. */
  public static final int MAX_ARGON2_PARALLELISM = 16;
  /** Upper bound on PBKDF2 iterations read from a file. */
  public static final int MAX_PBKDF2_ITERATIONS = 10_000_000;

  private final Algorithm algorithm;
  private final int iterations;
  private final int memoryKiB;
  private final int parallelism;
  private final boolean weakAllowed;

  private KdfParameters(Algorithm algorithm, int iterations, int memoryKiB, int parallelism) {
    this(algorithm, iterations, memoryKiB, parallelism, false);
  }

  private KdfParameters(Algorithm algorithm, int iterations, int memoryKiB, int parallelism, boolean weakAllowed) {
    this.algorithm = algorithm;
    this.iterations = iterations;
    this.memoryKiB = memoryKiB;
    this.parallelism = parallelism;
    this.weakAllowed = weakAllowed;
  }

  /**
   * @return the same settings, marked as allowed although they may be below OWASP's minimums: a
   *     new store or a migration then accepts them (tests, throw-away stores). The mark is the
   *     caller's consent, not a parameter: it is not stored and {@link #equals} ignores it.
   */
  public KdfParameters allowingWeak() {
    return new KdfParameters(algorithm, iterations, memoryKiB, parallelism, true);
  }

  /** @return whether these settings came from {@link #allowingWeak()} */
  public boolean weakAllowed() {
    return weakAllowed;
  }

  /** @return Argon2id with t=3, m=64 MiB, p=4 (the default) */
  public static KdfParameters defaults() {
    return argon2id(3, 64 * 1024, 4);
  }

  /**
   * Argon2id parameters (RFC 9106).
   *
   * @param iterations t, the number of passes
   * @param memoryKiB m, the memory in KiB
   * @param parallelism p, the number of lanes
   * @return the validated parameters
   * @throws IllegalArgumentException if t &lt; 1, p &lt; 1, m &lt; 8p (RFC 9106 §3.1) or beyond the
   *     cost cap ({@link KdfLimits})
   */
  public static KdfParameters argon2id(int iterations, int memoryKiB, int parallelism) {
    if (iterations < 1 || parallelism < 1 || memoryKiB < 8 * parallelism) {
      throw new IllegalArgumentException("Argon2id needs t >= 1, p >= 1 and m >= 8p KiB (RFC 9106 §3.1), got t="
          + iterations + " m=" + memoryKiB + " p=" + parallelism);
    }
    return checked(new KdfParameters(Algorithm.ARGON2ID, iterations, memoryKiB, parallelism));
  }

  /** @return PBKDF2-HMAC-SHA256 with 600,000 iterations */
  public static KdfParameters pbkdf2() {
    return pbkdf2(600_000);
  }

  /**
   * PBKDF2-HMAC-SHA256 parameters (RFC 8018).
   *
   * @param iterations the iteration count
   * @return the validated parameters
   * @throws IllegalArgumentException if iterations &lt; 1 or beyond the cap ({@link KdfLimits})
   */
  public static KdfParameters pbkdf2(int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("PBKDF2 needs at least 1 iteration, got " + iterations);
    }
    return checked(new KdfParameters(Algorithm.PBKDF2_HMAC_SHA256, iterations, 0, 0));
  }

  private static KdfParameters checked(KdfParameters p) {
    java.util.Optional<String> excess = KdfLimits.excess(p);
    if (excess.isPresent()) {
      throw new IllegalArgumentException(excess.get());
    }
    return p;
  }

  /**
   * Builds parameters read from a file, without validation beyond the type; callers check
   * {@link #limitsOk()} and {@link #valid()} before deriving.
   *
   * @param algorithm the KDF
   * @param iterations t, or PBKDF2's iteration count
   * @param memoryKiB m in KiB (0 for PBKDF2)
   * @param parallelism p (0 for PBKDF2)
   * @return the parameters as read
   * @throws NullPointerException if {@code algorithm} is null
   */
  public static KdfParameters unchecked(Algorithm algorithm, int iterations, int memoryKiB, int parallelism) {
    return new KdfParameters(Objects.requireNonNull(algorithm), iterations, memoryKiB, parallelism);
  }

  /** @return whether the parameters are well formed */
  public boolean valid() {
    return algorithm == Algorithm.ARGON2ID
        ? iterations >= 1 && parallelism >= 1 && memoryKiB >= 8 * parallelism
        : iterations >= 1;
  }

  /**
   * @return whether deriving with these parameters stays within the cost caps of {@link KdfLimits}
   *     (see {@link KdfLimits#excess} for why not)
   */
  public boolean limitsOk() {
    return KdfLimits.excess(this).isEmpty();
  }

  /** @return the function */
  public Algorithm algorithm() {
    return algorithm;
  }

  /** @return Argon2 passes (t) or PBKDF2 iterations */
  public int iterations() {
    return iterations;
  }

  /** @return Argon2 memory in KiB (m); 0 for PBKDF2 */
  public int memoryKiB() {
    return memoryKiB;
  }

  /** @return Argon2 lanes (p); 0 for PBKDF2 */
  public int parallelism() {
    return parallelism;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KdfParameters && ((KdfParameters) o).algorithm == algorithm
        && ((KdfParameters) o).iterations == iterations && ((KdfParameters) o).memoryKiB == memoryKiB
        && ((KdfParameters) o).parallelism == parallelism;
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, iterations, memoryKiB, parallelism);
  }

  @Override
  public String toString() {
    return algorithm == Algorithm.ARGON2ID
        ? "Argon2id(t=" + iterations + ", m=" + memoryKiB + " KiB, p=" + parallelism + ")"
        : "PBKDF2-HMAC-SHA256(" + iterations + " iterations)";
  }
}
