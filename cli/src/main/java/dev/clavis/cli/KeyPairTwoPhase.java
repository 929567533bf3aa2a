package dev.clavis.cli;

import dev.clavis.keyring.KeyInfo;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyState;
import dev.clavis.keyring.KeyVersionInfo;
import dev.clavis.keyring.Keyring;
import dev.clavis.keyring.UnknownKeyException;
import dev.clavis.provider.x509.CertificationRequest;
import dev.clavis.provider.x509.KeyPairRotation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Two-phase rotation of a key pair from the command line. {@code rotate NAME --begin --csr FILE}
 * stages a PRE_ACTIVE version ({@link KeyPairRotation#begin}) and writes its PKCS#10 request as
 * PEM; {@code rotate NAME --complete --cert FILE} puts the CA's reply on the staged version and
 * makes it the primary in one write ({@link Keyring#completeRotation(String, List)}, which itself
 * refuses a chain for another key). Either fails closed: a failed begin aborts the staging, a
 * refused reply or a failed write changes nothing.
 */
final class KeyPairTwoPhase {

  private KeyPairTwoPhase() {}

  /**
   * Stages the next version of key pair {@code name} and writes its request to {@code csrFile}.
   *
   * @param subject the new subject, or null for the primary's
   * @return the staged version
   * @throws CliException if the subject is no distinguished name, or the request cannot be written (nothing is staged then)
   */
  static KeyVersionInfo begin(Keyring ring, String name, String subject, String reason, String csrFile) {
    if (subject != null) {
      try {
        new X500Principal(subject);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--subject " + subject + " is no distinguished name (write e.g. \"CN=api.example.com,O=Example\")");
      }
    }
    Path target = Path.of(csrFile).toAbsolutePath();
    if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
      throw new CliException("--csr " + csrFile + ": no such directory " + target.getParent());
    }
    KeyVersionInfo staged = KeyPairRotation.begin(ring, name, subject, reason);
    try {
      byte[] der = KeyPairRotation.request(ring, staged.ref());
      // the request is public: the owner-only temporary file is fine, it is moved over the target whole
      OutputFiles.write(csrFile, o -> o.write(CertificationRequest.pem(der).getBytes(StandardCharsets.US_ASCII)));
      return staged;
    } catch (IOException e) {
      throw abort(ring, name, new CliException("--csr " + csrFile + ": " + Failures.describe(e) + "; the rotation of "
          + name + " was aborted, nothing is staged"));
    } catch (RuntimeException e) {
      throw abort(ring, name, e);
    }
  }

  /** Drops the staged version after a failed request; a failure of that is attached to {@code cause}. */
  private static RuntimeException abort(Keyring ring, String name, RuntimeException cause) {
    try {
      ring.abortRotation(name);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
    return cause;
  }

  /**
   * Imports the CA reply in {@code certFile} onto the staged version of {@code name} and activates it.
   *
   * @return the new primary
   * @throws CliException if nothing is staged, the file holds no chain in order (leaf first), the
   *     leaf has expired, or it certifies another key than the staged version's; nothing changed then
   */
  static KeyVersionInfo complete(Keyring ring, String name, String certFile) {
    KeyInfo k = ring.find(name).orElseThrow(() -> new UnknownKeyException(KeyRef.of(name)));
    if (!k.algorithm().isKeyPair()) {
      throw CliException.usage("--cert is the CA reply for a key pair; key " + name + " is " + k.algorithm());
    }
    KeyVersionInfo staged = staged(k);
    if (staged == null) {
      throw new CliException("cannot complete a rotation of key " + name + ": no version is staged (run 'clavis rotate "
          + name + " --begin --csr FILE' first)");
    }
    List<X509Certificate> chain = readChain(certFile);
    X509Certificate leaf = chain.get(0);
    byte[] stagedKey = PairCommands.parse(ring.certificates(staged.ref()).get(0)).getPublicKey().getEncoded();
    if (!Arrays.equals(stagedKey, leaf.getPublicKey().getEncoded())) {
      throw new CliException("--cert " + certFile + ": the certificate " + leaf.getSubjectX500Principal().getName()
          + " certifies another key than the staged " + staged.ref() + " (a reply to another request?); nothing was changed");
    }
    if (leaf.getNotAfter().before(new Date())) {
      throw new CliException("--cert " + certFile + ": the certificate " + leaf.getSubjectX500Principal().getName()
          + " expired at " + leaf.getNotAfter().toInstant() + "; nothing was changed");
    }
    List<byte[]> ders = new ArrayList<>();
    try {
      for (X509Certificate c : chain) {
        ders.add(c.getEncoded());
      }
    } catch (GeneralSecurityException e) {
      throw new CliException("--cert " + certFile + ": cannot encode the chain: " + e.getMessage());
    }
    try {
      return ring.completeRotation(name, ders); // one write: the reply and the switch of primary together
    } catch (IllegalArgumentException e) {
      throw new CliException("--cert " + certFile + ": " + e.getMessage());
    }
  }

  /** @return the staged (PRE_ACTIVE) version, newest first, or null */
  static KeyVersionInfo staged(KeyInfo k) {
    List<KeyVersionInfo> vs = k.versions();
    for (int i = vs.size() - 1; i >= 0; i--) {
      if (vs.get(i).state() == KeyState.PRE_ACTIVE) {
        return vs.get(i);
      }
    }
    return null;
  }

  /**
   * @return the certificates of {@code file} (PEM, DER or PKCS#7), each issued by the next
   * @throws CliException naming the file if it cannot be read, holds no certificate or no chain in order
   */
  static List<X509Certificate> readChain(String file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new CliException("--cert " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CliException("--cert " + file + ": permission denied");
    } catch (IOException e) {
      throw new CliException("--cert " + file + ": " + Failures.describe(e));
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      Collection<? extends Certificate> cs = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(bytes));
      for (Certificate c : cs) {
        chain.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new CliException("--cert " + file + ": no X.509 certificate chain could be read (PEM, DER or PKCS#7 expected)");
    }
    if (chain.isEmpty()) {
      throw new CliException("--cert " + file + ": holds no certificate");
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      X509Certificate issuer = chain.get(i + 1);
      if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(c, issuer)) {
        throw new CliException("--cert " + file + ": certificate " + (i + 2) + " (" + issuer.getSubjectX500Principal()
            .getName() + ") did not issue certificate " + (i + 1) + " (" + c.getSubjectX500Principal().getName()
            + "): give the chain with the key's own certificate first, each followed by its issuer");
      }
    }
    return chain;
  }

  private static boolean signedBy(X509Certificate c, X509Certificate issuer) {
    try {
      c.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
