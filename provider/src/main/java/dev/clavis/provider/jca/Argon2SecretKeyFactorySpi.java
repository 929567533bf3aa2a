package dev.clavis.provider.jca;

import dev.clavis.engine.argon2.Argon2;
import dev.clavis.engine.argon2.Argon2Type;
import dev.clavis.spec.Argon2KeySpec;
import java.security.InvalidKeyException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code SecretKeyFactory} for Argon2 (RFC 9106, version 0x13): derives a key whose
 * {@code getEncoded()} is the raw Argon2 tag from an {@link Argon2KeySpec} or a
 * {@link PBEKeySpec}. For a {@code PBEKeySpec} the iteration count is t, the key length is the
 * output length, memory is 65536 KiB (64 MiB) and parallelism 4 (RFC 9106 §4), and the password
 * is encoded as UTF-8. The work is done by the JCA-free engine {@link Argon2}; this class maps
 * its parameter errors to {@link InvalidKeySpecException} with the engine's message.
 */
public abstract class Argon2SecretKeyFactorySpi extends SecretKeyFactorySpi {

  /** Memory for a {@code PBEKeySpec}: 64 MiB, RFC 9106 §4's second recommended option. */
  public static final int PBE_MEMORY_KIB = 65536;

  /** Parallelism for a {@code PBEKeySpec}: 4 lanes, RFC 9106 §4. */
  public static final int PBE_PARALLELISM = 4;

  private final Argon2Type type;

  Argon2SecretKeyFactorySpi(Argon2Type type) {
    this.type = type;
  }

  /** {@code SecretKeyFactory} {@code Argon2id}. */
  public static final class Argon2id extends Argon2SecretKeyFactorySpi {
    /** Creates the SPI; called by the provider table. */
    public Argon2id() {
      super(Argon2Type.ARGON2ID);
    }
  }

  /** {@code SecretKeyFactory} {@code Argon2i}. */
  public static final class Argon2i extends Argon2SecretKeyFactorySpi {
    /** Creates the SPI; called by the provider table. */
    public Argon2i() {
      super(Argon2Type.ARGON2I);
    }
  }

  /** {@code SecretKeyFactory} {@code Argon2d}. */
  public static final class Argon2d extends Argon2SecretKeyFactorySpi {
    /** Creates the SPI; called by the provider table. */
    public Argon2d() {
      super(Argon2Type.ARGON2D);
    }
  }

  /**
   * Derives the key.
   *
   * @param keySpec an {@link Argon2KeySpec} or a {@link PBEKeySpec}
   * @return a destroyable {@code SecretKey} whose encoding is the Argon2 tag
   * @throws InvalidKeySpecException for another spec type or a parameter out of range (the
   *     message names it)
   */
  @Override
  protected SecretKey engineGenerateSecret(KeySpec keySpec) throws InvalidKeySpecException {
    if (keySpec instanceof Argon2KeySpec) {
      return derive((Argon2KeySpec) keySpec);
    }
    if (keySpec instanceof PBEKeySpec) {
      Argon2KeySpec spec = fromPbe((PBEKeySpec) keySpec);
      try {
        return derive(spec);
      } finally {
        spec.clearPassword();
      }
    }
    throw new InvalidKeySpecException(type.algorithm() + " takes an Argon2KeySpec or a PBEKeySpec, not "
        + (keySpec == null ? "null" : keySpec.getClass().getName()));
  }

  private SecretKey derive(Argon2KeySpec spec) throws InvalidKeySpecException {
    int bits = spec.getKeyLengthBits();
    if (bits % 8 != 0) {
      throw new InvalidKeySpecException(
          "Argon2 key length must be a multiple of 8 bits, got " + bits);
    }
    if (spec.isPasswordCleared()) {
      throw new InvalidKeySpecException(
          "the password of this Argon2KeySpec has been cleared; create a new spec");
    }
    byte[] password = spec.getPasswordBytes();
    byte[] secret = spec.getSecret();
    byte[] tag = null;
    try {
      tag = Argon2.hash(type, password, spec.getSalt(), secret, spec.getAssociatedData(),
          spec.getIterations(), spec.getMemoryKiB(), spec.getParallelism(), bits / 8);
      return new Argon2SecretKey(type.algorithm(), tag);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySpecException(e.getMessage(), e);
    } finally {
      Arrays.fill(password, (byte) 0);
      Arrays.fill(secret, (byte) 0);
      if (tag != null) {
        Arrays.fill(tag, (byte) 0);
      }
    }
  }

  private static Argon2KeySpec fromPbe(PBEKeySpec pbe) throws InvalidKeySpecException {
    byte[] salt = pbe.getSalt();
    if (salt == null) {
      throw new InvalidKeySpecException(
          "the PBEKeySpec has no salt; Argon2 needs one of at least 8 bytes (16 recommended)");
    }
    if (pbe.getKeyLength() == 0) {
      throw new InvalidKeySpecException(
          "the PBEKeySpec has no key length; give the output length in bits (e.g. 256)");
    }
    char[] password;
    try {
      password = pbe.getPassword();
    } catch (IllegalStateException e) {
      throw new InvalidKeySpecException("the password of this PBEKeySpec has been cleared");
    }
    try {
      return new Argon2KeySpec(password, salt, pbe.getIterationCount(), PBE_MEMORY_KIB,
          PBE_PARALLELISM, pbe.getKeyLength());
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySpecException(e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  /**
   * Returns the key material as a {@link SecretKeySpec}; Argon2 is one-way, so no
   * {@code Argon2KeySpec} or {@code PBEKeySpec} can be recovered.
   *
   * @throws InvalidKeySpecException for any other spec class, or a key that is not a raw key of
   *     this algorithm
   */
  @Override
  @SuppressWarnings("rawtypes")
  protected KeySpec engineGetKeySpec(SecretKey key, Class keySpec) throws InvalidKeySpecException {
    if (keySpec == null || !keySpec.isAssignableFrom(SecretKeySpec.class)) {
      throw new InvalidKeySpecException(type.algorithm() + " is one-way: a derived key cannot be "
          + "turned back into " + (keySpec == null ? "null" : keySpec.getSimpleName())
          + "; only SecretKeySpec is supported");
    }
    byte[] encoded = rawOf(key);
    if (encoded == null) {
      throw new InvalidKeySpecException("not a raw " + type.algorithm() + " key: "
          + (key == null ? "null" : key.getAlgorithm() + "/" + key.getFormat()));
    }
    try {
      return new SecretKeySpec(encoded, type.algorithm());
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  /**
   * Returns a Clavis key for a raw key of this algorithm ({@code getAlgorithm()} equal ignoring
   * case, format {@code RAW}).
   *
   * @throws InvalidKeyException for any other key
   */
  @Override
  protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
    if (key instanceof Argon2SecretKey && type.algorithm().equals(key.getAlgorithm())
        && !key.isDestroyed()) {
      return key;
    }
    byte[] encoded = rawOf(key);
    if (encoded == null) {
      throw new InvalidKeyException("cannot translate "
          + (key == null ? "null" : "a " + key.getAlgorithm() + "/" + key.getFormat() + " key")
          + " into a " + type.algorithm() + " key; only raw " + type.algorithm() + " keys translate");
    }
    try {
      return new Argon2SecretKey(type.algorithm(), encoded);
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  /** The encoding of a usable raw key of this algorithm, or null. */
  private byte[] rawOf(SecretKey key) {
    if (key == null || key.isDestroyed() || !type.algorithm().equalsIgnoreCase(key.getAlgorithm())
        || !"RAW".equalsIgnoreCase(key.getFormat())) {
      return null;
    }
    byte[] encoded = key.getEncoded();
    if (encoded == null || encoded.length == 0) {
      return null;
    }
    return encoded;
  }
}
