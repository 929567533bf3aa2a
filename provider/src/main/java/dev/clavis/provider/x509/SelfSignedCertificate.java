package dev.clavis.provider.x509;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.MlDsa;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import javax.security.auth.x500.X500Principal;

/**
 * Builds a minimal self-signed X.509 v3 certificate (RFC 5280 §4.1) without any library: version,
 * random positive serial, the signature algorithm, issuer = subject, validity, the key's
 * SubjectPublicKeyInfo, and a basicConstraints extension (cA false). The signature is made through
 * JCA, so a managed private-key handle signs its own certificate inside Clavis's lifecycle.
 */
public final class SelfSignedCertificate {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SelfSignedCertificate() {}

  /**
   * @param subject the subject and issuer, as {@code CN=...,O=...}
   * @param publicKey the certified key (its {@code getEncoded()} is the SubjectPublicKeyInfo)
   * @param signer the matching private key: a plain key or a managed handle
   * @param notBefore the start of validity
   * @param validity how long the certificate is valid
   * @return the certificate
   * @throws GeneralSecurityException if signing fails or the key type is not EC (P-256, P-384), RSA, Ed25519 or ML-DSA (JDK 24+)
   * @throws IllegalArgumentException if the subject is not a distinguished name
   */
  public static X509Certificate create(String subject, PublicKey publicKey, PrivateKey signer, Instant notBefore,
      Duration validity) throws GeneralSecurityException {
    return create(subject, publicKey, (sigAlg, tbs) -> {
      Signature s = Signature.getInstance(sigAlg);
      s.initSign(signer);
      s.update(tbs);
      return s.sign();
    }, notBefore, validity);
  }

  /** Signs a certificate's to-be-signed bytes with the key being certified. */
  @FunctionalInterface
  public interface TbsSigner {
    /**
     * @param jcaAlgorithm the signature algorithm ({@link #signatureAlgorithm})
     * @param tbs the DER TBSCertificate
     * @return the signature as the JCA name defines it (DER for ECDSA)
     * @throws GeneralSecurityException if signing fails
     */
    byte[] sign(String jcaAlgorithm, byte[] tbs) throws GeneralSecurityException;
  }

  /**
   * As {@link #create(String, PublicKey, PrivateKey, Instant, Duration)}, signed by a function
   * rather than a JCA key (a key pair just generated on a token, before it has a keyring handle).
   *
   * @param subject the subject and issuer, as {@code CN=...,O=...}
   * @param publicKey the certified key
   * @param signer signs with the matching private key
   * @param notBefore the start of validity
   * @param validity how long the certificate is valid
   * @return the certificate
   * @throws GeneralSecurityException if signing fails or the key type is not EC (P-256, P-384), RSA, Ed25519 or ML-DSA (JDK 24+)
   * @throws IllegalArgumentException if the subject is not a distinguished name
   */
  public static X509Certificate create(String subject, PublicKey publicKey, TbsSigner signer, Instant notBefore,
      Duration validity) throws GeneralSecurityException {
    String sigAlg = signatureAlgorithm(publicKey);
    byte[] algId = algorithmIdentifier(sigAlg);
    byte[] name = new X500Principal(subject).getEncoded();
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    serial[0] &= 0x7f;
    serial[0] |= 0x01; // positive and 16 bytes long (RFC 5280 §4.1.2.2: at most 20 octets)
    // extensions: basicConstraints (2.5.29.19), critical, cA false (an empty SEQUENCE)
    byte[] basic = seq(oid("2.5.29.19"), tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, seq()));
    byte[] tbs = seq(
        tlv(0xa0, tlv(0x02, new byte[] {2})), // [0] EXPLICIT version v3
        tlv(0x02, new BigInteger(1, serial).toByteArray()),
        algId,
        name,
        seq(time(notBefore), time(notBefore.plus(validity))),
        name,
        publicKey.getEncoded(),
        tlv(0xa3, seq(basic)));
    byte[] sig = signer.sign(sigAlg, tbs);
    byte[] bitString = new byte[sig.length + 1];
    System.arraycopy(sig, 0, bitString, 1, sig.length);
    byte[] der = seq(tbs, algId, tlv(0x03, bitString));
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  /**
   * @param publicKey the key to be certified
   * @return the signature algorithm a certificate of that key is signed with
   * @throws GeneralSecurityException for another key type
   */
  public static String signatureAlgorithm(PublicKey publicKey) throws GeneralSecurityException {
    switch (publicKey.getAlgorithm()) {
      case "EC":
        int bits = ((java.security.interfaces.ECPublicKey) publicKey).getParams().getOrder().bitLength();
        return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
      case "RSA":
        return "SHA256withRSA";
      case "EdDSA":
      case "Ed25519":
        return "Ed25519";
      case "ML-DSA":
      case "ML-DSA-44":
      case "ML-DSA-65":
      case "ML-DSA-87": {
        // the parameter set from the SPKI's OID: the certificate is signed with the key's own set (RFC 9881 §2)
        KeyAlgorithm a = MlDsa.ofEncoding(publicKey.getEncoded()).orElseThrow(() -> new GeneralSecurityException(
            "the " + publicKey.getAlgorithm() + " public key does not encode id-ml-dsa-44, -65 or -87"));
        MlDsa.requireAvailable("a certificate signed with " + a);
        return MlDsa.parameterSet(a);
      }
      default: {
        // before JDK 24 an ML-DSA key parses as a generic key named by its OID: say why, not "unknown"
        java.util.Optional<KeyAlgorithm> pq = MlDsa.ofEncoding(publicKey.getEncoded());
        if (pq.isPresent()) {
          MlDsa.requireAvailable("a certificate or request signed with " + pq.get());
        }
        throw new GeneralSecurityException("no certificate signature for " + publicKey.getAlgorithm() + " keys");
      }
    }
  }

  static byte[] algorithmIdentifier(String sigAlg) {
    switch (sigAlg) {
      case "SHA256withECDSA": return seq(oid("1.2.840.10045.4.3.2"));
      case "SHA384withECDSA": return seq(oid("1.2.840.10045.4.3.3"));
      case "SHA256withRSA": return seq(oid("1.2.840.113549.1.1.11"), new byte[] {0x05, 0x00});
      // RFC 9881 §2: id-ml-dsa-44/65/87, parameters absent
      case "ML-DSA-44": return seq(oid(MlDsa.oid(KeyAlgorithm.ML_DSA_44)));
      case "ML-DSA-65": return seq(oid(MlDsa.oid(KeyAlgorithm.ML_DSA_65)));
      case "ML-DSA-87": return seq(oid(MlDsa.oid(KeyAlgorithm.ML_DSA_87)));
      default: return seq(oid("1.3.101.112")); // RFC 8410 §3: Ed25519, parameters absent
    }
  }

  /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
  private static byte[] time(Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    if (z.getYear() < 2050) {
      return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(0x18, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").format(z).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(String dotted) {
    String[] p = dotted.split("\\.");
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    base128(o, Long.parseLong(p[0]) * 40 + Long.parseLong(p[1]));
    for (int i = 2; i < p.length; i++) {
      base128(o, Long.parseLong(p[i]));
    }
    return tlv(0x06, o.toByteArray());
  }

  private static void base128(ByteArrayOutputStream o, long v) {
    int groups = 1;
    for (long x = v >>> 7; x != 0; x >>>= 7) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int b = (int) (v >>> (7 * g)) & 0x7f;
      o.write(g == 0 ? b : b | 0x80);
    }
  }

  static byte[] seq(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return tlv(0x30, o.toByteArray());
  }

  /** X.690 §8.1: tag, definite length (short or long form), contents. */
  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(content.length + 6);
    o.write(tag);
    int n = content.length;
    if (n < 0x80) {
      o.write(n);
    } else if (n < 0x100) {
      o.write(0x81);
      o.write(n);
    } else if (n < 0x10000) {
      o.write(0x82);
      o.write(n >>> 8);
      o.write(n);
    } else {
      o.write(0x83);
      o.write(n >>> 16);
      o.write(n >>> 8);
      o.write(n);
    }
    o.writeBytes(content);
    return o.toByteArray();
  }
}
