package dev.clavis.provider.jca;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidParameterException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyGeneratorSpi;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code KeyGenerator} for {@code AES} (128, 192 or 256 bits; 256 by default) and
 * {@code HmacSHA256} (at least 128 bits in whole bytes; 256 by default, RFC 2104 §3's L). It makes
 * ordinary {@code RAW} secret keys, as {@code keytool -genseckey} expects; the Clavis KeyStore
 * turns them into managed keys when they are stored.
 */
public abstract class SecretKeyGeneratorSpi extends KeyGeneratorSpi {

  private final String algorithm;
  private int bits = 256;
  private SecureRandom random;

  SecretKeyGeneratorSpi(String algorithm) {
    this.algorithm = algorithm;
  }

  abstract void checkSize(int bits);

  @Override
  protected void engineInit(SecureRandom r) {
    this.random = r;
  }

  @Override
  protected void engineInit(AlgorithmParameterSpec params, SecureRandom r) throws InvalidAlgorithmParameterException {
    throw new InvalidAlgorithmParameterException(algorithm + " key generation takes a size, not parameters");
  }

  @Override
  protected void engineInit(int keysize, SecureRandom r) {
    checkSize(keysize);
    this.bits = keysize;
    this.random = r;
  }

  @Override
  protected SecretKey engineGenerateKey() {
    byte[] k = new byte[bits / 8];
    (random != null ? random : new SecureRandom()).nextBytes(k);
    try {
      return new SecretKeySpec(k, algorithm);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** AES keys. */
  public static final class Aes extends SecretKeyGeneratorSpi {
    /** Creates the generator (256 bits unless initialised). */
    public Aes() {
      super("AES");
    }

    @Override
    void checkSize(int b) {
      if (b != 128 && b != 192 && b != 256) {
        throw new InvalidParameterException("AES keys are 128, 192 or 256 bits (FIPS 197), got " + b);
      }
    }
  }

  /** HMAC-SHA256 keys. */
  public static final class HmacSha256 extends SecretKeyGeneratorSpi {
    /** Creates the generator (256 bits unless initialised). */
    public HmacSha256() {
      super("HmacSHA256");
    }

    @Override
    void checkSize(int b) {
      if (b < 128 || b % 8 != 0 || b > 8192) {
        throw new InvalidParameterException("HmacSHA256 keys are 128 to 8192 bits in whole bytes, got " + b);
      }
    }
  }
}
