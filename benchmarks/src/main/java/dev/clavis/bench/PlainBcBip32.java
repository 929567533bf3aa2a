package dev.clavis.bench;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The baseline: BIP32 written the obvious way on Bouncy Castle, as an application would. BigInteger
 * scalars, the JDK's HmacSHA512 initialised per derivation (one cached Mac per thread), the public
 * key from BC's {@link FixedPointCombMultiplier} on its custom secp256k1 curve, computed when first
 * needed and memoized in the node.
 */
final class PlainBcBip32 {

  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  static final ECPoint G = CURVE.getG();
  static final BigInteger N = CURVE.getN();
  private static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA512");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });

  /** A node: private (k != null) or public. */
  static final class Node {
    final BigInteger k;
    final byte[] chainCode;
    private ECPoint pub;

    Node(BigInteger k, ECPoint pub, byte[] chainCode) {
      this.k = k;
      this.pub = pub;
      this.chainCode = chainCode;
    }

    ECPoint pub() {
      if (pub == null) {
        pub = COMB.multiply(G, k).normalize();
      }
      return pub;
    }

    byte[] publicKey() {
      return pub().getEncoded(true);
    }
  }

  private PlainBcBip32() {}

  static Node master(byte[] seed) {
    byte[] i = hmac("Bitcoin seed".getBytes(java.nio.charset.StandardCharsets.US_ASCII), seed);
    return new Node(new BigInteger(1, java.util.Arrays.copyOf(i, 32)), null, java.util.Arrays.copyOfRange(i, 32, 64));
  }

  static Node child(Node parent, int index) {
    byte[] data = new byte[37];
    if (index < 0) {
      byte[] k = bytes32(parent.k);
      System.arraycopy(k, 0, data, 1, 32);
    } else {
      System.arraycopy(parent.publicKey(), 0, data, 0, 33);
    }
    data[33] = (byte) (index >>> 24);
    data[34] = (byte) (index >>> 16);
    data[35] = (byte) (index >>> 8);
    data[36] = (byte) index;
    byte[] i = hmac(parent.chainCode, data);
    BigInteger il = new BigInteger(1, java.util.Arrays.copyOf(i, 32));
    byte[] cc = java.util.Arrays.copyOfRange(i, 32, 64);
    if (parent.k != null) {
      return new Node(il.add(parent.k).mod(N), null, cc);
    }
    return new Node(null, COMB.multiply(G, il).add(parent.pub()).normalize(), cc);
  }

  static Node publicNode(Node n) {
    return new Node(null, n.pub(), n.chainCode);
  }

  static byte[] publicKeyOf(BigInteger k) {
    return COMB.multiply(G, k).normalize().getEncoded(true);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = MAC.get();
      mac.init(new SecretKeySpec(key, "HmacSHA512"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes32(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int len = Math.min(32, raw.length);
    System.arraycopy(raw, raw.length - len, out, 32 - len, len);
    return out;
  }
}
