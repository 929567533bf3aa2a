package dev.clavis.keyring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Where a managed HD key comes from: the seed entry and version it was derived from and its BIP32
 * path. Public, never secret; kept in the key's metadata ({@link KeyMetadata#derivation()}) and
 * checked at every operation of the key (the seed version's state must allow it too).
 * Immutable.
 */
public final class HdDerivation {

  /** The bit BIP32 sets on hardened indices. */
  public static final int HARDENED = 0x80000000;
  /** The deepest path Clavis records (BIP32 allows 255 levels; BIP44 uses 5). */
  public static final int MAX_DEPTH = 32;

  private final String seed;
  private final int seedVersion;
  private final List<Integer> path;

  private HdDerivation(String seed, int seedVersion, List<Integer> path) {
    this.seed = seed;
    this.seedVersion = seedVersion;
    this.path = path;
  }

  /**
   * @param seed the seed entry's name
   * @param seedVersion the seed version derived from, 1 or more
   * @param path the BIP32 indices from the master (hardened ones with {@link #HARDENED} set), 1 to {@link #MAX_DEPTH}
   * @return the derivation
   * @throws IllegalArgumentException for an invalid name, version or path length
   */
  public static HdDerivation of(String seed, int seedVersion, int[] path) {
    KeyRef.of(seed);
    if (seedVersion < 1) {
      throw new IllegalArgumentException("a seed version is 1 or more, not " + seedVersion);
    }
    if (path.length < 1 || path.length > MAX_DEPTH) {
      throw new IllegalArgumentException("an HD key's path has 1 to " + MAX_DEPTH + " levels, not " + path.length);
    }
    List<Integer> p = new ArrayList<>(path.length);
    for (int i : path) {
      p.add(i);
    }
    return new HdDerivation(seed, seedVersion, Collections.unmodifiableList(p));
  }

  /** @return the seed entry's name */
  public String seed() {
    return seed;
  }

  /** @return the seed version the key was derived from */
  public int seedVersion() {
    return seedVersion;
  }

  /** @return the exact seed version, {@code seed#N} */
  public KeyRef seedRef() {
    return KeyRef.of(seed, seedVersion);
  }

  /** @return the BIP32 indices from the master, hardened ones with {@link #HARDENED} set */
  public List<Integer> indices() {
    return path;
  }

  /** @return the path as BIP32 writes it, {@code m/44'/0'/0'/0'/5'} */
  public String path() {
    StringBuilder b = new StringBuilder("m");
    for (int i : path) {
      b.append('/').append(i & ~HARDENED);
      if ((i & HARDENED) != 0) {
        b.append('\'');
      }
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HdDerivation d && d.seed.equals(seed) && d.seedVersion == seedVersion && d.path.equals(path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seed, seedVersion, path);
  }

  /** @return {@code seed#N m/...}: public values only */
  @Override
  public String toString() {
    return seedRef() + " " + path();
  }
}
