package dev.clavis.engine.hd;

import java.util.Arrays;

/**
 * One node of a BIP32 tree: a private or public key with its chain code and position, and the
 * derivation functions CKDpriv and CKDpub (BIP32 "Child key derivation functions").
 *
 * <p>Immutable apart from caches filled on first use: the public key of a private node (one
 * fixed-base multiplication), its fingerprint (HASH160) and the HMAC-SHA512 states keyed by its
 * chain code. A walk over many children of one node therefore pays, per child, one HMAC (two
 * SHA-512 compressions) and a scalar addition; the child's public key is computed only if asked
 * for. Caches are written racily but idempotently, so instances are safe to share between threads.
 *
 * <p>Why this class is over 400 lines: it is BIP32's node, and BIP32 defines derivation (CKDpriv,
 * CKDpub), neutering and the 78-byte serialization over the same fields; the caches above are shared
 * by all of them. The curve arithmetic is {@link Secp256k1}'s and {@link Fe}'s, and about half the
 * lines are documentation of what each step of the standard requires.
 */
public final class Bip32Node {

  /** Version bytes (BIP32 "Serialization format"): mainnet and testnet, private and public. */
  public static final int XPRV = 0x0488ADE4;
  public static final int XPUB = 0x0488B21E;
  public static final int TPRV = 0x04358394;
  public static final int TPUB = 0x043587CF;

  private static final byte[] MASTER_KEY = {
    'B', 'i', 't', 'c', 'o', 'i', 'n', ' ', 's', 'e', 'e', 'd'
  };
  private static final HmacSha512 MASTER_HMAC = new HmacSha512(MASTER_KEY);

  /** Private key (32 bytes) or null for a public node. */
  private final byte[] priv;
  private final byte[] chainCode;
  private final int depth;
  private final int parentFingerprint;
  private final int childNumber;
  private final boolean testnet;

  /** Set at construction for public nodes, on first use for private ones. */
  private volatile PublicPoint pub;
  private volatile HmacSha512 hmac;
  private volatile boolean destroyed;

  /** A public key with its affine coordinates (not secret) and its fingerprint, hashed on first use. */
  private static final class PublicPoint {
    final byte[] encoded;
    final long[] x;
    final long[] y;
    private volatile boolean hashed;
    private int fingerprint;

    PublicPoint(byte[] encoded, long[] x, long[] y) {
      this.encoded = encoded;
      this.x = x;
      this.y = y;
    }

    int fingerprint() {
      if (!hashed) {
        fingerprint = Hash160.fingerprint(encoded);
        hashed = true; // the volatile write publishes the plain field
      }
      return fingerprint;
    }
  }

  private Bip32Node(
      byte[] priv, PublicPoint pub, byte[] chainCode, int depth, int parentFingerprint, int childNumber, boolean testnet) {
    this.priv = priv;
    this.pub = pub;
    this.chainCode = chainCode;
    this.depth = depth;
    this.parentFingerprint = parentFingerprint;
    this.childNumber = childNumber;
    this.testnet = testnet;
  }

  /**
   * BIP32 "Master key generation": I = HMAC-SHA512("Bitcoin seed", S), k = I_L, c = I_R.
   *
   * @param seed 16 to 64 bytes (128 to 512 bits)
   * @throws IllegalArgumentException if the seed length is out of range, or (probability about
   *     2^-127) I_L is 0 or ≥ n, which BIP32 declares an invalid master key
   */
  public static Bip32Node master(byte[] seed, boolean testnet) {
    if (seed.length < 16 || seed.length > 64) {
      throw new IllegalArgumentException(
          "seed is " + seed.length + " bytes; BIP32 seeds are 16 to 64 bytes (128 to 512 bits)");
    }
    byte[] i = MASTER_HMAC.mac(seed, 0, seed.length);
    try {
      byte[] k = Arrays.copyOf(i, 32);
      long[] kl = Scalar.fromBytes(k, 0);
      boolean ok = Scalar.isValidPrivate(kl);
      Arrays.fill(kl, 0);
      if (!ok) {
        Arrays.fill(k, (byte) 0);
        throw new IllegalArgumentException("this seed gives an invalid BIP32 master key (I_L is 0 or not below n); use another seed");
      }
      return new Bip32Node(k, null, Arrays.copyOfRange(i, 32, 64), 0, 0, 0, testnet);
    } finally {
      Arrays.fill(i, (byte) 0);
    }
  }

  /**
   * Derives the child with the given child number (top bit set = hardened): CKDpriv for a private
   * node, CKDpub for a public one. When I_L ≥ n or the child key is invalid, BIP32 says to proceed
   * with the next index, and so this does (the returned node records the index it used).
   *
   * @throws IllegalArgumentException for a hardened index on a public node, or past depth 255
   * @throws IllegalStateException if the node was destroyed, or every later index of the same kind
   *     is invalid (never observed)
   */
  public Bip32Node child(int index) {
    checkLive();
    if (depth == Bip32Path.MAX_DEPTH) {
      throw new IllegalArgumentException("cannot derive below depth " + Bip32Path.MAX_DEPTH + ", the BIP32 maximum");
    }
    boolean hardened = (index & Bip32Path.HARDENED) != 0;
    if (hardened && priv == null) {
      throw new IllegalArgumentException(
          "cannot derive hardened child " + Bip32Path.step(index) + " from a public key; derive it from the private key");
    }
    for (int i = index; ; i++) {
      Bip32Node c = priv != null ? childPrivate(i) : childPublic(i);
      if (c != null) {
        return c;
      }
      if (((i + 1) & Bip32Path.HARDENED) != (index & Bip32Path.HARDENED)) {
        throw new IllegalStateException("no valid BIP32 child at or after index " + Bip32Path.step(index));
      }
    }
  }

  /** Derives along child numbers; each step as {@link #child}. */
  public Bip32Node derive(int[] path) {
    if (depth + path.length > Bip32Path.MAX_DEPTH) {
      throw new IllegalArgumentException(
          "path of " + path.length + " steps from depth " + depth + " exceeds the BIP32 maximum depth " + Bip32Path.MAX_DEPTH);
    }
    Bip32Node n = this;
    for (int index : path) {
      n = n.child(index);
    }
    return n;
  }

  private Bip32Node childPrivate(int index) {
    byte[] data = new byte[37];
    if ((index & Bip32Path.HARDENED) != 0) {
      // Data = 0x00 || ser256(k_par) || ser32(i)
      System.arraycopy(priv, 0, data, 1, 32);
    } else {
      // Data = serP(point(k_par)) || ser32(i)
      System.arraycopy(publicPoint().encoded, 0, data, 0, 33);
    }
    putInt(data, 33, index);
    byte[] i = hmac().mac(data, 0, 37);
    long[] il = Scalar.fromBytes(i, 0);
    long[] kp = Scalar.fromBytes(priv, 0);
    try {
      if (Scalar.isBelowOrder(il) == 0) {
        return null;
      }
      // k_i = parse256(I_L) + k_par (mod n)
      Scalar.addMod(il, il, kp);
      if (Scalar.isZero(il) == 1) {
        return null;
      }
      byte[] k = new byte[32];
      Scalar.toBytes(il, k, 0);
      return new Bip32Node(
          k, null, Arrays.copyOfRange(i, 32, 64), depth + 1, fingerprint(), index, testnet);
    } finally {
      Arrays.fill(data, (byte) 0);
      Arrays.fill(i, (byte) 0);
      Arrays.fill(il, 0);
      Arrays.fill(kp, 0);
    }
  }

  private Bip32Node childPublic(int index) {
    PublicPoint p = pub;
    byte[] data = new byte[37];
    System.arraycopy(p.encoded, 0, data, 0, 33);
    putInt(data, 33, index);
    byte[] i = hmac().mac(data, 0, 37);
    long[] il = Scalar.fromBytes(i, 0);
    if (Scalar.isBelowOrder(il) == 0) {
      return null;
    }
    // K_i = point(parse256(I_L)) + K_par; invalid if the point at infinity
    long[] x = Fe.create();
    long[] y = Fe.create();
    byte[] enc = Secp256k1.tweakAddVar(il, p.x, p.y, x, y);
    if (enc == null) {
      return null;
    }
    return new Bip32Node(
        null, new PublicPoint(enc, x, y), Arrays.copyOfRange(i, 32, 64), depth + 1, p.fingerprint(), index, testnet);
  }

  /**
   * The children at the non-hardened indices first .. first + count - 1, element k equal to
   * {@link #child}(first + k). For a public node their points are computed together
   * ({@link Secp256k1#tweakAddVarBatch}: variable time, as CKDpub always is, on public data);
   * a private node derives them one by one (its keys stay on the constant-time path).
   *
   * @throws IllegalArgumentException if count is negative, an index is or would become hardened,
   *     or the node is at depth 255
   * @throws IllegalStateException if the node was destroyed
   */
  public Bip32Node[] children(int first, int count) {
    checkLive();
    if (count < 0 || first < 0 || (long) first + count > 1L << 31) {
      throw new IllegalArgumentException("children " + first + " .. " + ((long) first + count - 1)
          + " are not " + count + " non-hardened indices (0 .. 2^31 - 1)");
    }
    if (depth == Bip32Path.MAX_DEPTH) {
      throw new IllegalArgumentException("cannot derive below depth " + Bip32Path.MAX_DEPTH + ", the BIP32 maximum");
    }
    Bip32Node[] out = new Bip32Node[count];
    if (priv != null || count < 2) {
      for (int k = 0; k < count; k++) {
        out[k] = child(first + k);
      }
      return out;
    }
    PublicPoint p = pub;
    long[][] ts = new long[count][];
    byte[][] chains = new byte[count][];
    byte[] data = new byte[37];
    System.arraycopy(p.encoded, 0, data, 0, 33);
    for (int k = 0; k < count; k++) {
      putInt(data, 33, first + k);
      byte[] i = hmac().mac(data, 0, 37);
      long[] il = Scalar.fromBytes(i, 0);
      ts[k] = Scalar.isBelowOrder(il) == 1 ? il : null;
      chains[k] = Arrays.copyOfRange(i, 32, 64);
    }
    int valid = 0;
    for (long[] t : ts) {
      valid += t != null ? 1 : 0;
    }
    long[][] batch = new long[valid][];
    long[][] xs = new long[valid][5];
    long[][] ys = new long[valid][5];
    for (int k = 0, v = 0; k < count; k++) {
      if (ts[k] != null) {
        batch[v++] = ts[k];
      }
    }
    byte[][] enc = Secp256k1.tweakAddVarBatch(batch, p.x, p.y, xs, ys);
    int fingerprint = p.fingerprint();
    for (int k = 0, v = 0; k < count; k++) {
      byte[] e = ts[k] != null ? enc[v] : null;
      if (e != null) {
        out[k] = new Bip32Node(null, new PublicPoint(e, xs[v], ys[v]), chains[k], depth + 1, fingerprint, first + k, testnet);
      } else {
        out[k] = child(first + k); // I_L ≥ n or the point at infinity: BIP32's next index, as child does
      }
      v += ts[k] != null ? 1 : 0;
    }
    return out;
  }

  /** Returns the public node with the same position (BIP32 N(·)). */
  public Bip32Node neuter() {
    checkLive();
    return priv == null ? this : new Bip32Node(null, publicPoint(), chainCode.clone(), depth, parentFingerprint, childNumber, testnet);
  }

  /** BIP32 "Serialization format": the 78 bytes before Base58Check. */
  public byte[] serialize() {
    checkLive();
    byte[] out = new byte[78];
    putInt(out, 0, priv != null ? (testnet ? TPRV : XPRV) : (testnet ? TPUB : XPUB));
    out[4] = (byte) depth;
    putInt(out, 5, parentFingerprint);
    putInt(out, 9, childNumber);
    System.arraycopy(chainCode, 0, out, 13, 32);
    if (priv != null) {
      System.arraycopy(priv, 0, out, 46, 32);
    } else {
      System.arraycopy(pub.encoded, 0, out, 45, 33);
    }
    return out;
  }

  /** Base58Check of {@link #serialize()}: the {@code xprv…}/{@code xpub…} string. */
  public String toBase58() {
    byte[] s = serialize();
    try {
      return Base58Check.encode(s);
    } finally {
      Arrays.fill(s, (byte) 0);
    }
  }

  /** Longer strings cannot be a 78-byte extended key; they are refused before decoding. */
  private static final int MAX_BASE58_CHARS = 200;

  /**
   * Parses and validates a serialized extended key, rejecting each of BIP32 test vector 5's
   * defects with a message that names it.
   *
   * @throws IllegalArgumentException naming the defect (never echoing key bytes)
   */
  public static Bip32Node parse(String base58) {
    // 82 bytes (78 + checksum) are at most 112 Base58 characters; Base58 decoding is quadratic,
    // so a hostile megabyte-long string must be refused before it is decoded.
    if (base58.length() > MAX_BASE58_CHARS) {
      throw new IllegalArgumentException("extended key is " + base58.length()
          + " characters long; a BIP32 xprv/xpub has 111");
    }
    byte[] d = Base58Check.decode(base58);
    try {
      if (d.length != 78) {
        throw new IllegalArgumentException("extended key is " + d.length + " bytes, not the 78 of BIP32");
      }
      int version = getInt(d, 0);
      boolean isPrivate;
      boolean testnet;
      switch (version) {
        case XPRV: isPrivate = true; testnet = false; break;
        case XPUB: isPrivate = false; testnet = false; break;
        case TPRV: isPrivate = true; testnet = true; break;
        case TPUB: isPrivate = false; testnet = true; break;
        default:
          throw new IllegalArgumentException(String.format(
              "unknown extended key version %08x (expected xprv %08x, xpub %08x, tprv %08x or tpub %08x)",
              version, XPRV, XPUB, TPRV, TPUB));
      }
      int depth = d[4] & 0xFF;
      int parentFingerprint = getInt(d, 5);
      int childNumber = getInt(d, 9);
      if (depth == 0 && parentFingerprint != 0) {
        throw new IllegalArgumentException("zero depth with non-zero parent fingerprint: a master key has no parent");
      }
      if (depth == 0 && childNumber != 0) {
        throw new IllegalArgumentException("zero depth with non-zero child index: a master key has index 0");
      }
      byte[] chainCode = Arrays.copyOfRange(d, 13, 45);
      int prefix = d[45] & 0xFF;
      if (isPrivate) {
        if (prefix == 2 || prefix == 3) {
          throw new IllegalArgumentException("private key version with public key data (prefix 0" + prefix + ")");
        }
        if (prefix != 0) {
          throw new IllegalArgumentException(String.format("invalid private key prefix %02x (expected 00)", prefix));
        }
        byte[] k = Arrays.copyOfRange(d, 46, 78);
        long[] kl = Scalar.fromBytes(k, 0);
        int zero = Scalar.isZero(kl);
        int below = Scalar.isBelowOrder(kl);
        Arrays.fill(kl, 0);
        if (zero == 1 || below == 0) {
          Arrays.fill(k, (byte) 0);
          throw new IllegalArgumentException(zero == 1
              ? "private key is 0, not in 1..n-1"
              : "private key is not below the group order n, not in 1..n-1");
        }
        return new Bip32Node(k, null, chainCode, depth, parentFingerprint, childNumber, testnet);
      }
      if (prefix == 0) {
        throw new IllegalArgumentException("public key version with private key data (prefix 00)");
      }
      byte[] enc = Arrays.copyOfRange(d, 45, 78);
      long[] x = Fe.create();
      long[] y = Fe.create();
      String defect = Secp256k1.decompress(enc, x, y);
      if (defect != null) {
        throw new IllegalArgumentException(defect);
      }
      return new Bip32Node(null, new PublicPoint(enc, x, y), chainCode, depth, parentFingerprint, childNumber, testnet);
    } finally {
      Arrays.fill(d, (byte) 0);
    }
  }

  /** Returns true for a node holding a private key. */
  public boolean isPrivate() {
    return priv != null;
  }

  /** Returns true for a testnet node (tprv/tpub). */
  public boolean isTestnet() {
    return testnet;
  }

  /** Returns the depth, 0 for a master key. */
  public int depth() {
    return depth;
  }

  /** Returns the parent's fingerprint, 0 for a master key. */
  public int parentFingerprint() {
    return parentFingerprint;
  }

  /** Returns the child number, with the top bit set for hardened children. */
  public int childNumber() {
    return childNumber;
  }

  /** Returns a copy of the chain code. */
  public byte[] chainCode() {
    checkLive();
    return chainCode.clone();
  }

  /** Returns a copy of the 32-byte private key; the caller wipes it. */
  public byte[] privateKeyBytes() {
    checkLive();
    if (priv == null) {
      throw new IllegalStateException("a public node has no private key");
    }
    return priv.clone();
  }

  /** Returns the 33-byte compressed public key, computing it on first use. */
  public byte[] publicKey() {
    return publicPoint().encoded.clone();
  }

  /** Returns the canonical affine x coordinate of the public key as 32 big-endian bytes. */
  public byte[] publicX() {
    byte[] out = new byte[32];
    Fe.toBytes(out, 0, publicPoint().x);
    return out;
  }

  /** Returns the canonical affine y coordinate of the public key as 32 big-endian bytes. */
  public byte[] publicY() {
    byte[] out = new byte[32];
    Fe.toBytes(out, 0, publicPoint().y);
    return out;
  }

  /** BIP32 "Key identifiers": the fingerprint of this node's public key. */
  public int fingerprint() {
    return publicPoint().fingerprint();
  }

  /** Returns true once {@link #destroy()} ran. */
  public boolean isDestroyed() {
    return destroyed;
  }

  /** Wipes the private key, the chain code and the HMAC states. */
  public void destroy() {
    destroyed = true;
    if (priv != null) {
      Arrays.fill(priv, (byte) 0);
    }
    Arrays.fill(chainCode, (byte) 0);
    HmacSha512 h = hmac;
    if (h != null) {
      h.destroy();
    }
  }

  private PublicPoint publicPoint() {
    PublicPoint p = pub;
    if (p == null) {
      checkLive();
      long[] k = Scalar.fromBytes(priv, 0);
      long[] x = Fe.create();
      long[] y = Fe.create();
      byte[] enc = Secp256k1.publicKey(k, x, y);
      Arrays.fill(k, 0);
      p = new PublicPoint(enc, x, y);
      pub = p;
    }
    return p;
  }

  private HmacSha512 hmac() {
    HmacSha512 h = hmac;
    if (h == null) {
      h = new HmacSha512(chainCode);
      hmac = h;
    }
    return h;
  }

  private void checkLive() {
    if (destroyed) {
      throw new IllegalStateException("the key was destroyed");
    }
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }
}
