package dev.clavis.keyring;

import java.util.Optional;

/**
 * The floor and the ceiling of the password KDF settings Clavis accepts.
 *
 * <h2>Floor: OWASP's minimums (refused at creation and migration unless weak settings are allowed)</h2>
 *
 * Argon2id rows of the OWASP Password Storage Cheat Sheet, each equivalent (p = 1 or more):
 * m ≥ 47,104 KiB (46 MiB) at t = 1, 19,456 KiB (19 MiB) at t = 2, 12,288 KiB (12 MiB) at t = 3,
 * 9,216 KiB (9 MiB) at t = 4, 7,168 KiB (7 MiB) at t ≥ 5. PBKDF2-HMAC-SHA256: 600,000 iterations.
 * {@code m} is in KiB: 64 MiB is {@code m=65536}, and {@code m=64} is 64 KiB, a thousand times
 * too little. Settings below the floor pass only as {@link KdfParameters#allowingWeak()} (the CLI's
 * {@code --allow-weak-kdf}): for tests and throw-away stores.
 *
 * <h2>Ceiling: the work a store's header may ask for (checked at creation and before any work
 * when a store is opened)</h2>
 *
 * A header is read before anything authenticates it, so a forged one must not make an open run
 * for minutes or take gigabytes. The cost of Argon2id is t × m (KiB-passes: the memory filled,
 * times the passes over it); the cost of PBKDF2 its iterations. The defaults allow
 * {@value #DEFAULT_MAX_ARGON2_COST} KiB-passes (512 MiB × 1 pass, 128 MiB × 4, 64 MiB × 8: under
 * three times the default t = 3, m = 64 MiB) and {@value #DEFAULT_MAX_PBKDF2_ITERATIONS} PBKDF2
 * iterations (twice the default), so a forged header costs at most a few seconds more than the
 * default settings, and no more than the strongest store Clavis creates. Raise them with the
 * system properties {@value #MAX_ARGON2_COST_PROPERTY} and {@value #MAX_PBKDF2_ITERATIONS_PROPERTY}
 * (up to the absolute limits of {@link KdfParameters}) on every machine that opens such a store.
 */
public final class KdfLimits {

  /** The system property raising (or lowering) the Argon2id cost cap, t × m in KiB-passes. */
  public static final String MAX_ARGON2_COST_PROPERTY = "dev.clavis.store.maxKdfCost.argon2id";
  /** The system property raising (or lowering) the PBKDF2 iteration cap. */
  public static final String MAX_PBKDF2_ITERATIONS_PROPERTY = "dev.clavis.store.maxKdfCost.pbkdf2";
  /** The default Argon2id cost cap: t × m ≤ 512 MiB-passes. */
  public static final long DEFAULT_MAX_ARGON2_COST = 512L * 1024;
  /** The default PBKDF2 iteration cap. */
  public static final int DEFAULT_MAX_PBKDF2_ITERATIONS = 1_200_000;

  /** OWASP's Argon2id minimum memory in KiB for t = 1..5 (t ≥ 5 as t = 5). */
  private static final int[] OWASP_ARGON2ID_MIN_KIB = {47_104, 19_456, 12_288, 9_216, 7_168};
  /** OWASP's PBKDF2-HMAC-SHA256 minimum. */
  public static final int OWASP_PBKDF2_MIN_ITERATIONS = 600_000;

  private KdfLimits() {}

  /** @return the Argon2id cost cap in force (t × m, KiB-passes) */
  public static long maxArgon2Cost() {
    return property(MAX_ARGON2_COST_PROPERTY, DEFAULT_MAX_ARGON2_COST);
  }

  /** @return the PBKDF2 iteration cap in force */
  public static long maxPbkdf2Iterations() {
    return property(MAX_PBKDF2_ITERATIONS_PROPERTY, DEFAULT_MAX_PBKDF2_ITERATIONS);
  }

  private static long property(String name, long dflt) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim().replace("_", ""));
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the system property " + name + " must be a positive whole number, got '"
          + v + "'");
    }
  }

  /**
   * @param p the parameters to check
   * @return why {@code p} asks for more work than the caps allow (naming the parameters, the cap
   *     and its property), or empty if it does not
   */
  public static Optional<String> excess(KdfParameters p) {
    switch (p.algorithm()) {
      case ARGON2ID: {
        if (p.memoryKiB() > KdfParameters.MAX_ARGON2_MEMORY_KIB || p.iterations() > KdfParameters.MAX_ARGON2_ITERATIONS
            || p.parallelism() > KdfParameters.MAX_ARGON2_PARALLELISM) {
          return Optional.of(p + " is beyond Clavis's absolute limits (m <= " + KdfParameters.MAX_ARGON2_MEMORY_KIB
              + " KiB, t <= " + KdfParameters.MAX_ARGON2_ITERATIONS + ", p <= " + KdfParameters.MAX_ARGON2_PARALLELISM + ")");
        }
        long cost = (long) p.iterations() * p.memoryKiB();
        long cap = maxArgon2Cost();
        if (cost > cap) {
          return Optional.of(p + " costs t x m = " + cost + " KiB-passes, above the cap of " + cap
              + " (system property " + MAX_ARGON2_COST_PROPERTY + ")");
        }
        return Optional.empty();
      }
      case PBKDF2_HMAC_SHA256: {
        long cap = Math.min(maxPbkdf2Iterations(), KdfParameters.MAX_PBKDF2_ITERATIONS);
        if (p.iterations() > cap) {
          return Optional.of(p + " is above the cap of " + cap + " iterations (system property "
              + MAX_PBKDF2_ITERATIONS_PROPERTY + ", at most " + KdfParameters.MAX_PBKDF2_ITERATIONS + ")");
        }
        return Optional.empty();
      }
      default:
        return Optional.empty();
    }
  }

  /**
   * Whether parameters are below OWASP's minimums.
   *
   * @param p the parameters to check
   * @return why {@code p} is below OWASP's minimums (what the minimum is), or empty if it is not
   */
  public static Optional<String> weakness(KdfParameters p) {
    switch (p.algorithm()) {
      case ARGON2ID: {
        int min = OWASP_ARGON2ID_MIN_KIB[Math.max(1, Math.min(p.iterations(), OWASP_ARGON2ID_MIN_KIB.length)) - 1];
        if (p.memoryKiB() < min) {
          return Optional.of(p + " is below OWASP's minimum for t=" + p.iterations() + ": m >= " + min + " KiB"
              + " (46 MiB at t=1, 19 MiB at t=2, 12 MiB at t=3, 9 MiB at t=4, 7 MiB at t>=5; m is in KiB: 64 MiB is"
              + " m=65536)");
        }
        return Optional.empty();
      }
      case PBKDF2_HMAC_SHA256:
        if (p.iterations() < OWASP_PBKDF2_MIN_ITERATIONS) {
          return Optional.of(p + " is below OWASP's minimum of " + OWASP_PBKDF2_MIN_ITERATIONS
              + " iterations for PBKDF2-HMAC-SHA256");
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }

  /**
   * Refuses settings below the floor unless they were explicitly allowed.
   *
   * @param p the parameters to check
   * @param what what is being done, e.g. {@code "cannot create the key store /x"}
   * @throws WeakKdfException naming the minimum and how to allow weak settings
   */
  public static void requireStrongEnough(KdfParameters p, String what) {
    if (p.weakAllowed()) {
      return;
    }
    Optional<String> weak = weakness(p);
    if (weak.isPresent()) {
      throw new WeakKdfException(what + ": " + weak.get() + "; choose stronger settings, or allow weak ones"
          + " explicitly (--allow-weak-kdf, KdfParameters.allowingWeak()) for tests and throw-away stores");
    }
  }
}
