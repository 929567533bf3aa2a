package dev.clavis.keyring;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Dual control of a store: its dangerous operations need the approvals of {@link #threshold()}
 * of the {@link #custodians()} (Ed25519 verification keys). Immutable and validated: 2 ≤ M ≤ N ≤
 * {@value #MAX_CUSTODIANS}, no custodian twice.
 */
public final class CustodianQuorum {

  /** At most this many custodians (one byte in the audit details is plenty, and so is this). */
  public static final int MAX_CUSTODIANS = 64;

  private static final String PUBLIC_PREFIX = "clavis-custodian-public 1 ";

  private final int threshold;
  private final List<byte[]> encoded;

  private CustodianQuorum(int threshold, List<byte[]> encoded) {
    this.threshold = threshold;
    this.encoded = encoded;
  }

  /**
   * @param threshold M, how many custodians must approve
   * @param custodians the N custodians' Ed25519 public keys
   * @return the quorum
   * @throws IllegalArgumentException for M &lt; 2, M &gt; N, too many custodians, a key that is no
   *     Ed25519 public key, or one custodian given twice
   */
  public static CustodianQuorum of(int threshold, List<PublicKey> custodians) {
    Objects.requireNonNull(custodians, "custodians");
    List<byte[]> enc = new ArrayList<>();
    for (PublicKey k : custodians) {
      enc.add(Objects.requireNonNull(k, "custodian").getEncoded());
    }
    return ofEncoded(threshold, enc);
  }

  /**
   * @param threshold M
   * @param encoded the custodians' keys as X.509 SubjectPublicKeyInfo
   * @return the quorum
   * @throws IllegalArgumentException as {@link #of}
   */
  public static CustodianQuorum ofEncoded(int threshold, List<byte[]> encoded) {
    int n = encoded.size();
    if (threshold < 2) {
      throw new IllegalArgumentException("a quorum needs at least 2 custodians to approve (M >= 2), got M = "
          + threshold + ": one person alone is no dual control");
    }
    if (threshold > n) {
      throw new IllegalArgumentException("a quorum of M = " + threshold + " needs at least " + threshold
          + " custodians, got N = " + n + " (M must not exceed N)");
    }
    if (n > MAX_CUSTODIANS) {
      throw new IllegalArgumentException("at most " + MAX_CUSTODIANS + " custodians, got " + n);
    }
    List<byte[]> copy = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (byte[] e : encoded) {
      decode(e);
      String id = id(e);
      if (!ids.add(id)) {
        throw new IllegalArgumentException("custodian " + id + " is given twice: each custodian counts once");
      }
      copy.add(e.clone());
    }
    return new CustodianQuorum(threshold, List.copyOf(copy));
  }

  /** @return M */
  public int threshold() {
    return threshold;
  }

  /** @return the custodians' public keys, in the order registered */
  public List<PublicKey> custodians() {
    List<PublicKey> out = new ArrayList<>();
    for (byte[] e : encoded) {
      out.add(decode(e));
    }
    return out;
  }

  /** @return the custodians' X.509 encodings (copies), in the order registered */
  public List<byte[]> encodedCustodians() {
    List<byte[]> out = new ArrayList<>();
    encoded.forEach(e -> out.add(e.clone()));
    return out;
  }

  /** @return the custodians' ids ({@link #id(byte[])}), in the order registered */
  public List<String> custodianIds() {
    List<String> out = new ArrayList<>();
    encoded.forEach(e -> out.add(id(e)));
    return out;
  }

  /**
   * @param id a custodian id
   * @return the custodian's public key, or null if {@code id} is not one of this quorum's
   */
  public PublicKey custodian(String id) {
    for (byte[] e : encoded) {
      if (id(e).equals(id)) {
        return decode(e);
      }
    }
    return null;
  }

  /**
   * A custodian's short, stable name: the first 16 hex digits of SHA-256 of its X.509 encoding.
   *
   * @param encodedPublicKey the X.509 SubjectPublicKeyInfo
   * @return the id
   */
  public static String id(byte[] encodedPublicKey) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(encodedPublicKey);
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * @param text a public key file's content ({@code clavis-custodian-public 1 BASE64})
   * @return the Ed25519 public key
   * @throws IllegalArgumentException if it is not such a file
   */
  public static PublicKey parsePublicKey(String text) {
    String t = text.strip();
    if (!t.startsWith(PUBLIC_PREFIX)) {
      throw new IllegalArgumentException("not a Clavis custodian public key (it must start with '"
          + PUBLIC_PREFIX.strip() + "')");
    }
    try {
      return decode(Base64.getDecoder().decode(t.substring(PUBLIC_PREFIX.length()).strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Clavis custodian public key: " + e.getMessage(), e);
    }
  }

  /**
   * @param key an Ed25519 public key
   * @return the public key file's content, one line ending in a newline
   */
  public static String formatPublicKey(PublicKey key) {
    return PUBLIC_PREFIX + Base64.getEncoder().encodeToString(key.getEncoded()) + "\n";
  }

  static PublicKey decode(byte[] encoded) {
    try {
      PublicKey k = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
      return k;
    } catch (InvalidKeySpecException | RuntimeException e) {
      throw new IllegalArgumentException("a custodian key must be an Ed25519 public key (X.509)", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Ed25519 is missing from this JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CustodianQuorum q) || q.threshold != threshold || q.encoded.size() != encoded.size()) {
      return false;
    }
    for (int i = 0; i < encoded.size(); i++) {
      if (!java.util.Arrays.equals(encoded.get(i), q.encoded.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return threshold * 31 + custodianIds().hashCode();
  }

  /** @return M of N and the custodians' ids (public data) */
  @Override
  public String toString() {
    return threshold + " of " + encoded.size() + " " + custodianIds();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
