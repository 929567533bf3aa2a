package dev.clavis.keyring;

import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * ML-DSA (FIPS 204) as Clavis holds it: which parameter set an encoded key or certificate key is,
 * and whether this JDK can compute with it. Clavis signs ML-DSA with the JDK's own implementation
 * (provider {@code SUN}, JDK 24 or later, JEP 497); on an older JDK every use is refused with one
 * clear message, while a store holding such keys still opens and its other keys keep working.
 *
 * <p>The parameter set is read from the algorithm OID inside the PKCS#8 or SubjectPublicKeyInfo
 * encoding (id-ml-dsa-44/65/87, 2.16.840.1.101.3.4.3.17/18/19, no parameters: RFC 9881), the
 * same OID a certificate signed with the key names as its signature algorithm.
 */
public final class MlDsa {

  /** The first JDK feature release with ML-DSA. */
  public static final int FIRST_JDK = 24;

  /** DER of id-ml-dsa-44 without its last arc byte: 06 09 60 86 48 01 65 03 04 03 (then 0x11, 0x12 or 0x13). */
  private static final byte[] OID_PREFIX = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03};

  private MlDsa() {}

  /** @return whether this JDK signs and verifies ML-DSA (feature release 24 or later) */
  public static boolean available() {
    return Runtime.version().feature() >= FIRST_JDK;
  }

  /** @return the message of every refusal on an older JDK: "ML-DSA needs JDK 24 or later; this is JDK 17" */
  public static String unavailableMessage() {
    return "ML-DSA needs JDK " + FIRST_JDK + " or later; this is JDK " + Runtime.version().feature();
  }

  /**
   * @param what what was refused, named in the message (such as {@code key api#1})
   * @throws NoSuchAlgorithmException if this JDK has no ML-DSA ({@link #unavailableMessage()})
   */
  public static void requireAvailable(String what) throws NoSuchAlgorithmException {
    if (!available()) {
      throw new NoSuchAlgorithmException(unavailableMessage() + " (" + what + ")");
    }
  }

  /**
   * @param algorithm an ML-DSA key algorithm
   * @return its JCA parameter-set name: {@code ML-DSA-44}, {@code ML-DSA-65} or {@code ML-DSA-87}
   * @throws IllegalArgumentException for another algorithm
   */
  public static String parameterSet(KeyAlgorithm algorithm) {
    switch (algorithm) {
      case ML_DSA_44: return "ML-DSA-44";
      case ML_DSA_65: return "ML-DSA-65";
      case ML_DSA_87: return "ML-DSA-87";
      default: throw new IllegalArgumentException(algorithm + " is no ML-DSA key");
    }
  }

  /**
   * @param algorithm an ML-DSA key algorithm
   * @return the dotted OID of its key and of its signatures (RFC 9881 §2)
   * @throws IllegalArgumentException for another algorithm
   */
  public static String oid(KeyAlgorithm algorithm) {
    return "2.16.840.1.101.3.4.3." + oidArc(algorithm); // 0x11 is 17
  }

  private static int oidArc(KeyAlgorithm algorithm) {
    switch (algorithm) {
      case ML_DSA_44: return 0x11;
      case ML_DSA_65: return 0x12;
      case ML_DSA_87: return 0x13;
      default: throw new IllegalArgumentException(algorithm + " is no ML-DSA key");
    }
  }

  /**
   * The parameter set of an encoded key: the first algorithm OID of a PKCS#8 PrivateKeyInfo or an
   * X.509 SubjectPublicKeyInfo (both put it within their first 30 bytes).
   *
   * @param encoded a PKCS#8 or SubjectPublicKeyInfo encoding; may be null
   * @return the ML-DSA algorithm, or empty if the encoding is no ML-DSA key
   */
  public static Optional<KeyAlgorithm> ofEncoding(byte[] encoded) {
    if (encoded == null) {
      return Optional.empty();
    }
    int end = Math.min(encoded.length - OID_PREFIX.length - 1, 30);
    for (int i = 0; i <= end; i++) {
      if (Arrays.equals(encoded, i, i + OID_PREFIX.length, OID_PREFIX, 0, OID_PREFIX.length)) {
        switch (encoded[i + OID_PREFIX.length]) {
          case 0x11: return Optional.of(KeyAlgorithm.ML_DSA_44);
          case 0x12: return Optional.of(KeyAlgorithm.ML_DSA_65);
          case 0x13: return Optional.of(KeyAlgorithm.ML_DSA_87);
          default: return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
