package dev.clavis.keyring;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A handle to the private key of a managed key pair ({@code tls}) or of one of its versions
 * ({@code tls#2}), as the {@code Clavis} KeyStore returns it. Like {@link ManagedKey} it holds no
 * material: every signature goes through the keyring, which checks the version's state at that
 * moment (a {@code DEPRECATED} version verifies but no longer signs).
 *
 * <p>{@link #getFormat()} is always {@code null} and the handle implements neither
 * {@code ECPrivateKey} nor {@code RSAPrivateKey}, so SunEC and SunRsaSign skip it during delayed
 * provider selection and {@code Signature.getInstance("SHA256withECDSA").initSign(handle)} reaches
 * Clavis. RSA handles implement {@link RSAKey} and EC handles {@link ECKey} (public values taken
 * from the version's certificate), because JSSE and keytool size keys through them.
 * {@link #getEncoded()} is the PKCS#8 encoding only for a key created exportable (an audited
 * export), {@code null} otherwise. Handles are not serializable.
 */
public class ManagedPrivateKey implements PrivateKey, Destroyable {

  private static final long serialVersionUID = 1L;

  private final transient Keyring keyring;
  private final KeyRef ref;
  private final KeyAlgorithm algorithm;
  private final boolean exportable;
  private volatile boolean destroyed;

  private ManagedPrivateKey(Keyring keyring, KeyRef ref, KeyAlgorithm algorithm, boolean exportable) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.ref = Objects.requireNonNull(ref, "ref");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.exportable = exportable;
    if (!algorithm.isKeyPair() && algorithm != KeyAlgorithm.SECP256K1) {
      throw new IllegalArgumentException("key " + ref + " is " + algorithm + ", not a key pair");
    }
  }

  /**
   * A handle of the class the key type needs.
   *
   * @param keyring the keyring that resolves and enforces every use
   * @param ref the key ({@code name}) or an exact version ({@code name#N})
   * @param algorithm the key pair's algorithm
   * @param exportable whether {@link #getEncoded()} may return material
   * @param publicKey the public key of the version the handle names now (from its certificate; unused, may be null, for {@link KeyAlgorithm#SECP256K1})
   * @return the handle
   * @throws IllegalArgumentException if the algorithm is no key pair, or the public key is of another type
   */
  public static ManagedPrivateKey of(Keyring keyring, KeyRef ref, KeyAlgorithm algorithm, boolean exportable,
      PublicKey publicKey) {
    switch (algorithm) {
      case RSA:
        if (!(publicKey instanceof RSAPublicKey)) {
          throw new IllegalArgumentException("key " + ref + " is RSA but its certificate holds no RSA public key");
        }
        return new Rsa(keyring, ref, exportable, ((RSAPublicKey) publicKey).getModulus());
      case EC_P256:
      case EC_P384:
        if (!(publicKey instanceof ECPublicKey)) {
          throw new IllegalArgumentException("key " + ref + " is EC but its certificate holds no EC public key");
        }
        return new Ec(keyring, ref, algorithm, exportable, ((ECPublicKey) publicKey).getParams());
      default:
        return new ManagedPrivateKey(keyring, ref, algorithm, exportable);
    }
  }

  /** @return the keyring this handle belongs to */
  public final Keyring keyring() {
    return keyring;
  }

  /** @return the key or version this handle names */
  public final KeyRef ref() {
    return ref;
  }

  /** @return the key pair's algorithm */
  public final KeyAlgorithm keyAlgorithm() {
    return algorithm;
  }

  /** @return {@code EC}, {@code RSA} or {@code EdDSA} */
  @Override
  public final String getAlgorithm() {
    return algorithm.jcaName();
  }

  /** @return always {@code null}: the handle has no encoding other providers could use */
  @Override
  public final String getFormat() {
    return null;
  }

  /**
   * @return the PKCS#8 encoding of the version this handle resolves to (audited), or
   *     {@code null} unless the key is exportable
   * @throws IllegalStateException if the handle was destroyed
   */
  @Override
  public final byte[] getEncoded() {
    if (destroyed) {
      throw new IllegalStateException("this handle to " + ref + " was destroyed");
    }
    if (!exportable) {
      return null;
    }
    byte[] stored = keyring.exportKey(ref);
    try {
      if (algorithm == KeyAlgorithm.SECP256K1) {
        return dev.clavis.hd.Secp256k1Spec.pkcs8(stored); // a derived key's material is its 32-byte scalar
      }
      KeyPairMaterial m = KeyPairMaterial.decode(stored);
      byte[] out = m.pkcs8();
      m.wipe();
      return out;
    } finally {
      Arrays.fill(stored, (byte) 0);
    }
  }

  /** Invalidates this handle (the key itself is untouched). */
  @Override
  public final void destroy() {
    destroyed = true;
  }

  @Override
  public final boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof ManagedPrivateKey && ((ManagedPrivateKey) o).keyring == keyring
        && ((ManagedPrivateKey) o).ref.equals(ref);
  }

  @Override
  public final int hashCode() {
    return ref.hashCode();
  }

  /** @return metadata only: name, version, algorithm */
  @Override
  public final String toString() {
    return "ManagedPrivateKey{" + ref + ", " + algorithm + (exportable ? ", exportable" : "")
        + (destroyed ? ", destroyed" : "") + "}";
  }

  /**
   * Refuses serialization: a handle is only meaningful with its open keyring.
   *
   * @param out unused
   * @throws IOException always, a {@link NotSerializableException}
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    throw new NotSerializableException("managed key handles are not serializable; store the name " + ref);
  }

  /**
   * Refuses deserialization.
   *
   * @param in unused
   * @throws IOException always, a {@link NotSerializableException}
   */
  private void readObject(ObjectInputStream in) throws IOException {
    throw new NotSerializableException("managed key handles are not serializable");
  }

  /** An RSA handle: the modulus is public (it is in the certificate) and sizes the key for JSSE. */
  static final class Rsa extends ManagedPrivateKey implements RSAKey {
    private static final long serialVersionUID = 1L;
    private final BigInteger modulus;

    Rsa(Keyring keyring, KeyRef ref, boolean exportable, BigInteger modulus) {
      super(keyring, ref, KeyAlgorithm.RSA, exportable);
      this.modulus = modulus;
    }

    /** @return the public modulus of the version the handle named when it was issued */
    @Override
    public BigInteger getModulus() {
      return modulus;
    }
  }

  /** An EC handle: the curve is public and picks the signature scheme in JSSE. */
  static final class Ec extends ManagedPrivateKey implements ECKey {
    private static final long serialVersionUID = 1L;
    private final transient ECParameterSpec params;

    Ec(Keyring keyring, KeyRef ref, KeyAlgorithm algorithm, boolean exportable, ECParameterSpec params) {
      super(keyring, ref, algorithm, exportable);
      this.params = params;
    }

    /** @return the curve of the key */
    @Override
    public ECParameterSpec getParams() {
      return params;
    }
  }
}
