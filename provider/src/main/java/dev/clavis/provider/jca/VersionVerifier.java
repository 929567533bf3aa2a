package dev.clavis.provider.jca;

import java.security.InvalidAlgorithmParameterException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.AlgorithmParameterSpec;

/**
 * One key version's verification inside a managed {@code Signature} ({@link ManagedSignatureSpi}):
 * the JDK's verifier over the version's certificate key ({@link #of(Signature)}), or Clavis's own
 * for a derived secp256k1 key ({@link Secp256k1Verification}). The lifecycle is checked by the
 * caller, not here. Like a JCA signature, {@link #verify} also resets it for the next message.
 */
interface VersionVerifier {

  /**
   * @param in the message bytes
   * @param offset where they start
   * @param length how many
   * @throws SignatureException if the underlying verifier refuses them
   */
  void update(byte[] in, int offset, int length) throws SignatureException;

  /**
   * @param signature the signature of the message fed since the last verify
   * @return whether it is valid under this version's key
   * @throws SignatureException if the signature is malformed for this key
   */
  boolean verify(byte[] signature) throws SignatureException;

  /**
   * @param spec the parameters (RSASSA-PSS only)
   * @throws InvalidAlgorithmParameterException if this verifier takes none, or not these
   */
  void setParameter(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException;

  /**
   * @param jdk a JDK signature already initialised for verifying
   * @return it as a version verifier
   */
  static VersionVerifier of(Signature jdk) {
    return new VersionVerifier() {
      @Override
      public void update(byte[] in, int offset, int length) throws SignatureException {
        jdk.update(in, offset, length);
      }

      @Override
      public boolean verify(byte[] signature) throws SignatureException {
        return jdk.verify(signature);
      }

      @Override
      public void setParameter(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
        jdk.setParameter(spec);
      }
    };
  }
}
