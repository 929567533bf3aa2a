package dev.clavis.provider.jca;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * The key an Argon2 {@code SecretKeyFactory} returns: the raw Argon2 tag, format {@code RAW}.
 * Destroyable (the bytes are wiped), never serialized, and its {@code toString()} shows only the
 * algorithm and length.
 */
final class Argon2SecretKey implements SecretKey {

  private static final long serialVersionUID = 1L;

  private final String algorithm;
  private final byte[] tag;
  private volatile boolean destroyed;

  /** Copies {@code tag}; the caller wipes its own array. */
  Argon2SecretKey(String algorithm, byte[] tag) {
    this.algorithm = algorithm;
    this.tag = tag.clone();
  }

  /** @return {@code Argon2id}, {@code Argon2i} or {@code Argon2d} */
  @Override
  public String getAlgorithm() {
    return algorithm;
  }

  /** @return {@code RAW} */
  @Override
  public String getFormat() {
    return "RAW";
  }

  /**
   * Returns a copy of the Argon2 tag.
   *
   * @return a new array the caller should wipe after use
   * @throws IllegalStateException if the key has been destroyed
   */
  @Override
  public byte[] getEncoded() {
    if (destroyed) {
      throw new IllegalStateException("this " + algorithm + " key has been destroyed");
    }
    return tag.clone();
  }

  /** Wipes the key bytes; {@link #getEncoded()} throws afterwards. */
  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(tag, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Constant-time comparison of algorithm and bytes; destroyed keys equal only themselves. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof Argon2SecretKey)) {
      return false;
    }
    Argon2SecretKey that = (Argon2SecretKey) other;
    return !destroyed && !that.destroyed && algorithm.equals(that.algorithm)
        && MessageDigest.isEqual(tag, that.tag);
  }

  /** Depends on the algorithm and length only, so the hash reveals nothing of the key. */
  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + tag.length;
  }

  /** Shows the algorithm and length, never the key bytes. */
  @Override
  public String toString() {
    return algorithm + " secret key, " + tag.length * 8 + " bits" + (destroyed ? " (destroyed)" : "");
  }

  /** Derived keys stay in memory: serializing one would write the key out in the clear. */
  private void writeObject(ObjectOutputStream out) throws IOException {
    throw new NotSerializableException(algorithm + " keys are not serializable");
  }
}
