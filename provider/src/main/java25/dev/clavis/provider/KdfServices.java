package dev.clavis.provider;

import dev.clavis.provider.jca.Argon2KdfSpi;
import dev.clavis.provider.jca.HkdfKdfSpi;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.KDFParameters;

/**
 * The {@code javax.crypto.KDF} services of JDK 25 (JEP 510): {@code HKDF-SHA256} and
 * {@code HKDF-SHA512} accepting managed keys as input keying material, and {@code Argon2id}
 * taking an {@link dev.clavis.spec.Argon2KeySpec}. This is the {@code META-INF/versions/25} copy
 * of the class; the base one adds nothing.
 */
final class KdfServices {

  private KdfServices() {}

  /** @param t the provider's service table */
  static void addTo(ServiceTable t) {
    t.add("KDF", "HKDF-SHA256", p -> hkdf(p, true));
    t.add("KDF", "HKDF-SHA512", p -> hkdf(p, false));
    t.add("KDF", "Argon2id", p -> {
      try {
        return new Argon2KdfSpi(parameters(p));
      } catch (InvalidAlgorithmParameterException e) {
        throw (NoSuchAlgorithmException) new NoSuchAlgorithmException(e.getMessage()).initCause(e);
      }
    });
  }

  private static Object hkdf(Object p, boolean sha256) throws NoSuchAlgorithmException {
    try {
      return sha256 ? new HkdfKdfSpi.Sha256(parameters(p)) : new HkdfKdfSpi.Sha512(parameters(p));
    } catch (InvalidAlgorithmParameterException e) {
      // KDF.getInstance turns this cause back into the InvalidAlgorithmParameterException
      throw (NoSuchAlgorithmException) new NoSuchAlgorithmException(e.getMessage()).initCause(e);
    }
  }

  private static KDFParameters parameters(Object p) throws InvalidAlgorithmParameterException {
    if (p != null && !(p instanceof KDFParameters)) {
      throw new InvalidAlgorithmParameterException("a KDF takes KDFParameters, got " + p.getClass().getName());
    }
    return (KDFParameters) p;
  }
}
