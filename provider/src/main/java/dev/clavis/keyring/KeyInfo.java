package dev.clavis.keyring;

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
