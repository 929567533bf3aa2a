package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyAlgorithm;
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
 * {@code HmacSHA256} (at least 128 bits in whole bytes; 256 by default, RFC 2104 §3's L).
 *
 * <p>On the default provider it makes ordinary {@code RAW} secret keys; the Clavis KeyStore
 * turns them into managed keys when they are stored (origin {@code IMPORTED}). On a provider
 * bound to a token ({@code ClavisProvider.configure(file)}) the key is generated on that token
 * and never exists in the JVM: {@code generateKey()} returns a {@code TokenGeneratedKey} without
 * material, which the provider's {@code ClavisPKCS11} key store generates with
 * {@code C_GenerateKey} when it stores it (origin {@code GENERATED}, {@code CKA_LOCAL}); the
 * token's generator is used, not a {@code SecureRandom} passed to {@code init}, and HmacSHA256
 * keys there are 256 bits.
 */
public abstract class SecretKeyGeneratorSpi extends KeyGeneratorSpi {

  private final String algorithm;
  private final TokenIdentity token;
  private int bits = 256;
  private SecureRandom random;

  SecretKeyGeneratorSpi(String algorithm, TokenIdentity token) {
    this.algorithm = algorithm;
    this.token = token;
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
    if (token != null) {
      return new TokenGeneratedKey(tokenAlgorithm(), token);
    }
    byte[] k = new byte[bits / 8];
    (random != null ? random : new SecureRandom()).nextBytes(k);
    try {
      return new SecretKeySpec(k, algorithm);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** @return the keyring algorithm of the size chosen, for a token */
  private KeyAlgorithm tokenAlgorithm() {
    if (algorithm.equals("AES")) {
      return bits == 128 ? KeyAlgorithm.AES_128
          : bits == 192 ? KeyAlgorithm.AES_192 : KeyAlgorithm.AES_256;
    }
    return KeyAlgorithm.HMAC_SHA256;
  }

  /** @return whether keys are generated on a token */
  final boolean onToken() {
    return token != null;
  }

  /** AES keys. */
  public static final class Aes extends SecretKeyGeneratorSpi {
    /** Creates the generator of software keys (256 bits unless initialised). */
    public Aes() {
      this(null);
    }

    /** @param token the token keys are generated on, or null for software keys */
    public Aes(TokenIdentity token) {
      super("AES", token);
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
    /** Creates the generator of software keys (256 bits unless initialised). */
    public HmacSha256() {
      this(null);
    }

    /** @param token the token keys are generated on, or null for software keys */
    public HmacSha256(TokenIdentity token) {
      super("HmacSHA256", token);
    }

    @Override
    void checkSize(int b) {
      if (onToken() && b != 256) {
        throw new InvalidParameterException("HmacSHA256 keys generated on a token are 256 bits, got " + b);
      }
      if (b < 128 || b % 8 != 0 || b > 8192) {
        throw new InvalidParameterException("HmacSHA256 keys are 128 to 8192 bits in whole bytes, got " + b);
      }
    }
  }
}
