package dev.clavis.provider.jca;

import dev.clavis.engine.hkdf.Hkdf;
import dev.clavis.keyring.ManagedKey;
import java.io.ByteArrayOutputStream;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KDFParameters;
import javax.crypto.KDFSpi;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code javax.crypto.KDF} {@code HKDF-SHA256} and {@code HKDF-SHA512} (RFC 5869, JDK 25's
 * {@link HKDFParameterSpec}) whose input keying material may be a managed key: the master's
 * material stays in Clavis and its lifecycle is checked and counted per derivation
 * ({@link HkdfDerivation}). A managed key must be the only IKM of an extract (the JDK concatenates
 * several; a managed key's material is not concatenated with other bytes). Raw keys work as in
 * the JDK's own HKDF.
 */
public class HkdfKdfSpi extends KDFSpi {

  private final Hkdf.Hash hash;

  HkdfKdfSpi(Hkdf.Hash hash, KDFParameters params) throws InvalidAlgorithmParameterException {
    super(params);
    if (params != null) {
      throw new InvalidAlgorithmParameterException("HKDF takes no KDFParameters");
    }
    this.hash = hash;
  }

  /** {@code HKDF-SHA256}. */
  public static final class Sha256 extends HkdfKdfSpi {
    /**
     * @param params must be null
     * @throws InvalidAlgorithmParameterException if parameters are given
     */
    public Sha256(KDFParameters params) throws InvalidAlgorithmParameterException {
      super(Hkdf.Hash.SHA256, params);
    }
  }

  /** {@code HKDF-SHA512}. */
  public static final class Sha512 extends HkdfKdfSpi {
    /**
     * @param params must be null
     * @throws InvalidAlgorithmParameterException if parameters are given
     */
    public Sha512(KDFParameters params) throws InvalidAlgorithmParameterException {
      super(Hkdf.Hash.SHA512, params);
    }
  }

  /** @return null: HKDF has no KDF parameters */
  @Override
  protected KDFParameters engineGetParameters() {
    return null;
  }

  /**
   * @param alg the JCA name of the derived key
   * @return the derived key
   * @throws InvalidAlgorithmParameterException as {@link #engineDeriveData}
   */
  @Override
  protected SecretKey engineDeriveKey(String alg, AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
    if (alg == null || alg.isEmpty()) {
      throw new NullPointerException("the derived key needs an algorithm name");
    }
    byte[] okm = engineDeriveData(spec);
    try {
      return new SecretKeySpec(okm, alg);
    } finally {
      Arrays.fill(okm, (byte) 0);
    }
  }

  /**
   * @return the output keying material (for {@code Extract}: the PRK)
   * @throws InvalidAlgorithmParameterException if the spec is no {@link HKDFParameterSpec}, a
   *     managed IKM is not alone, a key has no encoding, the length is out of range, or the
   *     lifecycle refuses the managed key (the cause names key, version and state)
   */
  @Override
  protected byte[] engineDeriveData(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
    try {
      if (spec instanceof HKDFParameterSpec.ExtractThenExpand s) {
        return derive(s.ikms(), s.salts(), s.info(), s.length());
      }
      if (spec instanceof HKDFParameterSpec.Extract s) {
        return derive(s.ikms(), s.salts(), null, 0);
      }
      if (spec instanceof HKDFParameterSpec.Expand s) {
        byte[] prk = encoded(s.prk(), "PRK");
        try {
          return Hkdf.expand(hash, prk, s.info(), s.length());
        } finally {
          Arrays.fill(prk, (byte) 0);
        }
      }
    } catch (InvalidKeyException | IllegalArgumentException e) {
      throw new InvalidAlgorithmParameterException(e.getMessage(), e);
    }
    throw new InvalidAlgorithmParameterException("HKDF takes an HKDFParameterSpec, got "
        + (spec == null ? "null" : spec.getClass().getName()));
  }

  /** Extract (length 0: the PRK itself) or extract-then-expand. */
  private byte[] derive(List<SecretKey> ikms, List<SecretKey> salts, byte[] info, int length)
      throws InvalidKeyException {
    byte[] salt = concat(salts, "salt");
    try {
      if (ikms.size() == 1 && ikms.get(0) instanceof ManagedKey) {
        if (length == 0) {
          // extract only: the PRK is HashLen bytes of the expand step's key, so derive it as such
          return HkdfDerivation.extract(hash, ikms.get(0), salt);
        }
        return HkdfDerivation.derive(hash, ikms.get(0), salt, info, length);
      }
      for (SecretKey k : ikms) {
        if (k instanceof ManagedKey) {
          throw new InvalidKeyException("a managed key (" + ((ManagedKey) k).ref() + ") must be the only IKM of"
              + " an HKDF extract: its material is not concatenated with other keys'");
        }
      }
      byte[] ikm = concat(ikms, "IKM");
      try {
        if (length == 0) {
          return Hkdf.extract(hash, salt, ikm);
        }
        return Hkdf.derive(hash, salt, ikm, info, length);
      } finally {
        Arrays.fill(ikm, (byte) 0);
      }
    } finally {
      Arrays.fill(salt, (byte) 0);
    }
  }

  private static byte[] concat(List<SecretKey> keys, String what) throws InvalidKeyException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (SecretKey k : keys) {
      byte[] e = encoded(k, what);
      out.writeBytes(e);
      Arrays.fill(e, (byte) 0);
    }
    return out.toByteArray();
  }

  private static byte[] encoded(SecretKey k, String what) throws InvalidKeyException {
    byte[] e = k.getEncoded();
    if (e == null) {
      throw new InvalidKeyException("the HKDF " + what + " key has no encoding"
          + (k instanceof ManagedKey ? " (a managed key is accepted as the only IKM)" : ""));
    }
    return e;
  }
}
