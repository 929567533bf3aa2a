package dev.clavis.conformance.signature;

import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.spi.ForwardingKeyBackend;
import dev.clavis.keyring.spi.KeyBackend;
import dev.clavis.keyring.spi.KeyMaterial;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A storage double for verification vectors that carry public keys only (Wycheproof): a real
 * backend whose answer to "which certificate does version N hold" is, for the versions the test
 * names, a certificate of the vector's public key. Everything else (the metadata, the lifecycle
 * states, the engine's checks, {@code ManagedSignatureSpi}) is the real code.
 *
 * <p>It stands below the keyring API on purpose: the API proves that a key pair's certificate is
 * its private key's ({@code KeyPairProof}), so no caller of it can pair a vector's public key with
 * a private key it does not belong to, and a vector comes without one. A version answered for here
 * verifies only: its material refuses to sign (the default of {@link KeyMaterial#startSign}), so the
 * double never makes a signature the certificate would not verify.
 */
final class VectorCertificateBackend extends ForwardingKeyBackend {

  private final Map<KeyRef, byte[]> certificates = new ConcurrentHashMap<>();

  VectorCertificateBackend(KeyBackend real) {
    super(real);
  }

  /** From now on version {@code version} answers with {@code der} as its only certificate, and signs nothing. */
  void holdCertificate(KeyRef version, byte[] der) {
    certificates.put(version, der.clone());
  }

  @Override
  public Optional<KeyMaterial> material(KeyRef version) {
    Optional<KeyMaterial> m = inner.material(version);
    byte[] der = certificates.get(version);
    return der == null ? m : m.map(k -> new VerifyOnly(k, der));
  }

  @Override
  public String describe() {
    return "vector certificates over " + inner.describe();
  }

  /** The real version's material with the vector's certificate, verifying only. */
  private static final class VerifyOnly implements KeyMaterial {
    private final KeyMaterial real;
    private final byte[] der;

    VerifyOnly(KeyMaterial real, byte[] der) {
      this.real = real;
      this.der = der;
    }

    @Override
    public KeyRef ref() {
      return real.ref();
    }

    @Override
    public KeyAlgorithm algorithm() {
      return real.algorithm();
    }

    @Override
    public List<byte[]> certificates() {
      return List.of(der.clone());
    }

    @Override
    public AeadOperation startGcm(boolean encrypt, byte[] iv, int tagBits) throws GeneralSecurityException {
      throw new GeneralSecurityException(ref() + " is a verification vector's key: it only verifies");
    }

    @Override
    public MacOperation startHmac() throws GeneralSecurityException {
      throw new GeneralSecurityException(ref() + " is a verification vector's key: it only verifies");
    }

    @Override
    public byte[] wrapKwp(byte[] keyBytes) throws GeneralSecurityException {
      throw new GeneralSecurityException(ref() + " is a verification vector's key: it only verifies");
    }

    @Override
    public byte[] unwrapKwp(byte[] wrapped) throws GeneralSecurityException {
      throw new GeneralSecurityException(ref() + " is a verification vector's key: it only verifies");
    }

    @Override
    public byte[] exportRaw() {
      throw new UnsupportedOperationException(ref() + " is a verification vector's key: it only verifies");
    }
  }
}
