package dev.clavis.spec;

import dev.clavis.hd.Mnemonic;
import dev.clavis.hd.Network;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * Names a BIP32 key for {@code KeyFactory.getInstance("BIP32", "Clavis")}: a master seed or a
 * serialized extended key, and a derivation path relative to it.
 *
 * <ul>
 *   <li>{@code new HDKeySpec(seed, "m/44'/0'/0'/0/7")}: from a 16- to 64-byte seed (for example
 *       {@link dev.clavis.hd.Mnemonic#toSeed(String)}); the path starts at the master key {@code m}.
 *   <li>{@code new HDKeySpec("xprv…", "m/0/5")}: from an {@code xprv}/{@code tprv} or
 *       {@code xpub}/{@code tpub}; the path is relative to that key ({@code m} is the key itself).
 *       From an {@code xpub} only non-hardened steps exist.
 * </ul>
 *
 * <p>Hardened steps are written with {@code '}, {@code h} or {@code H}, or as indices ≥ 2^31.
 * The constructor only copies its arguments; the key factory validates them and refuses malformed
 * paths, seeds and keys with an {@link java.security.spec.InvalidKeySpecException} naming the
 * defect. The seed is copied in and out; {@link #clearSeed()} wipes the copy.
 */
public final class HDKeySpec implements KeySpec {

  private final byte[] seed;
  private final String extendedKey;
  private final String path;
  private final Network network;

  /**
   * From a master seed, for mainnet ({@code xprv}/{@code xpub}).
   *
   * @param seed the BIP32 seed, 16 to 64 bytes; copied
   * @param path from the master key, such as {@code m/44'/0'/0'/0/7}
   * @throws NullPointerException if an argument is null
   */
  public HDKeySpec(byte[] seed, String path) {
    this(seed, path, Network.MAINNET);
  }

  /**
   * From a master seed, for the given network.
   *
   * @param seed the BIP32 seed, 16 to 64 bytes; copied
   * @param path from the master key, such as {@code m/44'/1'/0'/0/7}
   * @param network selects the version bytes of the derived keys' {@code toBase58()}
   * @throws NullPointerException if an argument is null
   */
  public HDKeySpec(byte[] seed, String path, Network network) {
    this.seed = Objects.requireNonNull(seed, "seed").clone();
    this.path = Objects.requireNonNull(path, "path");
    this.network = Objects.requireNonNull(network, "network");
    this.extendedKey = null;
  }

  /**
   * From the BIP39 seed of a mnemonic and passphrase, for mainnet. The spec lives here rather than
   * on {@link Mnemonic} so that {@code dev.clavis.hd} does not depend on {@code dev.clavis.spec}
   * (the key-spec layer sits above the HD key types, as {@code java.security.spec} above nothing).
   *
   * @param mnemonic the words; not destroyed
   * @param passphrase the BIP39 passphrase, {@code ""} for none
   * @param path from the master key, such as {@code m/84'/0'/0'}
   * @return the spec; its seed copy is wiped by {@link #clearSeed()}
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the mnemonic was destroyed
   */
  public static HDKeySpec fromMnemonic(Mnemonic mnemonic, String passphrase, String path) {
    byte[] seed = Objects.requireNonNull(mnemonic, "mnemonic").toSeed(passphrase);
    try {
      return new HDKeySpec(seed, path);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * From a serialized extended key.
   *
   * @param base58ExtendedKey an {@code xprv}, {@code xpub}, {@code tprv} or {@code tpub}
   * @param path relative to that key; {@code m} is the key itself
   * @throws NullPointerException if an argument is null
   */
  public HDKeySpec(String base58ExtendedKey, String path) {
    this.extendedKey = Objects.requireNonNull(base58ExtendedKey, "base58ExtendedKey");
    this.path = Objects.requireNonNull(path, "path");
    this.seed = null;
    this.network = null;
  }

  /** A copy of the seed, or null for a spec made from an extended key. The caller wipes it. */
  public byte[] getSeed() {
    return seed == null ? null : seed.clone();
  }

  /** The serialized extended key, or null for a spec made from a seed. */
  public String getExtendedKey() {
    return extendedKey;
  }

  /** The derivation path, as given. */
  public String getPath() {
    return path;
  }

  /**
   * The network chosen for a seed spec; null for a spec made from an extended key, whose version
   * bytes decide.
   */
  public Network getNetwork() {
    return network;
  }

  /** Wipes this spec's copy of the seed. */
  public void clearSeed() {
    if (seed != null) {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The path and the kind of source, never the seed or key. */
  @Override
  public String toString() {
    return "HDKeySpec[" + (seed != null ? "seed" : "extended key") + ", path=" + path + "]";
  }
}
