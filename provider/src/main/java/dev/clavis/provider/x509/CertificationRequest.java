package dev.clavis.provider.x509;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/**
 * Builds a PKCS#10 certification request (RFC 2986 §4) without any library: a
 * CertificationRequestInfo (version 0, the subject, the key's SubjectPublicKeyInfo, no attributes)
 * signed by the key being certified, as proof that its holder has the private key. The signature
 * comes from a {@link SelfSignedCertificate.TbsSigner}, so a managed version signs it inside the
 * keyring ({@code Keyring.signCertificationRequest}).
 */
public final class CertificationRequest {

  private CertificationRequest() {}

  /**
   * @param subject the requested subject
   * @param publicKey the key to be certified
   * @param signer signs the CertificationRequestInfo with the matching private key
   * @return the DER CertificationRequest
   * @throws GeneralSecurityException if signing fails or the key type is not EC (P-256, P-384), RSA or Ed25519
   */
  public static byte[] create(X500Principal subject, PublicKey publicKey, SelfSignedCertificate.TbsSigner signer)
      throws GeneralSecurityException {
    String sigAlg = SelfSignedCertificate.signatureAlgorithm(publicKey);
    byte[] info = requestInfo(subject, publicKey);
    byte[] sig = signer.sign(sigAlg, info);
    byte[] bitString = new byte[sig.length + 1];
    System.arraycopy(sig, 0, bitString, 1, sig.length);
    return SelfSignedCertificate.seq(info, SelfSignedCertificate.algorithmIdentifier(sigAlg),
        SelfSignedCertificate.tlv(0x03, bitString));
  }

  /**
   * @param subject the requested subject
   * @param publicKey the key to be certified
   * @return the DER CertificationRequestInfo (what is signed)
   */
  public static byte[] requestInfo(X500Principal subject, PublicKey publicKey) {
    return SelfSignedCertificate.seq(
        SelfSignedCertificate.tlv(0x02, new byte[] {0}), // version v1 (0)
        subject.getEncoded(),
        publicKey.getEncoded(),
        SelfSignedCertificate.tlv(0xa0, new byte[0])); // attributes [0] IMPLICIT SET OF, empty
  }

  /**
   * @param der a DER CertificationRequest
   * @return it as PEM ({@code -----BEGIN CERTIFICATE REQUEST-----}, RFC 7468 §7)
   */
  public static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }
}
