package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKO;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.Session;
import dev.clavis.pkcs11.Template;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * The token object of one trusted-certificate version ({@link KeyAlgorithm#CERTIFICATE}): a
 * standard X.509 certificate object, so other PKCS#11 clients with the PIN ({@code pkcs11-tool
 * --login --list-objects --type cert}) see it: {@code CKO_CERTIFICATE}, {@code CKC_X_509}, {@code CKA_VALUE} =
 * the DER, {@code CKA_SUBJECT}/{@code CKA_ISSUER}/{@code CKA_SERIAL_NUMBER} from it,
 * {@code CKA_TOKEN} true, {@code CKA_LABEL} {@code name#N} and {@code CKA_ID}
 * {@code clavis:name#N;CERTIFICATE} like every version object, so {@link TokenObjectIndex} finds it
 * again by its {@code CKA_ID}.
 *
 * <p>{@code CKA_PRIVATE} is true though a certificate is public: a trust anchor's integrity is what
 * matters, and a public object can be destroyed or created in a public session, without the PIN
 * (PKCS#11 v2.40 §4.1.2, "R/W Public Session"). Only private objects are read back, so a public
 * certificate object someone wrote with a Clavis {@code CKA_ID} is never trusted.
 * {@code CKA_MODIFIABLE} is false: a new certificate is a new version, never a rewrite.
 */
final class TokenTrustedCertificates {

  /** {@code CKC_X_509} (PKCS#11 v2.40 §4.6.1). */
  static final long CKC_X_509 = 0L;

  private TokenTrustedCertificates() {}

  /**
   * @return the template that creates the certificate object of {@code ref}
   * @throws IllegalArgumentException if {@code der} is no X.509 certificate
   */
  static Template template(KeyRef ref, byte[] der) {
    X509Certificate c = parse(ref, der);
    return Template.builder().ulong(CKA.CLASS, CKO.CERTIFICATE).ulong(CKA.CERTIFICATE_TYPE, CKC_X_509)
        .bool(CKA.TOKEN, true).bool(CKA.PRIVATE, true).bool(CKA.MODIFIABLE, false)
        .string(CKA.LABEL, ref.toString()).bytes(CKA.ID, TokenObjectIndex.id(ref, KeyAlgorithm.CERTIFICATE))
        .bytes(CKA.SUBJECT, c.getSubjectX500Principal().getEncoded())
        .bytes(CKA.ISSUER, c.getIssuerX500Principal().getEncoded())
        .bytes(CKA.SERIAL_NUMBER, derInteger(c.getSerialNumber().toByteArray()))
        .bytes(CKA.VALUE, der.clone()).build();
  }

  /**
   * @return the token's private certificate objects (Clavis's among them are told by their
   *     {@code CKA_ID}); a public one is never taken, since anyone may create it without the PIN
   */
  static long[] objects(Session s) throws Pkcs11Exception {
    return s.findObjects(Template.builder().ulong(CKA.CLASS, CKO.CERTIFICATE).bool(CKA.TOKEN, true)
        .bool(CKA.PRIVATE, true).build());
  }

  /**
   * @return the DER of a certificate object
   * @throws IllegalStateException if the object has no value
   */
  static byte[] value(Session s, long handle, KeyRef ref) throws Pkcs11Exception {
    byte[] v = s.getAttributes(handle, CKA.VALUE).bytes(CKA.VALUE).orElse(new byte[0]);
    if (v.length == 0) {
      throw new IllegalStateException("the certificate object of " + ref + " on the token has no value");
    }
    return v;
  }

  private static X509Certificate parse(KeyRef ref, byte[] der) {
    try {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      if (!Arrays.equals(c.getEncoded(), der)) {
        throw new IllegalArgumentException("the trusted certificate " + ref + " is not one DER certificate alone");
      }
      return c;
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("the trusted certificate " + ref + " is no X.509 certificate: "
          + e.getMessage(), e);
    }
  }

  /** A DER INTEGER of two's-complement bytes (PKCS#11 §4.6.3: {@code CKA_SERIAL_NUMBER} is DER). */
  static byte[] derInteger(byte[] twos) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(0x02);
    int n = twos.length;
    if (n < 0x80) {
      o.write(n);
    } else {
      int bytes = n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      o.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        o.write(n >>> (8 * i));
      }
    }
    o.writeBytes(twos);
    return o.toByteArray();
  }
}
