package dev.clavis.provider.x509;

import static dev.clavis.provider.x509.SelfSignedCertificate.seq;
import static dev.clavis.provider.x509.SelfSignedCertificate.tlv;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.security.auth.x500.X500Principal;

/**
 * A test CA (EC P-256, SunEC) that issues certificates whose issuer is its subject (RFC 5280
 * §4.1), encoded with {@link SelfSignedCertificate}'s DER writer: its own certificate has cA true,
 * those it issues cA false. For trust-store tests; a test helper, not part of Clavis.
 */
public final class TestCa {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The CA's key pair. */
  public final KeyPair keys;
  /** The CA's name: the subject of its certificate and the issuer of those it issues. */
  public final X500Principal name;
  /** The CA's self-signed certificate. */
  public final X509Certificate cert;

  /**
   * @param dn the CA's distinguished name
   * @throws GeneralSecurityException if SunEC cannot make or sign with a P-256 key
   */
  public TestCa(String dn) throws GeneralSecurityException {
    keys = ec();
    name = new X500Principal(dn);
    cert = build(name, keys.getPublic(), true);
  }

  /**
   * @return a new EC P-256 key pair from SunEC
   * @throws GeneralSecurityException if SunEC is unavailable
   */
  public static KeyPair ec() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /**
   * @param subject the certificate's subject
   * @param key the certified key
   * @return a certificate of {@code key} issued by this CA (cA false)
   * @throws GeneralSecurityException if signing fails
   */
  public X509Certificate issue(String subject, PublicKey key) throws GeneralSecurityException {
    return build(new X500Principal(subject), key, false);
  }

  /** A certificate valid from {@code notBefore} to {@code notAfter}. */
  public X509Certificate issue(String subject, PublicKey key, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    return build(new X500Principal(subject), key, false, notBefore, notAfter);
  }

  private X509Certificate build(X500Principal subject, PublicKey key, boolean isCa) throws GeneralSecurityException {
    Instant now = Instant.now();
    return build(subject, key, isCa, now.minusSeconds(60), now.plusSeconds(86400));
  }

  private X509Certificate build(X500Principal subject, PublicKey key, boolean isCa, Instant notBefore,
      Instant notAfter) throws GeneralSecurityException {
    byte[] algId = SelfSignedCertificate.algorithmIdentifier("SHA256withECDSA");
    byte[] serial = new byte[12];
    RANDOM.nextBytes(serial);
    // basicConstraints (2.5.29.19), critical; cA true for the CA, absent (false) for the others
    byte[] basic = seq(tlv(0x06, new byte[] {0x55, 0x1d, 0x13}), tlv(0x01, new byte[] {(byte) 0xff}),
        tlv(0x04, isCa ? seq(tlv(0x01, new byte[] {(byte) 0xff})) : seq()));
    byte[] tbs = seq(
        tlv(0xa0, tlv(0x02, new byte[] {2})), // [0] EXPLICIT version v3
        tlv(0x02, new BigInteger(1, serial).toByteArray()),
        algId,
        name.getEncoded(),
        seq(utcTime(notBefore), utcTime(notAfter)),
        subject.getEncoded(),
        key.getEncoded(),
        tlv(0xa3, seq(basic)));
    Signature s = Signature.getInstance("SHA256withECDSA", "SunEC");
    s.initSign(keys.getPrivate());
    s.update(tbs);
    byte[] sig = s.sign();
    byte[] bits = new byte[sig.length + 1];
    System.arraycopy(sig, 0, bits, 1, sig.length);
    byte[] der = seq(tbs, algId, tlv(0x03, bits));
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] utcTime(Instant t) {
    return tlv(0x17, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC).format(t)
        .getBytes(StandardCharsets.US_ASCII));
  }
}
