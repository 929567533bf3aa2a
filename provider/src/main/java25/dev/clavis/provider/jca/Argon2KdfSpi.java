package dev.clavis.provider.jca;

import dev.clavis.spec.Argon2KeySpec;
import java.security.InvalidAlgorithmParameterException;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import javax.crypto.KDFParameters;
import javax.crypto.KDFSpi;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code javax.crypto.KDF} {@code Argon2id} (RFC 9106, version 0x13) taking an
 * {@link Argon2KeySpec}: the same engine as {@code SecretKeyFactory} {@code Argon2id}, for code
 * written for the JDK 25 KDF API.
 */
public final class Argon2KdfSpi extends KDFSpi {

  /**
   * @param params must be null
   * @throws InvalidAlgorithmParameterException if parameters are given
   */
  public Argon2KdfSpi(KDFParameters params) throws InvalidAlgorithmParameterException {
    super(params);
    if (params != null) {
      throw new InvalidAlgorithmParameterException("Argon2id takes its parameters in the Argon2KeySpec, not KDFParameters");
    }
  }

  /** @return null: the parameters come with each derivation */
  @Override
  protected KDFParameters engineGetParameters() {
    return null;
  }

  /**
   * @return the tag as a key of algorithm {@code alg}
   * @throws InvalidAlgorithmParameterException as {@link #engineDeriveData}
   */
  @Override
  protected SecretKey engineDeriveKey(String alg, AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
    if (alg == null || alg.isEmpty()) {
      throw new NullPointerException("the derived key needs an algorithm name");
    }
    byte[] tag = engineDeriveData(spec);
    try {
      return new SecretKeySpec(tag, alg);
    } finally {
      Arrays.fill(tag, (byte) 0);
    }
  }

  /**
   * @return the raw Argon2id tag
   * @throws InvalidAlgorithmParameterException if the spec is no {@link Argon2KeySpec}, or a
   *     parameter is out of range (the message names it)
   */
  @Override
  protected byte[] engineDeriveData(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
    if (!(spec instanceof Argon2KeySpec a)) {
      throw new InvalidAlgorithmParameterException("Argon2id takes a dev.clavis.spec.Argon2KeySpec, got "
          + (spec == null ? "null" : spec.getClass().getName()));
    }
    try {
      SecretKey k = new Argon2SecretKeyFactorySpi.Argon2id().engineGenerateSecret(a);
      try {
        return k.getEncoded();
      } finally {
        k.destroy();
      }
    } catch (InvalidKeySpecException e) {
      throw new InvalidAlgorithmParameterException(e.getMessage(), e);
    } catch (javax.security.auth.DestroyFailedException e) {
      throw new IllegalStateException("the Argon2 tag could not be wiped", e);
    }
  }
}
