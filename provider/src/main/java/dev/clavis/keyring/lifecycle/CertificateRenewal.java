package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.CertificateInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyUsageException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a key pair's certificate makes its rotation due, and when it stops the version signing.
 *
 * <p>A key pair is due for rotation from its leaf certificate's {@code notAfter} minus a margin:
 * 30 days, or a third of the certificate's validity when that is shorter (so a 90-day certificate
 * is due 30 days before it ends, a 7-day one about 2.3 days before), as TLS fleets renew. Due is
 * only reported ({@code KeyInfo.nextRotation}): the next version needs a certificate Clavis cannot
 * issue, so nothing rotates by itself, and the version keeps signing until {@code notAfter}. From
 * {@code notAfter} on, the version refuses to sign, naming key, version and instant.
 */
final class CertificateRenewal {

  /** The margin before {@code notAfter} at which a key pair is due, for certificates valid 90 days or more. */
  static final Duration MARGIN = Duration.ofDays(30);

  private CertificateRenewal() {}

  /** @return when a key pair certified by {@code leaf} is due for rotation */
  static Instant dueAt(X509Certificate leaf) {
    return dueAt(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
  }

  /** @return when a key pair whose certificate's facts its version records is due for rotation */
  static Instant dueAt(CertificateInfo c) {
    return dueAt(c.notBefore(), c.notAfter());
  }

  private static Instant dueAt(Instant from, Instant to) {
    Duration third = Duration.between(from, to).dividedBy(3);
    Duration margin = third.isNegative() || third.compareTo(MARGIN) >= 0 ? MARGIN : third;
    return to.minus(margin);
  }

  /** @return when the version whose chain is {@code chain} is due, or null when it has no certificate */
  static Instant dueAt(KeyRef version, List<byte[]> chain) {
    return chain.isEmpty() ? null : dueAt(KeyPairs.parse(version, chain.get(0)));
  }

  /**
   * @return until when (epoch milliseconds) {@code version} may sign by its certificate: just after its
   *     {@code notAfter}, or {@link Long#MAX_VALUE} when it holds no certificate
   * @throws KeyUsageException naming key, version and {@code notAfter} if the certificate expired before {@code now}
   */
  static long requireUnexpired(KeyRef version, KeyState state, List<byte[]> chain, Instant now) {
    if (chain.isEmpty()) {
      return Long.MAX_VALUE;
    }
    Instant notAfter = KeyPairs.parse(version, chain.get(0)).getNotAfter().toInstant();
    if (now.isAfter(notAfter)) { // RFC 5280: valid through notAfter inclusive
      throw new KeyUsageException(version, state, "key " + version + " is " + state + " but its certificate expired at "
          + notAfter + " (notAfter): it may not sign; rotate the key with a new certificate");
    }
    return notAfter.toEpochMilli() + 1;
  }
}
