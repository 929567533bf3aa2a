package dev.clavis.spec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * The inputs of Argon2 (RFC 9106 §3.1) for {@code SecretKeyFactory.getInstance("Argon2id")} (or
 * {@code Argon2i}, {@code Argon2d}): password P, salt S, passes t, memory m in KiB, lanes p, the
 * output length in bits, and optionally a secret K and associated data X.
 *
 * <pre>{@code
 * Argon2KeySpec spec = new Argon2KeySpec(password, salt, 3, 65536, 4, 256);
 * Argon2KeySpec keyed = Argon2KeySpec.builder(password, salt)
 *     .iterations(3).memoryKiB(65536).parallelism(4).keyLengthBits(256)
 *     .secret(pepper).associatedData(context)
 *     .build();
 * byte[] tag = SecretKeyFactory.getInstance("Argon2id", "Clavis").generateSecret(spec).getEncoded();
 * spec.clearPassword();
 * }</pre>
 *
 * <p>A {@code char[]} password is encoded as UTF-8, as the reference implementation and most
 * other libraries do. Every array is copied in and out; the spec never keeps a caller's array.
 * {@link #clearPassword()} wipes the copies of the password and the secret.
 *
 * <p>The numeric parameters are checked when the key is derived: {@code generateSecret} throws
 * {@link java.security.spec.InvalidKeySpecException} naming the parameter for a salt shorter than
 * 8 bytes, fewer than 8 KiB of memory per lane, memory above the limit (4 GiB unless the system
 * property {@code dev.clavis.argon2.maxMemoryKiB} says otherwise), parallelism 0 or above
 * 2^24 - 1, iterations 0, or a key length below 32 bits or not a multiple of 8. This constructor
 * only refuses {@code null} arrays.
 */
public final class Argon2KeySpec implements KeySpec, java.security.spec.AlgorithmParameterSpec {

  private final byte[] password;
  private final byte[] salt;
  private final int iterations;
  private final int memoryKiB;
  private final int parallelism;
  private final int keyLengthBits;
  private final byte[] secret;
  private final byte[] associatedData;
  private volatile boolean cleared;

  /**
   * Creates a spec for a password given as characters, encoded as UTF-8.
   *
   * @param password the password; copied, so the caller may wipe its array at once
   * @param salt the salt, at least 8 bytes (16 random bytes recommended); copied
   * @param iterations the number of passes t
   * @param memoryKiB the memory size m in KiB
   * @param parallelism the number of lanes p
   * @param keyLengthBits the length of the derived key (the Argon2 tag) in bits
   * @throws NullPointerException if {@code password} or {@code salt} is null
   * @throws IllegalArgumentException if the password holds an unpaired surrogate (no UTF-8 form)
   */
  public Argon2KeySpec(char[] password, byte[] salt, int iterations, int memoryKiB, int parallelism,
      int keyLengthBits) {
    this(utf8(password), salt, iterations, memoryKiB, parallelism, keyLengthBits, null, null);
  }

  /**
   * Creates a spec for a password given as bytes.
   *
   * @param password the password bytes; copied, so the caller may wipe its array at once
   * @param salt the salt, at least 8 bytes (16 random bytes recommended); copied
   * @param iterations the number of passes t
   * @param memoryKiB the memory size m in KiB
   * @param parallelism the number of lanes p
   * @param keyLengthBits the length of the derived key (the Argon2 tag) in bits
   * @throws NullPointerException if {@code password} or {@code salt} is null
   */
  public Argon2KeySpec(byte[] password, byte[] salt, int iterations, int memoryKiB, int parallelism,
      int keyLengthBits) {
    this(copy(password, "password"), salt, iterations, memoryKiB, parallelism, keyLengthBits,
        null, null);
  }

  /** Takes ownership of {@code ownedPassword}; copies everything else. */
  private Argon2KeySpec(byte[] ownedPassword, byte[] salt, int iterations,
      int memoryKiB, int parallelism, int keyLengthBits, byte[] secret, byte[] associatedData) {
    this.password = ownedPassword;
    this.salt = copy(salt, "salt");
    this.iterations = iterations;
    this.memoryKiB = memoryKiB;
    this.parallelism = parallelism;
    this.keyLengthBits = keyLengthBits;
    this.secret = secret == null ? new byte[0] : secret.clone();
    this.associatedData = associatedData == null ? new byte[0] : associatedData.clone();
  }

  /**
   * Starts a builder for a password given as characters (encoded as UTF-8), with the defaults of
   * RFC 9106 §4's second recommended option: t = 3, m = 65536 KiB (64 MiB), p = 4, 256-bit key.
   *
   * @param password the password; copied at once
   * @param salt the salt; copied at once
   * @return a new builder
   * @throws NullPointerException if {@code password} or {@code salt} is null
   * @throws IllegalArgumentException if the password holds an unpaired surrogate
   */
  public static Builder builder(char[] password, byte[] salt) {
    return new Builder(utf8(password), salt);
  }

  /**
   * Starts a builder for a password given as bytes, with the defaults of {@link #builder(char[],
   * byte[])}.
   *
   * @param password the password bytes; copied at once
   * @param salt the salt; copied at once
   * @return a new builder
   * @throws NullPointerException if {@code password} or {@code salt} is null
   */
  public static Builder builder(byte[] password, byte[] salt) {
    return new Builder(copy(password, "password"), salt);
  }

  /**
   * Returns a copy of the password bytes (UTF-8 if the password was given as characters).
   *
   * @return a new array the caller should wipe after use
   * @throws IllegalStateException if {@link #clearPassword()} was called
   */
  public byte[] getPasswordBytes() {
    checkNotCleared();
    return password.clone();
  }

  /** @return a copy of the salt */
  public byte[] getSalt() {
    return salt.clone();
  }

  /** @return the number of passes t */
  public int getIterations() {
    return iterations;
  }

  /** @return the memory size m in KiB */
  public int getMemoryKiB() {
    return memoryKiB;
  }

  /** @return the number of lanes p */
  public int getParallelism() {
    return parallelism;
  }

  /** @return the length of the derived key in bits */
  public int getKeyLengthBits() {
    return keyLengthBits;
  }

  /**
   * Returns a copy of the secret K.
   *
   * @return a new array, empty if no secret was set; the caller should wipe it after use
   * @throws IllegalStateException if {@link #clearPassword()} was called
   */
  public byte[] getSecret() {
    checkNotCleared();
    return secret.clone();
  }

  /** @return a copy of the associated data X, empty if none was set */
  public byte[] getAssociatedData() {
    return associatedData.clone();
  }

  /** Wipes this spec's copies of the password and the secret; their getters throw afterwards. */
  public void clearPassword() {
    cleared = true;
    Arrays.fill(password, (byte) 0);
    Arrays.fill(secret, (byte) 0);
  }

  /** @return whether {@link #clearPassword()} was called */
  public boolean isPasswordCleared() {
    return cleared;
  }

  /** Shows the parameters only, never the password, salt or secret. */
  @Override
  public String toString() {
    return "Argon2KeySpec[t=" + iterations + ", m=" + memoryKiB + " KiB, p=" + parallelism
        + ", keyLength=" + keyLengthBits + " bits, salt=" + salt.length + " bytes"
        + (secret.length > 0 ? ", with secret" : "")
        + (associatedData.length > 0 ? ", with associated data" : "")
        + (cleared ? ", password cleared" : "") + "]";
  }

  private void checkNotCleared() {
    if (cleared) {
      throw new IllegalStateException("the password of this Argon2KeySpec has been cleared");
    }
  }

  private static byte[] copy(byte[] array, String name) {
    return Objects.requireNonNull(array, name).clone();
  }

  /**
   * Encodes {@code chars} as UTF-8 without an intermediate {@code String} and without leaving
   * unwiped copies behind (the worst case of UTF-8 is 3 bytes per UTF-16 unit).
   */
  private static byte[] utf8(char[] chars) {
    Objects.requireNonNull(chars, "password");
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] buffer = new byte[chars.length * 3];
    try {
      ByteBuffer out = ByteBuffer.wrap(buffer);
      CoderResult result = encoder.encode(CharBuffer.wrap(chars), out, true);
      if (!result.isError()) {
        result = encoder.flush(out);
      }
      if (result.isError()) {
        result.throwException();
      }
      return Arrays.copyOf(buffer, out.position());
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "the password cannot be encoded as UTF-8: it holds an unpaired surrogate character");
    } finally {
      Arrays.fill(buffer, (byte) 0);
    }
  }

  /**
   * Builds an {@link Argon2KeySpec} with optional secret and associated data. Starts from t = 3,
   * m = 65536 KiB, p = 4 and a 256-bit key (RFC 9106 §4). Not thread-safe.
   */
  public static final class Builder {
    private byte[] password;
    private final byte[] salt;
    private int iterations = 3;
    private int memoryKiB = 65536;
    private int parallelism = 4;
    private int keyLengthBits = 256;
    private byte[] secret;
    private byte[] associatedData;

    private Builder(byte[] ownedPassword, byte[] salt) {
      this.password = ownedPassword;
      this.salt = copy(salt, "salt");
    }

    /**
     * Sets the number of passes t.
     *
     * @param iterations the number of passes t
     * @return this builder
     */
    public Builder iterations(int iterations) {
      this.iterations = iterations;
      return this;
    }

    /**
     * Sets the memory size m in KiB.
     *
     * @param memoryKiB the memory size m in KiB
     * @return this builder
     */
    public Builder memoryKiB(int memoryKiB) {
      this.memoryKiB = memoryKiB;
      return this;
    }

    /**
     * Sets the number of lanes p.
     *
     * @param parallelism the number of lanes p
     * @return this builder
     */
    public Builder parallelism(int parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Sets the length of the derived key in bits.
     *
     * @param keyLengthBits the length of the derived key in bits
     * @return this builder
     */
    public Builder keyLengthBits(int keyLengthBits) {
      this.keyLengthBits = keyLengthBits;
      return this;
    }

    /**
     * Sets the secret K (a pepper kept apart from the stored hashes); copied at once.
     *
     * @param secret the secret, or {@code null} for none
     * @return this builder
     */
    public Builder secret(byte[] secret) {
      wipe(this.secret);
      this.secret = secret == null ? null : secret.clone();
      return this;
    }

    /**
     * Sets the associated data X; copied at once.
     *
     * @param associatedData the associated data, or {@code null} for none
     * @return this builder
     */
    public Builder associatedData(byte[] associatedData) {
      this.associatedData = associatedData == null ? null : associatedData.clone();
      return this;
    }

    /**
     * Builds the spec and wipes the builder's copies of the password and secret, so a builder
     * builds once.
     *
     * @return the spec
     * @throws IllegalStateException if this builder has already built its spec
     */
    public Argon2KeySpec build() {
      if (password == null) {
        throw new IllegalStateException("this Argon2KeySpec.Builder has already built its spec");
      }
      try {
        return new Argon2KeySpec(password.clone(), salt, iterations, memoryKiB, parallelism,
            keyLengthBits, secret, associatedData);
      } finally {
        wipe(password);
        wipe(secret);
        password = null;
        secret = null;
      }
    }

    private static void wipe(byte[] array) {
      if (array != null) {
        Arrays.fill(array, (byte) 0);
      }
    }
  }
}
