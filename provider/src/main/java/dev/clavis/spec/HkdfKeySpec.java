package dev.clavis.spec;

import java.security.Key;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@code SecretKeyFactory.getInstance("HKDF-SHA256")} (or {@code HKDF-SHA512}) derives: the
 * input keying material (a managed key handle from the Clavis key store, whose material never
 * leaves Clavis, or a raw {@code SecretKey}), an optional salt and info, the output length in
 * bytes, and the JCA algorithm name of the derived key (RFC 5869). Immutable: the arrays are
 * copied in and out. Build with {@link #builder(Key, int)}.
 */
public final class HkdfKeySpec implements KeySpec {

  private final Key inputKey;
  private final byte[] salt;
  private final byte[] info;
  private final int length;
  private final String keyAlgorithm;

  private HkdfKeySpec(Builder b) {
    this.inputKey = b.inputKey;
    this.salt = b.salt.clone();
    this.info = b.info.clone();
    this.length = b.length;
    this.keyAlgorithm = b.keyAlgorithm;
  }

  /**
   * @param inputKey the input keying material: a managed handle ({@code name} or {@code name#N}) or a raw secret key
   * @param length the output length in bytes (1 to 255 × the hash length)
   * @return a builder with an empty salt, empty info and key algorithm {@code AES}
   * @throws NullPointerException if the key is null
   * @throws IllegalArgumentException if the length is not positive
   */
  public static Builder builder(Key inputKey, int length) {
    return new Builder(inputKey, length);
  }

  /** @return the input keying material */
  public Key inputKey() {
    return inputKey;
  }

  /** @return a copy of the salt (empty: HashLen zero bytes, RFC 5869 §2.2) */
  public byte[] salt() {
    return salt.clone();
  }

  /** @return a copy of the info (context and application-specific information) */
  public byte[] info() {
    return info.clone();
  }

  /** @return the output length in bytes */
  public int length() {
    return length;
  }

  /** @return the JCA algorithm name of the derived key, e.g. {@code AES} or {@code HmacSHA256} */
  public String keyAlgorithm() {
    return keyAlgorithm;
  }

  /** Wipes the salt and info copies this spec holds (the input key is the caller's). */
  public void clear() {
    Arrays.fill(salt, (byte) 0);
    Arrays.fill(info, (byte) 0);
  }

  /** @return lengths and names only: never the salt or info */
  @Override
  public String toString() {
    return "HkdfKeySpec{length=" + length + ", keyAlgorithm=" + keyAlgorithm + ", salt " + salt.length
        + " bytes, info " + info.length + " bytes}";
  }

  /** Builds an {@link HkdfKeySpec}; each setter validates and copies its argument. */
  public static final class Builder {
    private final Key inputKey;
    private final int length;
    private byte[] salt = new byte[0];
    private byte[] info = new byte[0];
    private String keyAlgorithm = "AES";

    private Builder(Key inputKey, int length) {
      this.inputKey = Objects.requireNonNull(inputKey, "input key");
      if (length < 1) {
        throw new IllegalArgumentException("the HKDF output length must be positive, got " + length);
      }
      this.length = length;
    }

    /**
     * @param salt the salt (RFC 5869 §3.1: random, or a non-secret application constant); copied
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder salt(byte[] salt) {
      this.salt = Objects.requireNonNull(salt, "salt").clone();
      return this;
    }

    /**
     * @param info the purpose the subkey is bound to (RFC 5869 §3.2); copied
     * @return this builder
     * @throws NullPointerException if null
     */
    public Builder info(byte[] info) {
      this.info = Objects.requireNonNull(info, "info").clone();
      return this;
    }

    /**
     * @param keyAlgorithm the JCA name of the derived key
     * @return this builder
     * @throws IllegalArgumentException if empty
     */
    public Builder keyAlgorithm(String keyAlgorithm) {
      if (keyAlgorithm == null || keyAlgorithm.isEmpty()) {
        throw new IllegalArgumentException("the derived key needs an algorithm name, e.g. AES");
      }
      this.keyAlgorithm = keyAlgorithm;
      return this;
    }

    /** @return the spec */
    public HkdfKeySpec build() {
      return new HkdfKeySpec(this);
    }
  }
}
