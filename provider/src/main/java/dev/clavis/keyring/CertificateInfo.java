package dev.clavis.keyring;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * The public facts of a key-pair version's own certificate (the first of its chain), as the
 * keyring records them in the version's metadata when the chain is set: listing keys, their
 * certificate expiry and the rotation it makes due read these, never the version's private key.
 * Immutable; holds no key material.
 */
public final class CertificateInfo {

  /** The longest chain a key pair holds ({@link KeyPairMaterial}). */
  private static final int MAX_CHAIN = 64;

  private final String subject;
  private final String issuer;
  private final BigInteger serialNumber;
  private final Instant notBefore;
  private final Instant notAfter;
  private final int chainLength;

  private CertificateInfo(String subject, String issuer, BigInteger serialNumber, Instant notBefore, Instant notAfter,
      int chainLength) {
    this.subject = subject;
    this.issuer = issuer;
    this.serialNumber = serialNumber;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.chainLength = chainLength;
  }

  /**
   * @param subject the subject's distinguished name (RFC 2253)
   * @param issuer the issuer's distinguished name (RFC 2253)
   * @param serialNumber the certificate's serial number
   * @param notBefore the start of its validity
   * @param notAfter the end of its validity (RFC 5280: valid through it, inclusive)
   * @param chainLength how many certificates the version's chain holds, this one first
   * @return the facts
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if the chain length is not 1 to 64
   */
  public static CertificateInfo of(String subject, String issuer, BigInteger serialNumber, Instant notBefore,
      Instant notAfter, int chainLength) {
    if (chainLength < 1 || chainLength > MAX_CHAIN) {
      throw new IllegalArgumentException("a key pair's chain holds 1 to " + MAX_CHAIN + " certificates, got "
          + chainLength);
    }
    return new CertificateInfo(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(issuer, "issuer"),
        Objects.requireNonNull(serialNumber, "serialNumber"), Objects.requireNonNull(notBefore, "notBefore"),
        Objects.requireNonNull(notAfter, "notAfter"), chainLength);
  }

  /**
   * @param leaf the version's own certificate
   * @param chainLength how many certificates its chain holds
   * @return the facts of {@code leaf}
   * @throws IllegalArgumentException if the chain length is not 1 to 64
   */
  public static CertificateInfo of(X509Certificate leaf, int chainLength) {
    return of(leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
        leaf.getSerialNumber(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), chainLength);
  }

  /** @return the subject's distinguished name (RFC 2253) */
  public String subject() {
    return subject;
  }

  /** @return the issuer's distinguished name (RFC 2253) */
  public String issuer() {
    return issuer;
  }

  /** @return the serial number */
  public BigInteger serialNumber() {
    return serialNumber;
  }

  /** @return the start of the validity */
  public Instant notBefore() {
    return notBefore;
  }

  /** @return the end of the validity, inclusive */
  public Instant notAfter() {
    return notAfter;
  }

  /** @return how many certificates the version's chain holds, its own first */
  public int chainLength() {
    return chainLength;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertificateInfo c && subject.equals(c.subject) && issuer.equals(c.issuer)
        && serialNumber.equals(c.serialNumber) && notBefore.equals(c.notBefore) && notAfter.equals(c.notAfter)
        && chainLength == c.chainLength;
  }

  @Override
  public int hashCode() {
    return Objects.hash(subject, issuer, serialNumber, notBefore, notAfter, chainLength);
  }

  @Override
  public String toString() {
    return "CertificateInfo{subject=" + subject + ", issuer=" + issuer + ", notAfter=" + notAfter + ", chain="
        + chainLength + "}";
  }
}
