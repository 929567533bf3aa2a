package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.SecretKey;

/**
 * What the {@code KeyGenerator} of a token-bound provider ({@code ClavisProvider.configure(file)})
 * returns: a secret key that is generated on that token, never in the JVM. It holds no material.
 * {@code KeyStore.setKeyEntry} of the provider's {@code ClavisPKCS11} key store generates it
 * there, with {@code C_GenerateKey} inside the commit that records the new version (so a failed
 * commit leaves no key object behind): sensitive, never extractable, {@code CKA_LOCAL}, origin
 * {@code GENERATED}. It can be stored once; a second {@code setKeyEntry} with it is refused
 * rather than quietly making a second, different key.
 *
 * <p>Why not a session object made at {@code generateKey()}: a key Clavis serves has a lifecycle
 * only once it is a version in the keyring, and nothing but Clavis's managed services could use
 * a sensitive session object anyway; generating in the commit keeps one path for every version.
 */
final class TokenGeneratedKey implements SecretKey {

  private static final long serialVersionUID = 1L;

  private final transient KeyAlgorithm algorithm;
  private final transient TokenIdentity origin;
  private final transient AtomicReference<String> storedAs = new AtomicReference<>();

  TokenGeneratedKey(KeyAlgorithm algorithm, TokenIdentity origin) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.origin = Objects.requireNonNull(origin, "origin");
  }

  /** @return the algorithm and size the token generates */
  KeyAlgorithm keyAlgorithm() {
    return algorithm;
  }

  /** @return the token this key is for */
  TokenIdentity origin() {
    return origin;
  }

  /**
   * Marks the key stored under {@code name}.
   *
   * @return false if it was stored before
   */
  boolean claim(String name) {
    return storedAs.compareAndSet(null, name);
  }

  /** Gives a claim back after the store refused it, so the caller may try again. */
  void unclaim(String name) {
    storedAs.compareAndSet(name, null);
  }

  /** @return the name it was stored under, or null */
  String storedAs() {
    return storedAs.get();
  }

  /** @return {@code AES} or {@code HmacSHA256} */
  @Override
  public String getAlgorithm() {
    return algorithm.jcaName();
  }

  /** @return null: the key has no encoding, and will exist on the token only */
  @Override
  public String getFormat() {
    return null;
  }

  /** @return null: the key has no encoding, and will exist on the token only */
  @Override
  public byte[] getEncoded() {
    return null;
  }

  /**
   * Refuses serialization: the key does not exist outside the token it is for.
   *
   * @param out unused
   * @throws IOException always, a {@link NotSerializableException}
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    throw new NotSerializableException("a key to be generated on a token is not serializable");
  }

  /**
   * Refuses deserialization.
   *
   * @param in unused
   * @throws IOException always, a {@link NotSerializableException}
   */
  private void readObject(ObjectInputStream in) throws IOException {
    throw new NotSerializableException("a key to be generated on a token is not serializable");
  }

  /** @return metadata only */
  @Override
  public String toString() {
    String s = storedAs.get();
    return "TokenGeneratedKey{" + algorithm + ", " + origin + (s == null ? ", generated when stored" : ", stored as " + s)
        + "}";
  }
}
