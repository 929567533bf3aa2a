package dev.clavis.keyring.pkcs11;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Whether a token key pair's certificate has expired, for its {@code CKA_SIGN}: Clavis refuses to
 * sign after {@code notAfter} (RFC 5280: valid through {@code notAfter} inclusive), and the token
 * must refuse too, or another PKCS#11 client holding the PIN signs with it. The {@code notAfter}
 * is cached in the material; when the cached one has passed, the chain is read once more before
 * the version is switched off (another process may have renewed it), and that confirmed expiry is
 * then kept until this process replaces the chain. A chain that cannot be read or parsed counts as
 * expired (fail closed), uncached, so the next write reads it again.
 */
final class TokenCertificateExpiry {

  /** {@link TokenKeyMaterial#notAfter} before it was read. */
  static final long UNREAD = Long.MIN_VALUE;

  private TokenCertificateExpiry() {}

  /**
   * @param m a key pair's material
   * @param nowMillis the instant of the check
   * @return whether its leaf certificate's {@code notAfter} is before {@code nowMillis}; false without a certificate
   */
  static boolean expired(TokenKeyMaterial m, long nowMillis) {
    long cached = m.notAfter;
    if (cached != UNREAD && (nowMillis <= cached || m.expiryConfirmed)) {
      return nowMillis > cached;
    }
    long fresh;
    try {
      fresh = notAfter(m.certificates());
    } catch (RuntimeException | CertificateException e) {
      return true;
    }
    m.expiryConfirmed = nowMillis > fresh; // read once more only if this process replaces the chain
    m.notAfter = fresh;
    return nowMillis > fresh;
  }

  /** Makes the next check read the chain again: this process replaced it. */
  static void forget(TokenKeyMaterial m) {
    if (m != null) {
      m.notAfter = UNREAD;
      m.expiryConfirmed = false;
    }
  }

  private static long notAfter(List<byte[]> chain) throws CertificateException {
    if (chain.isEmpty()) {
      return Long.MAX_VALUE; // no certificate, no expiry (as CertificateRenewal.requireUnexpired)
    }
    X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(chain.get(0)));
    return leaf.getNotAfter().getTime();
  }
}
