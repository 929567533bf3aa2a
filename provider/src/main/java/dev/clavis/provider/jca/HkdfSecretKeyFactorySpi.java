package dev.clavis.provider.jca;

import dev.clavis.engine.hkdf.Hkdf;
import dev.clavis.spec.HkdfKeySpec;
import java.security.InvalidKeyException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code HKDF-SHA256} and {@code HKDF-SHA512} (RFC 5869) as {@code SecretKeyFactory}: derives a
 * purpose-specific subkey from an {@link HkdfKeySpec}, whose input keying material may be a managed
 * key that never leaves Clavis ({@link HkdfDerivation}: lifecycle checked and counted per
 * derivation).
 */
public class HkdfSecretKeyFactorySpi extends SecretKeyFactorySpi {

  private final Hkdf.Hash hash;

  HkdfSecretKeyFactorySpi(Hkdf.Hash hash) {
    this.hash = hash;
  }

  /** {@code HKDF-SHA256}. */
  public static final class Sha256 extends HkdfSecretKeyFactorySpi {
    /** Creates the factory. */
    public Sha256() {
      super(Hkdf.Hash.SHA256);
    }
  }

  /** {@code HKDF-SHA512}. */
  public static final class Sha512 extends HkdfSecretKeyFactorySpi {
    /** Creates the factory. */
    public Sha512() {
      super(Hkdf.Hash.SHA512);
    }
  }

  /**
   * Derives the subkey.
   *
   * @param keySpec an {@link HkdfKeySpec}
   * @return a {@code SecretKeySpec} of the spec's length and key algorithm
   * @throws InvalidKeySpecException if the spec is of another type, its length is out of range
   *     (1 to 255 × HashLen), or its input key is refused (the cause names key, version and state)
   */
  @Override
  protected SecretKey engineGenerateSecret(KeySpec keySpec) throws InvalidKeySpecException {
    if (!(keySpec instanceof HkdfKeySpec)) {
      throw new InvalidKeySpecException("HKDF takes a dev.clavis.spec.HkdfKeySpec, got "
          + (keySpec == null ? "null" : keySpec.getClass().getName()));
    }
    HkdfKeySpec s = (HkdfKeySpec) keySpec;
    byte[] salt = s.salt();
    byte[] info = s.info();
    byte[] okm = null;
    try {
      okm = HkdfDerivation.derive(hash, s.inputKey(), salt, info, s.length());
      return new SecretKeySpec(okm, s.keyAlgorithm());
    } catch (InvalidKeyException e) {
      throw (InvalidKeySpecException) new InvalidKeySpecException(e.getMessage()).initCause(e);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeySpecException(e.getMessage(), e);
    } finally {
      Arrays.fill(salt, (byte) 0);
      Arrays.fill(info, (byte) 0);
      if (okm != null) {
        Arrays.fill(okm, (byte) 0);
      }
    }
  }

  /**
   * @throws InvalidKeySpecException always: a derived key has no HKDF spec to recover
   */
  @Override
  protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec) throws InvalidKeySpecException {
    throw new InvalidKeySpecException("an HKDF output is a plain key: its inputs cannot be recovered");
  }

  /**
   * @throws InvalidKeyException always: HKDF derives keys, it does not translate them
   */
  @Override
  protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
    throw new InvalidKeyException("HKDF derives keys from an HkdfKeySpec; it does not translate keys");
  }
}
