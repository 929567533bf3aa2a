package dev.clavis.keyring;

import java.util.Objects;

/**
 * A handle to the public key of a managed key pair ({@code tls}: every version that may still
 * verify) or of one version ({@code tls#2}), for verification that follows the lifecycle: a
 * {@code REVOKED}, {@code SUSPENDED} or {@code COMPROMISED} version no longer verifies through it.
 * A derived HD key ({@link KeyAlgorithm#SECP256K1}) has such a handle too: it verifies
 * {@code SHA256withECDSA} on secp256k1 while the key's version and the seed version it came from
 * may verify ({@link HdDerivation}).
 * The plain public key is in the certificate (for an HD key: {@link Keyring#hdPublicKey}) for
 * anyone who needs no lifecycle;
 * {@link #getFormat()} and {@link #getEncoded()} are {@code null} so that other providers skip
 * this handle and verification reaches Clavis.
 */
public final class ManagedPublicKey implements java.security.PublicKey {

  private static final long serialVersionUID = 1L;

  private final transient Keyring keyring;
  private final KeyRef ref;
  private final KeyAlgorithm algorithm;

  /**
   * @param keyring the keyring that resolves and enforces every use
   * @param ref the key ({@code name}) or an exact version ({@code name#N})
   * @param algorithm the key pair's algorithm, or {@link KeyAlgorithm#SECP256K1} for a derived HD key
   * @throws IllegalArgumentException if the algorithm is neither a key pair nor a derived HD key
   */
  public ManagedPublicKey(Keyring keyring, KeyRef ref, KeyAlgorithm algorithm) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.ref = Objects.requireNonNull(ref, "ref");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    if (!algorithm.isKeyPair() && algorithm != KeyAlgorithm.SECP256K1) {
      throw new IllegalArgumentException("key " + ref + " is " + algorithm + ", not a key pair");
    }
  }

  /** @return the keyring this handle belongs to */
  public Keyring keyring() {
    return keyring;
  }

  /** @return the key or version this handle names */
  public KeyRef ref() {
    return ref;
  }

  /** @return the key pair's algorithm ({@link KeyAlgorithm#SECP256K1} for a derived HD key) */
  public KeyAlgorithm keyAlgorithm() {
    return algorithm;
  }

  @Override
  public String getAlgorithm() {
    return algorithm.jcaName();
  }

  /** @return {@code null}: verification through this handle goes through Clavis */
  @Override
  public String getFormat() {
    return null;
  }

  /** @return {@code null}; the version's certificate (an HD key: {@link Keyring#hdPublicKey}) holds the plain public key */
  @Override
  public byte[] getEncoded() {
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ManagedPublicKey && ((ManagedPublicKey) o).keyring == keyring
        && ((ManagedPublicKey) o).ref.equals(ref);
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }

  @Override
  public String toString() {
    return "ManagedPublicKey{" + ref + ", " + algorithm + "}";
  }

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    throw new java.io.NotSerializableException("managed key handles are not serializable; store the name " + ref);
  }
}
