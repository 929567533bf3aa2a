package dev.clavis.provider.jca;

import dev.clavis.engine.hd.Secp256k1Verifier;
import dev.clavis.keyring.KeyRef;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.SignatureException;
import java.security.spec.AlgorithmParameterSpec;

/**
 * SHA256withECDSA verification under a derived secp256k1 key's public key, the counterpart of the
 * backend's secp256k1 signing: the JDK has no secp256k1 since JDK 16, so the check is Clavis's
 * {@link Secp256k1Verifier} (strict DER, 1 ≤ r, s ≤ n-1; a high S verifies, as SEC 1 allows).
 * Everything here is public (key, message, signature). Not thread-safe.
 */
final class Secp256k1Verification implements VersionVerifier {

  private final Secp256k1Verifier verifier;
  private final MessageDigest digest;

  private Secp256k1Verification(Secp256k1Verifier verifier, MessageDigest digest) {
    this.verifier = verifier;
    this.digest = digest;
  }

  /**
   * Only {@code SHA256withECDSA} reaches this: the other managed signatures do not take
   * secp256k1 keys ({@link ManagedSignatureSpi}'s key types).
   *
   * @param version the version, for messages
   * @param compressedPublicKey the version's 33-byte compressed public key
   * @return a fresh verification
   * @throws InvalidKeyException if the public key is no secp256k1 point
   * @throws ProviderException if the JDK has no SHA-256 (every JDK must)
   */
  static Secp256k1Verification of(KeyRef version, byte[] compressedPublicKey) throws InvalidKeyException {
    Secp256k1Verifier verifier;
    try {
      verifier = Secp256k1Verifier.ofCompressed(compressedPublicKey);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException("key " + version + " has no valid secp256k1 public key: " + e.getMessage(), e);
    }
    try {
      return new Secp256k1Verification(verifier, MessageDigest.getInstance("SHA-256"));
    } catch (NoSuchAlgorithmException e) {
      throw new ProviderException("the JDK's SHA-256 is missing", e);
    }
  }

  @Override
  public void update(byte[] in, int offset, int length) {
    digest.update(in, offset, length);
  }

  /** Hashes (and so resets) first, so a malformed signature leaves no message behind. */
  @Override
  public boolean verify(byte[] signature) throws SignatureException {
    return verifier.verify(digest.digest(), signature);
  }

  /** @throws InvalidAlgorithmParameterException always: SHA256withECDSA takes no parameters */
  @Override
  public void setParameter(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
    throw new InvalidAlgorithmParameterException("SHA256withECDSA on secp256k1 takes no parameters");
  }
}
