package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.MlDsa;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The JDK providers and algorithm names that compute with a key pair Clavis holds in memory (never
 * Clavis itself, which would loop): one table for the file store's signing, the import proof and
 * the managed verification.
 */
public final class JdkKeyPairs {

  /** The order of NIST P-256's base point (FIPS 186-4 D.1.2.3). */
  private static final BigInteger P256_N =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  /** The order of NIST P-384's base point (FIPS 186-4 D.1.2.4). */
  private static final BigInteger P384_N = new BigInteger(
      "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973", 16);

  private JdkKeyPairs() {}

  /**
   * What a private key is, read from the key itself: the curve from the EC group's order, the RSA
   * modulus size, the EdDSA curve, the ML-DSA parameter set from the PKCS#8 OID.
   *
   * @param key a private key (its encoding, for ML-DSA, is read and wiped)
   * @return the Clavis algorithm
   * @throws IllegalArgumentException naming the problem for another curve, RSA outside 2048..4096
   *     bits, Ed448, ML-DSA before JDK 24, or another type
   */
  public static KeyAlgorithm algorithmOf(PrivateKey key) {
    if (key instanceof ECPrivateKey) {
      BigInteger n = ((ECPrivateKey) key).getParams().getOrder();
      if (n.equals(P256_N)) {
        return KeyAlgorithm.EC_P256;
      }
      if (n.equals(P384_N)) {
        return KeyAlgorithm.EC_P384;
      }
      throw new IllegalArgumentException("unsupported EC curve (order of " + n.bitLength() + " bits): Clavis holds"
          + " P-256 (secp256r1) and P-384 (secp384r1) keys");
    }
    if (key instanceof RSAPrivateKey) {
      int bits = ((RSAPrivateKey) key).getModulus().bitLength();
      if (bits < 2048 || bits > 4096) {
        throw new IllegalArgumentException("RSA keys of " + bits + " bits are refused: Clavis holds RSA keys of 2048"
            + " to 4096 bits");
      }
      return KeyAlgorithm.RSA;
    }
    if (key instanceof EdECPrivateKey) {
      String curve = ((EdECPrivateKey) key).getParams().getName();
      if ("Ed25519".equalsIgnoreCase(curve)) {
        return KeyAlgorithm.ED25519;
      }
      throw new IllegalArgumentException("unsupported EdDSA curve " + curve + ": Clavis holds Ed25519 keys");
    }
    Optional<KeyAlgorithm> mlDsa = mlDsaOf(key);
    if (mlDsa.isPresent()) {
      if (!MlDsa.available()) {
        throw new IllegalArgumentException(MlDsa.unavailableMessage() + ": cannot hold the " + mlDsa.get() + " key");
      }
      return mlDsa.get();
    }
    throw new IllegalArgumentException("unsupported private key " + (key == null ? "null" : key.getAlgorithm() + " "
        + key.getClass().getName()) + ": Clavis holds EC (P-256, P-384), RSA (2048-4096), Ed25519 and (JDK 24+)"
        + " ML-DSA keys");
  }

  /** @return the parameter set of an ML-DSA key (the JDK's or another provider's), by its PKCS#8 OID */
  private static Optional<KeyAlgorithm> mlDsaOf(PrivateKey key) {
    if (key == null || key.getAlgorithm() == null || !key.getAlgorithm().toUpperCase(Locale.ROOT)
        .startsWith("ML-DSA")) {
      return Optional.empty();
    }
    byte[] der = key.getEncoded();
    try {
      return MlDsa.ofEncoding(der);
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  /**
   * @param a a key-pair algorithm
   * @return SunRsaSign for RSA, SunEC for EC and Ed25519, SUN for ML-DSA (JDK 24+)
   * @throws NoSuchProviderException if the JDK lacks it
   * @throws NoSuchAlgorithmException for ML-DSA before JDK 24 ({@link MlDsa#unavailableMessage()})
   */
  public static Provider provider(KeyAlgorithm a) throws NoSuchProviderException, NoSuchAlgorithmException {
    if (a.isMlDsa()) {
      MlDsa.requireAvailable(a.toString());
    }
    String name = a == KeyAlgorithm.RSA ? "SunRsaSign" : a.isMlDsa() ? "SUN" : "SunEC";
    Provider p = Security.getProvider(name);
    if (p == null) {
      throw new NoSuchProviderException("the JDK provider " + name + " is not installed: Clavis computes with "
          + a + " key pairs through it");
    }
    return p;
  }

  /**
   * @param a a key-pair algorithm
   * @return the KeyFactory name for its PKCS#8 and X.509 encodings
   */
  public static String keyFactory(KeyAlgorithm a) {
    switch (a) {
      case RSA: return "RSA";
      case ED25519: return "Ed25519";
      case ML_DSA_44:
      case ML_DSA_65:
      case ML_DSA_87: return "ML-DSA";
      default: return "EC";
    }
  }

  /**
   * @param a a key-pair algorithm
   * @return a signature its keys make (to prove that a certificate holds a private key's public key)
   */
  public static String proofSignature(KeyAlgorithm a) {
    switch (a) {
      case RSA: return "SHA256withRSA";
      case ED25519: return "Ed25519";
      case ML_DSA_44:
      case ML_DSA_65:
      case ML_DSA_87: return "ML-DSA";
      default: return "SHA256withECDSA";
    }
  }

  /**
   * A new key pair from the JDK's own providers.
   *
   * @param a a key-pair algorithm
   * @param rsaBits the RSA modulus size (2048 to 4096); ignored for the others
   * @return the pair
   * @throws GeneralSecurityException if the JDK cannot make it (ML-DSA before JDK 24, a provider
   *     missing) or {@code a} is no algorithm Clavis generates pairs of
   */
  public static KeyPair generate(KeyAlgorithm a, int rsaBits) throws GeneralSecurityException {
    switch (a) {
      case EC_P256:
      case EC_P384: {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider(a));
        g.initialize(new ECGenParameterSpec(a == KeyAlgorithm.EC_P256 ? "secp256r1" : "secp384r1"));
        return g.generateKeyPair();
      }
      case RSA: {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", provider(a));
        g.initialize(rsaBits);
        return g.generateKeyPair();
      }
      case ED25519:
        return KeyPairGenerator.getInstance("Ed25519", provider(a)).generateKeyPair();
      case ML_DSA_44:
      case ML_DSA_65:
      case ML_DSA_87:
        return KeyPairGenerator.getInstance(MlDsa.parameterSet(a), provider(a)).generateKeyPair();
      default:
        throw new GeneralSecurityException("Clavis generates no " + a + " key pairs");
    }
  }
}
