package dev.clavis.hd;

import dev.clavis.engine.hd.Bip32Node;
import dev.clavis.engine.hd.Bip32Path;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A BIP32 extended public key on secp256k1: an {@link ECPublicKey} with its chain code and its
 * place in the tree, serialized as {@code xpub…} (or {@code tpub…}). It derives non-hardened
 * descendants (CKDpub); hardened ones need the private key.
 *
 * <p>Equal when the serializations are equal. Java serialization is refused; use
 * {@link #toBase58()}. Immutable and thread-safe.
 */
public final class ExtendedPublicKey implements ECPublicKey {

  private static final long serialVersionUID = 1L;

  private final transient Bip32Node node;
  private final transient KeyPath path;

  private ExtendedPublicKey(Bip32Node node, KeyPath path) {
    this.node = node;
    this.path = path;
  }

  static ExtendedPublicKey of(Bip32Node publicNode, KeyPath path) {
    return new ExtendedPublicKey(publicNode, path);
  }

  /**
   * Parses and validates an {@code xpub} or {@code tpub}.
   *
   * @throws IllegalArgumentException naming the defect: bad Base58 or checksum, wrong length,
   *     unknown or private version, inconsistent depth, a point not on the curve
   */
  public static ExtendedPublicKey fromBase58(String xpub) {
    Objects.requireNonNull(xpub, "xpub");
    Bip32Node n = Bip32Node.parse(xpub);
    if (n.isPrivate()) {
      n.destroy();
      throw new IllegalArgumentException("this is an extended private key (xprv/tprv); use ExtendedPrivateKey.fromBase58");
    }
    return new ExtendedPublicKey(n, n.depth() == 0 ? KeyPath.master() : KeyPath.unknown(n.depth()));
  }

  /**
   * Derives a non-hardened descendant along a path relative to this key ({@code m} is the key).
   *
   * @throws IllegalArgumentException if the path is malformed, has a hardened step, or goes deeper
   *     than 255
   */
  public ExtendedPublicKey derive(String relativePath) {
    int[] steps = Bip32Path.parse(relativePath);
    for (int i = 0; i < steps.length; i++) {
      if ((steps[i] & Bip32Path.HARDENED) != 0) {
        throw new IllegalArgumentException("path step " + (i + 1) + " (" + Bip32Path.step(steps[i])
            + ") is hardened: an extended public key derives only non-hardened children");
      }
    }
    if (node.depth() + steps.length > Bip32Path.MAX_DEPTH) {
      throw new IllegalArgumentException("path of " + steps.length + " steps from depth " + node.depth()
          + " exceeds the BIP32 maximum depth " + Bip32Path.MAX_DEPTH);
    }
    ExtendedPublicKey k = this;
    for (int s : steps) {
      k = k.deriveChild(s);
    }
    return k;
  }

  /**
   * Derives the non-hardened child with this index (CKDpub): one fixed-base multiplication and one
   * point addition. If BIP32 declares the child invalid the next index is used.
   *
   * @throws IllegalArgumentException for a hardened index or at depth 255
   */
  public ExtendedPublicKey deriveChild(int childNumber) {
    Bip32Node c = node.child(childNumber);
    return new ExtendedPublicKey(c, path.child(c.childNumber()));
  }

  /**
   * Derives the non-hardened children {@code firstChildNumber} .. {@code firstChildNumber + count - 1}
   * (CKDpub), element k equal to {@link #deriveChild deriveChild(firstChildNumber + k)}, computed
   * together (points summed side by side in affine coordinates, one batched inversion per step): a
   * run of 20 receive addresses costs about two thirds of the CPU of 20 {@code deriveChild} calls.
   * Variable time, as all CKDpub: its inputs are public.
   *
   * @throws IllegalArgumentException if count is negative, an index is or would become hardened,
   *     or this key is at depth 255
   */
  public List<ExtendedPublicKey> deriveChildren(int firstChildNumber, int count) {
    Bip32Node[] c = node.children(firstChildNumber, count);
    List<ExtendedPublicKey> out = new ArrayList<>(c.length);
    for (Bip32Node n : c) {
      out.add(new ExtendedPublicKey(n, path.child(n.childNumber())));
    }
    return List.copyOf(out);
  }

  /** The Base58Check serialization, {@code xpub…} (or {@code tpub…}). */
  public String toBase58() {
    return node.toBase58();
  }

  /** The SEC1 compressed public key, 33 bytes. */
  public byte[] getCompressed() {
    return node.publicKey();
  }

  /** A copy of the 32-byte chain code. */
  public byte[] getChainCode() {
    return node.chainCode();
  }

  /** The depth: 0 for a master key. */
  public int getDepth() {
    return node.depth();
  }

  /** The parent's fingerprint, 0 for a master key. */
  public int getParentFingerprint() {
    return node.parentFingerprint();
  }

  /** This key's fingerprint: the first 32 bits of HASH160 of the compressed public key. */
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

  /** The path from the master key, or starting with {@code …} when the ancestry is unknown. */
  public String getPath() {
    return path.toString();
  }

  /** {@inheritDoc} The affine point. */
  @Override
  public ECPoint getW() {
    return new ECPoint(new BigInteger(1, node.publicX()), new BigInteger(1, node.publicY()));
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

  /** {@inheritDoc} {@code X.509}. */
  @Override
  public String getFormat() {
    return "X.509";
  }

  /** {@inheritDoc} A {@code SubjectPublicKeyInfo} on the named curve secp256k1, uncompressed point. */
  @Override
  public byte[] getEncoded() {
    byte[] point = new byte[65];
    point[0] = 4;
    System.arraycopy(node.publicX(), 0, point, 1, 32);
    System.arraycopy(node.publicY(), 0, point, 33, 32);
    return Secp256k1Spec.x509(point);
  }

  /** Equal to another extended public key with the same serialization. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ExtendedPublicKey
        && Arrays.equals(node.serialize(), ((ExtendedPublicKey) o).node.serialize());
  }

  @Override
  public int hashCode() {
    return node.fingerprint() * 31 + node.childNumber();
  }

  /** The fingerprint and path. */
  @Override
  public String toString() {
    return String.format("ExtendedPublicKey[fingerprint=%08x, path=%s]", node.fingerprint(), path);
  }

  /** Refuses Java serialization; {@link #toBase58()} is the portable form. */
  private Object writeReplace() throws NotSerializableException {
    throw new NotSerializableException("ExtendedPublicKey is not serializable; use toBase58()");
  }

  private void readObject(ObjectInputStream in) throws NotSerializableException {
    throw new NotSerializableException("ExtendedPublicKey is not serializable");
  }
}
