package dev.clavis.hd;

import dev.clavis.engine.hd.Bip32Node;
import dev.clavis.engine.hd.Bip32Path;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * A BIP32 extended private key on secp256k1: an {@link ECPrivateKey} with its chain code and its
 * place in the tree. It signs with any JCA {@code SHA256withECDSA} that accepts a foreign
 * {@code ECPrivateKey} (Bouncy Castle and SunEC read {@link #getS()} and {@link #getParams()}).
 *
 * <p>Get one from {@code KeyFactory.getInstance("BIP32", "Clavis")} with a
 * {@code dev.clavis.spec.HDKeySpec}, or directly with {@link #fromSeed}, {@link #fromBase58} and
 * {@link #derive}. The public key is computed on first use ({@link #getPublicKey()}) and cached,
 * and so is the HMAC state of the chain code: deriving many children of one key costs one
 * HMAC-SHA512 each.
 *
 * <p>{@link #destroy()} wipes the private key and chain code; {@code toString()} shows only the
 * fingerprint and the path. Instances refuse Java serialization: store {@link #toBase58()} in a
 * protected place instead. Instances are immutable (apart from caches and {@code destroy()}) and
 * thread-safe.
 */
public final class ExtendedPrivateKey implements ECPrivateKey {

  private static final long serialVersionUID = 1L;

  private final transient Bip32Node node;
  private final transient KeyPath path;

  private ExtendedPrivateKey(Bip32Node node, KeyPath path) {
    this.node = node;
    this.path = path;
  }

  /**
   * The BIP32 master key of a seed, on mainnet.
   *
   * @param seed 16 to 64 bytes, for example from {@link Mnemonic#toSeed(String)}; not retained
   * @throws IllegalArgumentException if the seed length is out of range or the seed gives an
   *     invalid master key
   */
  public static ExtendedPrivateKey fromSeed(byte[] seed) {
    return fromSeed(seed, Network.MAINNET);
  }

  /**
   * The BIP32 master key of a seed.
   *
   * @param seed 16 to 64 bytes; not retained
   * @param network selects the {@code xprv} or {@code tprv} version bytes
   * @throws IllegalArgumentException if the seed length is out of range or the seed gives an
   *     invalid master key
   */
  public static ExtendedPrivateKey fromSeed(byte[] seed, Network network) {
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(network, "network");
    return new ExtendedPrivateKey(Bip32Node.master(seed, network == Network.TESTNET), KeyPath.master());
  }

  /**
   * Parses and validates an {@code xprv} or {@code tprv}.
   *
   * @throws IllegalArgumentException naming the defect: bad Base58 or checksum, wrong length,
   *     unknown or public version, inconsistent depth, invalid private key
   */
  public static ExtendedPrivateKey fromBase58(String xprv) {
    Objects.requireNonNull(xprv, "xprv");
    Bip32Node n = Bip32Node.parse(xprv);
    if (!n.isPrivate()) {
      throw new IllegalArgumentException(
          "this is an extended public key (xpub/tpub), which cannot give a private key; pass an xprv/tprv or a seed");
    }
    return of(n);
  }

  static ExtendedPrivateKey of(Bip32Node n) {
    return new ExtendedPrivateKey(n, n.depth() == 0 ? KeyPath.master() : KeyPath.unknown(n.depth()));
  }

  /**
   * Derives a descendant along a path relative to this key ({@code m} is this key itself), e.g.
   * {@code "m/0'/1"}; {@code '}, {@code h} and {@code H} mark hardened steps.
   *
   * @throws IllegalArgumentException if the path is malformed or goes deeper than 255
   * @throws IllegalStateException if this key was destroyed
   */
  public ExtendedPrivateKey derive(String relativePath) {
    int[] steps = Bip32Path.parse(relativePath);
    if (node.depth() + steps.length > Bip32Path.MAX_DEPTH) {
      throw new IllegalArgumentException("path of " + steps.length + " steps from depth " + node.depth()
          + " exceeds the BIP32 maximum depth " + Bip32Path.MAX_DEPTH);
    }
    ExtendedPrivateKey k = this;
    for (int s : steps) {
      ExtendedPrivateKey next = k.deriveChild(s);
      if (k != this) {
        k.destroy(); // intermediate keys are nobody's: wipe them now rather than at GC
      }
      k = next;
    }
    return k;
  }

  /**
   * Derives the child with this child number (top bit set, or {@code index | 0x80000000}, for a
   * hardened child). If BIP32 declares the child invalid (probability below 2^-127) the next index
   * is used, as the BIP says; {@link #getChildNumber()} tells which.
   *
   * @throws IllegalArgumentException at depth 255
   * @throws IllegalStateException if this key was destroyed
   */
  public ExtendedPrivateKey deriveChild(int childNumber) {
    Bip32Node c = node.child(childNumber);
    return new ExtendedPrivateKey(c, path.child(c.childNumber()));
  }

  /** The matching extended public key (BIP32 N(·)); computed once, then cached. */
  public ExtendedPublicKey getPublicKey() {
    return ExtendedPublicKey.of(node.neuter(), path);
  }

  /** The Base58Check serialization, {@code xprv…} (or {@code tprv…}). Treat it as the secret it is. */
  public String toBase58() {
    return node.toBase58();
  }

  /** A copy of the 32-byte chain code. */
  public byte[] getChainCode() {
    return node.chainCode();
  }

  /** The depth: 0 for a master key, 1 for its children, and so on. */
  public int getDepth() {
    return node.depth();
  }

  /** The parent's fingerprint, 0 for a master key. */
  public int getParentFingerprint() {
    return node.parentFingerprint();
  }

  /** This key's fingerprint: the first 32 bits of HASH160 of its public key. */
  public int getFingerprint() {
    return node.fingerprint();
  }

  /** The child number; hardened children have the top bit set. */
  public int getChildNumber() {
    return node.childNumber();
  }

  /** The network whose version bytes {@link #toBase58()} uses. */
  public Network getNetwork() {
    return node.isTestnet() ? Network.TESTNET : Network.MAINNET;
  }

  /**
   * The path from the master key, like {@code m/44'/0'/0'/0/7}; for a key parsed from an
   * {@code xprv} below the master the ancestry is unknown and the path starts with {@code …}.
   */
  public String getPath() {
    return path.toString();
  }

  /** The private scalar as 32 big-endian bytes: the one raw accessor. The caller wipes the copy. */
  public byte[] getPrivateKeyBytes() {
    return node.privateKeyBytes();
  }

  /** {@inheritDoc} The scalar as a {@code BigInteger}, which cannot be wiped. */
  @Override
  public BigInteger getS() {
    byte[] k = node.privateKeyBytes();
    try {
      return new BigInteger(1, k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** {@inheritDoc} Always secp256k1. */
  @Override
  public ECParameterSpec getParams() {
    return Secp256k1Spec.PARAMS;
  }

  /** {@inheritDoc} {@code EC}. */
  @Override
  public String getAlgorithm() {
    return "EC";
  }

  /** {@inheritDoc} {@code PKCS#8}. */
  @Override
  public String getFormat() {
    return "PKCS#8";
  }

  /**
   * {@inheritDoc} A PKCS#8 {@code PrivateKeyInfo} holding an RFC 5915 {@code ECPrivateKey} on the
   * named curve secp256k1 (the chain code is not part of it). A fresh copy the caller should wipe.
   *
   * @throws IllegalStateException if this key was destroyed
   */
  @Override
  public byte[] getEncoded() {
    byte[] s = node.privateKeyBytes();
    try {
      return Secp256k1Spec.pkcs8(s);
    } finally {
      Arrays.fill(s, (byte) 0);
    }
  }

  /** Wipes the private key, the chain code and the cached HMAC state. */
  @Override
  public void destroy() {
    node.destroy();
  }

  /** {@inheritDoc} */
  @Override
  public boolean isDestroyed() {
    return node.isDestroyed();
  }

  /** The fingerprint and path only, never key material. */
  @Override
  public String toString() {
    if (node.isDestroyed()) {
      return "ExtendedPrivateKey[destroyed, path=" + path + "]";
    }
    return String.format("ExtendedPrivateKey[fingerprint=%08x, path=%s]", node.fingerprint(), path);
  }

  /** Refuses Java serialization, which would write the key in the clear. */
  private Object writeReplace() throws NotSerializableException {
    throw new NotSerializableException("ExtendedPrivateKey is not serializable; store toBase58() encrypted instead");
  }

  private void readObject(ObjectInputStream in) throws NotSerializableException {
    throw new NotSerializableException("ExtendedPrivateKey is not serializable");
  }
}
