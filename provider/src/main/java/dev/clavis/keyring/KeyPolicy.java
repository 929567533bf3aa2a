package dev.clavis.keyring;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a key's versions age: rotation period, usage limit and expiry per version, the deletion
 * window, and whether material may be exported; and how old versions retire: the decryption floor
 * ({@code minDecryptionVersion}), the number of decrypting versions kept ({@code keepVersions}),
 * the decrypt window after deactivation, and deletion protection. Immutable; build with
 * {@link #builder()}. A live key's policy is changed with {@link Keyring#updatePolicy}.
 */
public final class KeyPolicy {

  /** The default deletion window: destruction is cancellable for 7 days. */
  public static final Duration DEFAULT_DELETION_WINDOW = Duration.ofDays(7);

  private final Duration rotationPeriod;
  private final long usageLimit;
  private final Duration versionLifetime;
  private final Duration deletionWindow;
  private final boolean exportable;
  private final boolean autoRotate;
  private final int minDecryptionVersion;
  private final int keepVersions;
  private final Duration decryptWindow;
  private final boolean deletionProtection;
  private final boolean legacyEncryption;

  private KeyPolicy(Builder b) {
    this.rotationPeriod = b.rotationPeriod;
    this.usageLimit = b.usageLimit;
    this.versionLifetime = b.versionLifetime;
    this.deletionWindow = b.deletionWindow;
    this.exportable = b.exportable;
    this.autoRotate = b.autoRotate;
    this.minDecryptionVersion = b.minDecryptionVersion;
    this.keepVersions = b.keepVersions;
    this.decryptWindow = b.decryptWindow;
    this.deletionProtection = b.deletionProtection;
    this.legacyEncryption = b.legacyEncryption;
  }

  /** @return a policy with no automatic rotation, no limits, a 7-day deletion window, not exportable */
  public static KeyPolicy defaults() {
    return builder().build();
  }

  /** @return a builder starting from the defaults */
  public static Builder builder() {
    return new Builder();
  }

  /** @return a builder starting from this policy */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.rotationPeriod = rotationPeriod;
    b.usageLimit = usageLimit;
    b.versionLifetime = versionLifetime;
    b.deletionWindow = deletionWindow;
    b.exportable = exportable;
    b.autoRotate = autoRotate;
    b.minDecryptionVersion = minDecryptionVersion;
    b.keepVersions = keepVersions;
    b.decryptWindow = decryptWindow;
    b.deletionProtection = deletionProtection;
    b.legacyEncryption = legacyEncryption;
    return b;
  }

  /** @return the age after which the primary is rotated before its next encryption */
  public Optional<Duration> rotationPeriod() {
    return Optional.ofNullable(rotationPeriod);
  }

  /** @return uses allowed per version before the next encryption rotates (or refuses) */
  public OptionalLong usageLimit() {
    return usageLimit == 0 ? OptionalLong.empty() : OptionalLong.of(usageLimit);
  }

  /** @return how long after activation a version expires (stops encrypting) */
  public Optional<Duration> versionLifetime() {
    return Optional.ofNullable(versionLifetime);
  }

  /** @return how long a scheduled destruction stays cancellable */
  public Duration deletionWindow() {
    return deletionWindow;
  }

  /** @return whether handles of this key expose their material through {@code getEncoded()} */
  public boolean exportable() {
    return exportable;
  }

  /**
   * @return whether a primary that is due (rotation period elapsed, usage limit or the GCM
   *     invocation limit reached, expired) is rotated automatically before the next encryption
   *     through the key's name; when false such an encryption is refused instead
   */
  public boolean autoRotate() {
    return autoRotate;
  }

  /**
   * @return the oldest version that may decrypt (0: no floor); versions below it are refused for
   *     decryption whatever their state
   */
  public int minDecryptionVersion() {
    return minDecryptionVersion;
  }

  /**
   * @return how many versions that can decrypt are kept, newest first (0: all); older ones are
   *     scheduled for destruction with the deletion window
   */
  public int keepVersions() {
    return keepVersions;
  }

  /** @return how long after its deactivation a version still decrypts; empty for as long as its state allows */
  public Optional<Duration> decryptWindow() {
    return Optional.ofNullable(decryptWindow);
  }

  /** @return whether destroying the key or its versions (now or scheduled) is refused */
  public boolean deletionProtection() {
    return deletionProtection;
  }

  /**
   * @return whether the unauthenticated legacy modes ({@code AES/CBC/PKCS5Padding},
   *     {@code AES/CTR/NoPadding}) may encrypt new data with this key. Default false: they only
   *     decrypt, so data migrated from PKCS12/JCEKS stays readable while new data gets GCM
   */
  public boolean legacyEncryption() {
    return legacyEncryption;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KeyPolicy)) {
      return false;
    }
    KeyPolicy p = (KeyPolicy) o;
    return Objects.equals(rotationPeriod, p.rotationPeriod)
        && usageLimit == p.usageLimit
        && Objects.equals(versionLifetime, p.versionLifetime)
        && deletionWindow.equals(p.deletionWindow)
        && exportable == p.exportable
        && autoRotate == p.autoRotate
        && minDecryptionVersion == p.minDecryptionVersion
        && keepVersions == p.keepVersions
        && Objects.equals(decryptWindow, p.decryptWindow)
        && deletionProtection == p.deletionProtection
        && legacyEncryption == p.legacyEncryption;
  }

  @Override
  public int hashCode() {
    return Objects.hash(rotationPeriod, usageLimit, versionLifetime, deletionWindow, exportable, autoRotate,
        minDecryptionVersion, keepVersions, decryptWindow, deletionProtection, legacyEncryption);
  }

  @Override
  public String toString() {
    return "KeyPolicy{rotationPeriod=" + rotationPeriod + ", usageLimit=" + (usageLimit == 0 ? "none" : usageLimit)
        + ", versionLifetime=" + versionLifetime + ", deletionWindow=" + deletionWindow + ", exportable=" + exportable + ", autoRotate=" + autoRotate
        + ", minDecryptionVersion=" + minDecryptionVersion + ", keepVersions=" + keepVersions
        + ", decryptWindow=" + decryptWindow + ", deletionProtection=" + deletionProtection
        + ", legacyEncryption=" + legacyEncryption + "}";
  }

  /** Builds a {@link KeyPolicy}; every setter validates its argument. */
  public static final class Builder {
    private Duration rotationPeriod;
    private long usageLimit;
    private Duration versionLifetime;
    private Duration deletionWindow = DEFAULT_DELETION_WINDOW;
    private boolean exportable;
    private boolean autoRotate = true;
    private int minDecryptionVersion;
    private int keepVersions;
    private Duration decryptWindow;
    private boolean deletionProtection;
    private boolean legacyEncryption;

    private Builder() {}

    /**
     * The oldest version that may decrypt; 0 for no floor.
     *
     * @param version 0 or a version number
     * @return this builder
     * @throws IllegalArgumentException if the version is negative
     */
    public Builder minDecryptionVersion(int version) {
      if (version < 0) {
        throw new IllegalArgumentException("minimum decryption version must be 0 (none) or a version number, got "
            + version);
      }
      this.minDecryptionVersion = version;
      return this;
    }

    /**
     * How many decrypting versions to keep, newest first; 0 to keep all.
     *
     * @param n 0 or positive
     * @return this builder
     * @throws IllegalArgumentException if n is negative
     */
    public Builder keepVersions(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("keep-versions must be 0 (keep all) or positive, got " + n);
      }
      this.keepVersions = n;
      return this;
    }

    /**
     * How long after its deactivation a version still decrypts; null for no limit.
     *
     * @param window a positive duration, or null
     * @return this builder
     * @throws IllegalArgumentException if the window is zero or negative
     */
    public Builder decryptWindow(Duration window) {
      this.decryptWindow = positiveOrNull(window, "decrypt window");
      return this;
    }

    /**
     * Whether destroying the key or its versions is refused until protection is turned off.
     *
     * @param on true to protect
     * @return this builder
     */
    public Builder deletionProtection(boolean on) {
      this.deletionProtection = on;
      return this;
    }

    /**
     * Rotate the primary automatically once it is this old; null for never.
     *
     * @param period a positive duration, or null
     * @return this builder
     * @throws IllegalArgumentException if the period is zero or negative
     */
    public Builder rotationPeriod(Duration period) {
      this.rotationPeriod = positiveOrNull(period, "rotation period");
      return this;
    }

    /**
     * Uses allowed per version; 0 for no limit.
     *
     * @param limit 0 or positive
     * @return this builder
     * @throws IllegalArgumentException if the limit is negative
     */
    public Builder usageLimit(long limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("usage limit must be 0 (none) or positive, got " + limit);
      }
      this.usageLimit = limit;
      return this;
    }

    /**
     * Each version stops encrypting this long after activation; null for never.
     *
     * @param lifetime a positive duration, or null
     * @return this builder
     * @throws IllegalArgumentException if the lifetime is zero or negative
     */
    public Builder versionLifetime(Duration lifetime) {
      this.versionLifetime = positiveOrNull(lifetime, "version lifetime");
      return this;
    }

    /**
     * How long a scheduled destruction stays cancellable (may be zero).
     *
     * @param window zero or positive
     * @return this builder
     * @throws NullPointerException if the window is null
     * @throws IllegalArgumentException if the window is negative
     */
    public Builder deletionWindow(Duration window) {
      Objects.requireNonNull(window, "deletion window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("deletion window must not be negative, got " + window);
      }
      this.deletionWindow = window;
      return this;
    }

    /**
     * Whether handles expose their material through {@code getEncoded()}.
     *
     * @param exportable true to allow export
     * @return this builder
     */
    public Builder exportable(boolean exportable) {
      this.exportable = exportable;
      return this;
    }

    /**
     * Whether a due primary rotates automatically before the next encryption (default true) or refuses.
     *
     * @param autoRotate false to refuse encryption under a due primary instead
     * @return this builder
     */
    public Builder autoRotate(boolean autoRotate) {
      this.autoRotate = autoRotate;
      return this;
    }

    /**
     * Whether managed {@code AES/CBC/PKCS5Padding} and {@code AES/CTR/NoPadding} may encrypt (default
     * false: decrypt only). Turn it on only for an application that must still write the legacy
     * format; these modes have no integrity check.
     *
     * @param legacyEncryption true to let the legacy modes encrypt
     * @return this builder
     */
    public Builder legacyEncryption(boolean legacyEncryption) {
      this.legacyEncryption = legacyEncryption;
      return this;
    }

    /** @return the policy */
    public KeyPolicy build() {
      return new KeyPolicy(this);
    }

    private static Duration positiveOrNull(Duration d, String what) {
      if (d != null && (d.isZero() || d.isNegative())) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
