package dev.clavis.engine.argon2;

import java.util.Arrays;
import java.util.Objects;

/**
 * Argon2 (RFC 9106): Argon2d, Argon2i and Argon2id, version 0x13 (0x10 for old test vectors),
 * with optional secret K and associated data X and any tag length from 4 bytes. JCA-free: the
 * {@code SecretKeyFactory} and the file store both call {@link #hash}.
 *
 * <p>Each call allocates its memory once, as one {@code long[]} for all lanes, and wipes it before
 * returning. With parallelism above 1 the lanes of each slice run in parallel on a shared pool of
 * daemon threads (one per processor) plus the calling thread; with parallelism 1 everything runs
 * on the calling thread. Inputs are never modified or kept: callers wipe their own passwords.
 *
 * <p>Memory is capped so that a hostile parameter set cannot exhaust the heap: at most
 * {@value #DEFAULT_MAX_MEMORY_KIB} KiB (4 GiB) unless the system property
 * {@value #MAX_MEMORY_PROPERTY} says otherwise (never more than {@value #HARD_MAX_MEMORY_KIB} KiB,
 * the most one Java array can hold).
 */
public final class Argon2 {

  /** Argon2 version 0x13 (19), the version of RFC 9106. */
  public static final int VERSION_13 = 0x13;

  /** Argon2 version 0x10 (16), kept only to check the reference implementation's old vectors. */
  public static final int VERSION_10 = 0x10;

  /** System property holding the largest accepted memory size in KiB. */
  public static final String MAX_MEMORY_PROPERTY = "dev.clavis.argon2.maxMemoryKiB";

  /** The memory limit when {@value #MAX_MEMORY_PROPERTY} is not set: 4 GiB. */
  public static final int DEFAULT_MAX_MEMORY_KIB = 4 * 1024 * 1024;

  /** The largest memory one {@code long[]} can hold: 2^24 - 1 blocks of 128 words. */
  public static final int HARD_MAX_MEMORY_KIB = (1 << 24) - 1;

  /** RFC 9106 §3.1: at most 2^24 - 1 lanes. */
  public static final int MAX_PARALLELISM = (1 << 24) - 1;

  /** The reference implementation's minimum salt length (RFC 9106 §3.1 recommends 16 bytes). */
  public static final int MIN_SALT_BYTES = 8;

  /** RFC 9106 §3.1: tags are at least 4 bytes. */
  public static final int MIN_TAG_BYTES = 4;

  /**
   * The longest tag Clavis derives: 1 MiB. RFC 9106 §3.1 allows up to 2^32 - 1 bytes, but a
   * hostile length would only make the caller allocate (and H' compute) that much.
   */
  public static final int MAX_TAG_BYTES = 1 << 20;

  private static final int BLOCK_BYTES = Argon2Block.WORDS * 8;
  private static final int PREHASH_BYTES = 64;

  private Argon2() {}

  /** Test hook: sees the memory after each pass (RFC 9106 §5 prints words of it). */
  interface PassObserver {
    void afterPass(int pass, long[] memory, int laneLength);
  }

  /**
   * Computes an Argon2 version 0x13 tag.
   *
   * @param type Argon2d, Argon2i or Argon2id
   * @param password the password P (may be empty; not modified, not kept)
   * @param salt the salt S, at least 8 bytes
   * @param secret the secret K, or {@code null} for none
   * @param associatedData the associated data X, or {@code null} for none
   * @param iterations the number of passes t, at least 1
   * @param memoryKiB the memory size m in KiB, at least 8 × parallelism and at most the limit
   * @param parallelism the number of lanes p, 1 to 2^24 - 1
   * @param tagLength the tag length T in bytes, at least 4
   * @return the tag, {@code tagLength} bytes
   * @throws IllegalArgumentException if a parameter is out of range (the message says which)
   * @throws NullPointerException if {@code type}, {@code password} or {@code salt} is null
   */
  public static byte[] hash(
      Argon2Type type,
      byte[] password,
      byte[] salt,
      byte[] secret,
      byte[] associatedData,
      int iterations,
      int memoryKiB,
      int parallelism,
      int tagLength) {
    return hash(type, VERSION_13, password, salt, secret, associatedData,
        iterations, memoryKiB, parallelism, tagLength);
  }

  /**
   * Computes an Argon2 tag for an explicit version; {@link #VERSION_10} exists only for the
   * reference implementation's old test vectors.
   *
   * @param version {@link #VERSION_13} or {@link #VERSION_10}
   * @return the tag, {@code tagLength} bytes
   * @throws IllegalArgumentException if a parameter or the version is out of range
   * @see #hash(Argon2Type, byte[], byte[], byte[], byte[], int, int, int, int)
   */
  public static byte[] hash(
      Argon2Type type,
      int version,
      byte[] password,
      byte[] salt,
      byte[] secret,
      byte[] associatedData,
      int iterations,
      int memoryKiB,
      int parallelism,
      int tagLength) {
    return hash(type, version, password, salt, secret, associatedData,
        iterations, memoryKiB, parallelism, tagLength, null);
  }

  static byte[] hash(
      Argon2Type type,
      int version,
      byte[] password,
      byte[] salt,
      byte[] secret,
      byte[] associatedData,
      int iterations,
      int memoryKiB,
      int parallelism,
      int tagLength,
      PassObserver observer) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(salt, "salt");
    if (version != VERSION_13 && version != VERSION_10) {
      throw new IllegalArgumentException(
          "Argon2 version must be 0x13 (or 0x10 for old vectors), got 0x" + Integer.toHexString(version));
    }
    validate(salt.length, iterations, memoryKiB, parallelism, tagLength);
    byte[] k = secret == null ? new byte[0] : secret;
    byte[] x = associatedData == null ? new byte[0] : associatedData;

    // §3.2 step 5: m' = 4 * p * floor(m / 4p) blocks, q = m' / p columns per lane.
    int memoryBlocks = 4 * parallelism * (memoryKiB / (4 * parallelism));
    byte[] h0 = prehash(type, version, password, salt, k, x, iterations, memoryKiB, parallelism, tagLength);
    Argon2Fill fill = null;
    byte[] seed = new byte[PREHASH_BYTES + 8];
    byte[] blockBytes = new byte[BLOCK_BYTES];
    try {
      fill = new Argon2Fill(type, version, iterations, parallelism, memoryBlocks);
      long[] memory = fill.memory;
      int laneLength = fill.laneLength();

      // §3.2 steps 3-4: B[i][0] = H'^(1024)(H0 || LE32(0) || LE32(i)), B[i][1] likewise with 1.
      System.arraycopy(h0, 0, seed, 0, PREHASH_BYTES);
      for (int lane = 0; lane < parallelism; lane++) {
        for (int column = 0; column < 2; column++) {
          le32(column, seed, PREHASH_BYTES);
          le32(lane, seed, PREHASH_BYTES + 4);
          hPrime(seed, blockBytes, BLOCK_BYTES);
          Argon2Block.load(blockBytes, memory, (lane * laneLength + column) * Argon2Block.WORDS);
        }
      }

      // §3.2 steps 5-6: the passes.
      fill.fill(observer);

      // §3.2 step 7: C = B[0][q-1] XOR ... XOR B[p-1][q-1]; the tag is H'^(T)(C).
      int last = (laneLength - 1) * Argon2Block.WORDS;
      for (int lane = 1; lane < parallelism; lane++) {
        int other = (lane * laneLength + laneLength - 1) * Argon2Block.WORDS;
        for (int i = 0; i < Argon2Block.WORDS; i++) {
          memory[last + i] ^= memory[other + i];
        }
      }
      Argon2Block.store(memory, last, blockBytes);
      byte[] tag = new byte[tagLength];
      hPrime(blockBytes, tag, tagLength);
      return tag;
    } finally {
      if (fill != null) {
        fill.wipe();
      }
      Arrays.fill(h0, (byte) 0);
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(blockBytes, (byte) 0);
    }
  }

  /**
   * Checks the parameters against RFC 9106 §3.1, the reference implementation's 8-byte salt
   * minimum and the memory limit.
   *
   * @throws IllegalArgumentException naming the first parameter out of range
   */
  public static void validate(int saltLength, int iterations, int memoryKiB, int parallelism, int tagLength) {
    if (saltLength < MIN_SALT_BYTES) {
      throw new IllegalArgumentException("Argon2 salt is too short: " + saltLength
          + " bytes, at least " + MIN_SALT_BYTES + " are required (16 random bytes recommended)");
    }
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("Argon2 parallelism (lanes) must be between 1 and "
          + MAX_PARALLELISM + ", got " + parallelism);
    }
    if (memoryKiB < 8 * parallelism) {
      throw new IllegalArgumentException("Argon2 memory is too small: " + memoryKiB
          + " KiB, at least 8 KiB per lane (" + 8L * parallelism + " KiB for " + parallelism
          + " lanes) are required");
    }
    int limit = maxMemoryKiB();
    if (memoryKiB > limit) {
      throw new IllegalArgumentException("Argon2 memory of " + memoryKiB
          + " KiB exceeds the limit of " + limit + " KiB; raise it with the system property "
          + MAX_MEMORY_PROPERTY + " if this is intended (at most " + HARD_MAX_MEMORY_KIB + ")");
    }
    if (iterations < 1) {
      throw new IllegalArgumentException(
          "Argon2 iterations (passes) must be at least 1, got " + iterations);
    }
    if (tagLength < MIN_TAG_BYTES) {
      throw new IllegalArgumentException("Argon2 output is too short: " + tagLength
          + " bytes, at least " + MIN_TAG_BYTES + " are required");
    }
    if (tagLength > MAX_TAG_BYTES) {
      throw new IllegalArgumentException("Argon2 output is too long: " + tagLength
          + " bytes, at most " + MAX_TAG_BYTES + " (1 MiB) are supported");
    }
  }

  /**
   * The memory limit in KiB: the system property {@value #MAX_MEMORY_PROPERTY} if set, else
   * {@value #DEFAULT_MAX_MEMORY_KIB}; never above {@value #HARD_MAX_MEMORY_KIB}.
   *
   * @throws IllegalArgumentException if the property is set but is not a positive integer
   */
  public static int maxMemoryKiB() {
    String value = System.getProperty(MAX_MEMORY_PROPERTY);
    if (value == null) {
      return DEFAULT_MAX_MEMORY_KIB;
    }
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      parsed = -1;
    }
    if (parsed < 1) {
      throw new IllegalArgumentException("system property " + MAX_MEMORY_PROPERTY
          + " must be a positive number of KiB, got '" + value + "'");
    }
    return (int) Math.min(parsed, HARD_MAX_MEMORY_KIB);
  }

  /**
   * RFC 9106 §3.2 steps 1-2: H0 = H^(64)(LE32(p) || LE32(T) || LE32(m) || LE32(t) || LE32(v) ||
   * LE32(y) || LE32(len(P)) || P || LE32(len(S)) || S || LE32(len(K)) || K || LE32(len(X)) || X).
   */
  static byte[] prehash(Argon2Type type, int version, byte[] password, byte[] salt, byte[] secret,
      byte[] associatedData, int iterations, int memoryKiB, int parallelism, int tagLength) {
    byte[] h0 = new byte[PREHASH_BYTES];
    new Blake2b()
        .init(PREHASH_BYTES)
        .updateLe32(parallelism)
        .updateLe32(tagLength)
        .updateLe32(memoryKiB)
        .updateLe32(iterations)
        .updateLe32(version)
        .updateLe32(type.code())
        .updateLe32(password.length)
        .update(password)
        .updateLe32(salt.length)
        .update(salt)
        .updateLe32(secret.length)
        .update(secret)
        .updateLe32(associatedData.length)
        .update(associatedData)
        .doFinal(h0, 0);
    return h0;
  }

  /**
   * RFC 9106 §3.3: the variable-length hash H'^(T)(A). Up to 64 bytes it is H^(T)(LE32(T) || A);
   * beyond, r = ceil(T/32) - 2 chained 64-byte hashes V1..Vr contribute their first 32 bytes and a
   * final hash V(r+1) of T - 32r bytes ends the output.
   */
  static void hPrime(byte[] input, byte[] out, int length) {
    Blake2b h = new Blake2b();
    if (length <= Blake2b.MAX_DIGEST_BYTES) {
      h.init(length).updateLe32(length).update(input).doFinal(out, 0);
      return;
    }
    byte[] v = new byte[Blake2b.MAX_DIGEST_BYTES];
    try {
      int r = (length + 31) / 32 - 2;
      h.init(Blake2b.MAX_DIGEST_BYTES).updateLe32(length).update(input).doFinal(v, 0);
      System.arraycopy(v, 0, out, 0, 32);
      for (int i = 1; i < r; i++) {
        h.init(Blake2b.MAX_DIGEST_BYTES).update(v).doFinal(v, 0);
        System.arraycopy(v, 0, out, 32 * i, 32);
      }
      h.init(length - 32 * r).update(v).doFinal(out, 32 * r);
    } finally {
      Arrays.fill(v, (byte) 0);
    }
  }

  private static void le32(int value, byte[] out, int off) {
    out[off] = (byte) value;
    out[off + 1] = (byte) (value >>> 8);
    out[off + 2] = (byte) (value >>> 16);
    out[off + 3] = (byte) (value >>> 24);
  }
}
