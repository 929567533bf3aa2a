package dev.clavis.keyring.file;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.KeyMaterial;
import java.util.Objects;

/**
 * Material held in memory, for a backend outside this package that stores wrapped material itself
 * (the PostgreSQL backend in {@code clavis-jdbc}): the same {@link KeyMaterial} the file store
 * uses (SunJCE, never Clavis's own provider), so both backends compute alike. Material made here
 * is wiped with {@link #wipe(KeyMaterial)}.
 */
public final class MemoryMaterial {

  private MemoryMaterial() {}

  /**
   * Holds a copy of {@code raw} as the material of {@code version}.
   *
   * @param version the version, {@code name#N}
   * @param algorithm the algorithm and size of the material
   * @param exportable whether {@link KeyMaterial#exportRaw()} may hand it out
   * @param raw the material's bytes (a key pair's encoded private key and chain); copied, the caller wipes it
   * @return the material
   * @throws IllegalArgumentException if {@code version} has no version number or the length does not fit {@code algorithm}
   * @throws NullPointerException if an argument is null
   */
  public static KeyMaterial of(KeyRef version, KeyAlgorithm algorithm, boolean exportable, byte[] raw) {
    Objects.requireNonNull(algorithm, "algorithm");
    if (Objects.requireNonNull(version, "version").version().isEmpty()) {
      throw new IllegalArgumentException("material is addressed by version (name#N), got " + version);
    }
    if (!algorithm.acceptsLength(raw.length)) {
      throw new IllegalArgumentException(algorithm + " material cannot be " + raw.length + " bytes");
    }
    return new FileMaterial(version, algorithm, exportable, raw);
  }

  /**
   * Fresh random material for a generated algorithm, as the file store generates it
   * ({@code StagedChanges.generate}): {@code bits / 8} bytes from {@link java.security.SecureRandom}.
   *
   * @param algorithm a secret-key algorithm Clavis generates (AES, HMAC, an HD seed)
   * @return the bytes; the caller wipes them
   * @throws IllegalArgumentException if Clavis does not generate material of {@code algorithm}
   *     (a key pair, which is imported with its certificate, or a SECRET)
   */
  public static byte[] fresh(KeyAlgorithm algorithm) {
    if (algorithm.kind() != KeyAlgorithm.Kind.SECRET_KEY || algorithm == KeyAlgorithm.SECRET) {
      throw new IllegalArgumentException("Clavis does not generate " + algorithm + " material: import it");
    }
    return StoreFormat.randomBytes(algorithm.bits() / 8);
  }

  /**
   * Zeroises material made by {@link #of}; other material is left alone.
   *
   * @param material the material, or null
   */
  public static void wipe(KeyMaterial material) {
    if (material instanceof FileMaterial f) {
      f.wipe();
    }
  }
}
