package dev.clavis.keyring;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.security.auth.Destroyable;

/**
 * A handle to a managed key ({@code payments}) or to one of its versions ({@code payments#3}),
 * as the {@code Clavis} KeyStore returns it. It holds no material: every use goes through the
 * keyring that issued it, which checks the version's state at that moment, so a rotation,
 * suspension or revocation takes effect at once in every handle.
 *
 * <p>{@link #getFormat()} is always {@code null}, so providers other than Clavis skip the handle
 * during JCA's delayed provider selection and a plain {@code Cipher.getInstance("AES/GCM/NoPadding")}
 * reaches Clavis's lifecycle-enforcing cipher. {@link #getEncoded()} returns the raw material of
 * the version only when the key was created exportable, and {@code null} otherwise. Handles are
 * not serializable.
 */
public final class ManagedKey implements SecretKey, Destroyable {

  private static final long serialVersionUID = 1L;

  /** The keyring that resolves the handle; never serialized (handles are not serializable at all). */
  private final transient Keyring keyring;
  /** The key or version the handle names. */
  private final KeyRef ref;
  /** The key's algorithm. */
  private final KeyAlgorithm algorithm;
  /** Whether {@code getEncoded()} may hand out the material. */
  private final boolean exportable;
  /** Set by {@code destroy()}; the handle then resolves nothing. */
  private volatile boolean destroyed;

  /**
   * @param keyring the keyring that resolves and enforces every use
   * @param ref the key ({@code name}) or an exact version ({@code name#N})
   * @param algorithm the key's algorithm
   * @param exportable whether {@link #getEncoded()} may return material
   */
  public ManagedKey(Keyring keyring, KeyRef ref, KeyAlgorithm algorithm, boolean exportable) {
    this.keyring = Objects.requireNonNull(keyring, "keyring");
    this.ref = Objects.requireNonNull(ref, "ref");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.exportable = exportable;
  }

  /** @return the keyring this handle belongs to */
  public Keyring keyring() {
    return keyring;
  }

  /** @return the key or version this handle names */
  public KeyRef ref() {
    return ref;
  }

  /** @return the key's algorithm and size */
  public KeyAlgorithm keyAlgorithm() {
    return algorithm;
  }

  /** @return {@code AES} or {@code HmacSHA256} */
  @Override
  public String getAlgorithm() {
    return algorithm.jcaName();
  }

  /**
   * @return always {@code null}: the handle has no encoding other providers could use
   * @throws java.security.InvalidKeyException (through {@code Cipher.init}, {@code Mac.init},
   *     {@code Signature.initSign}) when JCA's provider selection asks while no Clavis provider is
   *     installed: the message names {@code Security.addProvider(p)} ({@link ProviderNotInstalled})
   */
  @Override
  public String getFormat() {
    ProviderNotInstalled.checkProbe(ref);
    return null;
  }

  /**
   * @return a copy of the material of the version this handle resolves to (the primary for a
   *     name), or {@code null} unless the key is exportable
   * @throws IllegalStateException if the handle was destroyed
   */
  @Override
  public byte[] getEncoded() {
    if (destroyed) {
      throw new IllegalStateException("this handle to " + ref + " was destroyed");
    }
    if (!exportable) {
      return null;
    }
    return keyring.exportKey(ref);
  }

  /** Invalidates this handle (the key itself is untouched; use the keyring to destroy it). */
  @Override
  public void destroy() {
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ManagedKey && ((ManagedKey) o).keyring == keyring && ((ManagedKey) o).ref.equals(ref);
  }

  @Override
  public int hashCode() {
    return ref.hashCode();
  }

  /** @return metadata only: name, version, algorithm */
  @Override
  public String toString() {
    return "ManagedKey{" + ref + ", " + algorithm + (exportable ? ", exportable" : "") + (destroyed ? ", destroyed" : "") + "}";
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
}
