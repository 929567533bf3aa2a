package dev.clavis.keyring;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A named key: its policy and all its versions, oldest first. Immutable snapshot. */
public final class KeyInfo {

  private final String name;
  private final KeyAlgorithm algorithm;
  private final KeyPolicy policy;
  private final List<KeyVersionInfo> versions;
  private final int primaryVersion; // 0 = none (every version stopped)
  private final KeyMetadata metadata;
  private final Instant certificateDue; // null: no certificate makes the key due

  /**
   * A key as the keyring reports it.
   *
   * @param name the key's name
   * @param algorithm what its material is for
   * @param policy its policy
   * @param versions every version, oldest first; copied
   * @param primaryVersion the version that encrypts now, or 0 if none does
   * @throws NullPointerException if name, algorithm, policy or versions is null
   */
  public KeyInfo(String name, KeyAlgorithm algorithm, KeyPolicy policy, List<KeyVersionInfo> versions, int primaryVersion) {
    this(name, algorithm, policy, versions, primaryVersion, KeyMetadata.empty());
  }

  /**
   * A key as the keyring reports it, with its metadata.
   *
   * @param name the key's name
   * @param algorithm what its material is for
   * @param policy its policy
   * @param versions every version, oldest first; copied
   * @param primaryVersion the version that encrypts now, or 0 if none does
   * @param metadata its purpose, description, tags and creation source
   * @throws NullPointerException if any argument is null
   */
  public KeyInfo(String name, KeyAlgorithm algorithm, KeyPolicy policy, List<KeyVersionInfo> versions, int primaryVersion,
      KeyMetadata metadata) {
    this(name, algorithm, policy, versions, primaryVersion, metadata, null);
  }

  /**
   * A key as the keyring reports it, with its metadata and, for a key pair, when its primary's
   * certificate makes it due for rotation.
   *
   * @param name the key's name
   * @param algorithm what its material is for
   * @param policy its policy
   * @param versions every version, oldest first; copied
   * @param primaryVersion the version that encrypts now, or 0 if none does
   * @param metadata its purpose, description, tags and creation source
   * @param certificateDue when the primary's certificate makes the key due ({@code notAfter} minus
   *     a margin), or null when it has none
   * @throws NullPointerException if any argument but {@code certificateDue} is null
   */
  public KeyInfo(String name, KeyAlgorithm algorithm, KeyPolicy policy, List<KeyVersionInfo> versions, int primaryVersion,
      KeyMetadata metadata, Instant certificateDue) {
    this.certificateDue = certificateDue;
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.name = Objects.requireNonNull(name, "name");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.versions = List.copyOf(versions);
    this.primaryVersion = primaryVersion;
  }

  /** @return the key's name */
  public String name() { return name; }
  /** @return what the key's material is for */
  public KeyAlgorithm algorithm() { return algorithm; }
  /** @return the key's policy */
  public KeyPolicy policy() { return policy; }
  /** @return the key's purpose, description, tags and creation source */
  public KeyMetadata metadata() { return metadata; }

  /**
   * When the primary falls due for rotation by time: its activation plus the rotation period, its
   * expiry, or for a key pair its certificate's {@code notAfter} minus a margin (30 days, or a
   * third of the validity if shorter), whichever comes first. {@code Keyring.rotateDue()} rotates
   * a secret key from then on; the next encryption rotates it too when the policy rotates
   * automatically. A key pair is only reported due: its next version needs a new certificate.
   *
   * @return the instant, or empty when there is no primary, nor a rotation period, lifetime or certificate
   */
  public Optional<Instant> nextRotation() {
    KeyVersionInfo p = primary().orElse(null);
    if (p == null) {
      return Optional.empty();
    }
    Instant byAge = policy.rotationPeriod().flatMap(d -> p.activated().map(a -> a.plus(d))).orElse(null);
    return Optional.ofNullable(earliest(earliest(byAge, p.expires().orElse(null)), certificateDue));
  }

  /** @return when the primary's certificate makes a key pair due, if it has one ({@link #nextRotation}) */
  public Optional<Instant> certificateDue() {
    return primary().isPresent() ? Optional.ofNullable(certificateDue) : Optional.empty();
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  /** @return every version, oldest first, destroyed ones included as tombstones */
  public List<KeyVersionInfo> versions() { return versions; }

  /** @return the version that encrypts now, if any */
  public Optional<KeyVersionInfo> primary() {
    return primaryVersion == 0 ? Optional.empty() : version(primaryVersion);
  }

  /**
   * One version of the key.
   *
   * @param v the version number
   * @return the given version, if it exists
   */
  public Optional<KeyVersionInfo> version(int v) {
    return versions.stream().filter(x -> x.version() == v).findFirst();
  }

  /** @return the newest version */
  public KeyVersionInfo latest() {
    return versions.get(versions.size() - 1);
  }

  @Override
  public String toString() {
    return "KeyInfo{" + name + " " + algorithm + " primary=" + (primaryVersion == 0 ? "none" : "#" + primaryVersion)
        + " versions=" + versions.size() + "}";
  }
}
