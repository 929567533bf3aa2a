package dev.clavis.provider.jca;

import dev.clavis.keyring.lifecycle.JdkKeyPairs;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedPrivateKey;
import dev.clavis.keyring.ManagedPublicKey;
import dev.clavis.keyring.MlDsa;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.spi.KeyMaterial;
import java.io.ByteArrayInputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.cert.CertificateFactory;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Signature} for managed key pairs: signs with a {@link ManagedPrivateKey} under the
 * protect column of the state table, and verifies with a {@link ManagedPublicKey} under the
 * unprotect column. Other keys are refused at {@code init}, so JCA's delayed provider selection
 * moves on to SunEC or SunRsaSign for them.
 *
 * <p>Signing: {@code initSign} takes (and counts) the first use; each later message takes its own
 * use when it starts, and every {@code sign()} re-checks state and expiry at that moment, so a
 * rotation ({@code DEPRECATED}), a suspension or an exhausted usage limit stops the next
 * signature. The private key stays inside the backend ({@link KeyMaterial#startSign}), which
 * signs with the JDK's own providers.
 *
 * <p>Verifying: an exact version's handle verifies with that version's certificate key while it
 * may still verify; a name's handle with every version that may, checked again at each
 * {@code verify()}. A derived HD key's handle verifies the same way (its seed version must allow
 * it too: {@code KeyringEngine.unprotect}), with its public key computed from the version
 * ({@code hdPublicKey}) and Clavis's own secp256k1 verifier ({@link Secp256k1Verification}).
 *
 * <p>Not thread-safe, as JCA signatures are not.
 */
public abstract class ManagedSignatureSpi extends SignatureSpi {

  private static final Set<KeyAlgorithm> EC = EnumSet.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384);
  /** SHA256withECDSA also signs with derived secp256k1 keys (RFC 6979, low S: Clavis's own engine). */
  private static final Set<KeyAlgorithm> EC_SHA256 = EnumSet.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384,
      KeyAlgorithm.SECP256K1);
  private static final Set<KeyAlgorithm> RSA = EnumSet.of(KeyAlgorithm.RSA);
  private static final Set<KeyAlgorithm> ED = EnumSet.of(KeyAlgorithm.ED25519);
  private static final Set<KeyAlgorithm> ML_DSA = EnumSet.of(KeyAlgorithm.ML_DSA_44, KeyAlgorithm.ML_DSA_65,
      KeyAlgorithm.ML_DSA_87);

  private final String jcaName;
  private final Set<KeyAlgorithm> keyTypes;
  private final boolean pss;

  private AlgorithmParameterSpec params;

  // signing
  private PerOperationUse uses;
  private KeyringEngine.Use use;
  private KeyMaterial.SignOperation op;
  private boolean started;
  private boolean fed;

  // verifying
  private KeyringEngine verifyEngine;
  private List<Verifier> verifiers;

  private ManagedSignatureSpi(String jcaName, Set<KeyAlgorithm> keyTypes, boolean pss) {
    this.jcaName = jcaName;
    this.keyTypes = keyTypes;
    this.pss = pss;
  }

  /** One version's verifier: its JDK signature over its certificate's public key, or secp256k1's. */
  private record Verifier(KeyRef version, VersionVerifier signature) {}

  // ---------------------------------------------------------------- init

  /**
   * @throws InvalidKeyException if the key is no live managed private key of a fitting type, or
   *     the lifecycle refuses it now (naming key, version and state)
   */
  @Override
  protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
    if (!(key instanceof ManagedPrivateKey)) {
      throw new InvalidKeyException("Clavis's managed " + jcaName + " signs only with managed private keys (from"
          + " the Clavis KeyStore); got " + (key == null ? "null" : key.getClass().getName()) + ", use another provider");
    }
    ManagedPrivateKey mk = (ManagedPrivateKey) key;
    if (mk.isDestroyed()) {
      throw new InvalidKeyException("this handle to " + mk.ref() + " was destroyed");
    }
    requireType(mk.keyAlgorithm(), mk.ref());
    KeyringEngine engine = engine(mk.keyring(), mk.ref());
    resetAll();
    PerOperationUse u = new PerOperationUse(engine, mk.ref(), PerOperationUse.Purpose.PROTECT);
    KeyringEngine.Use first = u.begin();
    uses = u;
    use = first;
    started = true;
    if (!pss || params != null) {
      op = start(first);
    }
  }

  /**
   * @throws InvalidKeyException if the key is no managed public key of a fitting type, or no
   *     version it names may verify now (naming key, version and state)
   */
  @Override
  protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
    if (!(key instanceof ManagedPublicKey)) {
      throw new InvalidKeyException("Clavis's managed " + jcaName + " verifies only with managed public keys; got "
          + (key == null ? "null" : key.getClass().getName()) + ", use another provider (or the certificate's key)");
    }
    ManagedPublicKey mk = (ManagedPublicKey) key;
    requireType(mk.keyAlgorithm(), mk.ref());
    KeyringEngine engine = engine(mk.keyring(), mk.ref());
    List<KeyringEngine.Use> candidates;
    try {
      candidates = mk.ref().version().isPresent() ? List.of(engine.unprotect(mk.ref(), false))
          : engine.unprotectCandidates(mk.ref());
    } catch (KeyringException e) {
      throw ManagedKeys.invalid(e);
    }
    List<Verifier> vs = new ArrayList<>(candidates.size());
    for (KeyringEngine.Use c : candidates) {
      vs.add(new Verifier(c.version(), verifier(engine, c)));
    }
    resetAll();
    verifyEngine = engine;
    verifiers = vs;
  }

  private void requireType(KeyAlgorithm a, KeyRef ref) throws InvalidKeyException {
    if (!keyTypes.contains(a)) {
      throw new InvalidKeyException("key " + ref + " is " + a + ": " + jcaName + " takes " + keyTypes + " keys");
    }
    if (a.isMlDsa() && !MlDsa.available()) { // refused before a use is taken
      throw new InvalidKeyException(MlDsa.unavailableMessage() + ": key " + ref + " is " + a);
    }
  }

  private static KeyringEngine engine(Object keyring, KeyRef ref) throws InvalidKeyException {
    if (!(keyring instanceof KeyringEngine)) {
      throw new InvalidKeyException("the handle to " + ref + " comes from a keyring Clavis cannot drive");
    }
    return (KeyringEngine) keyring;
  }

  private VersionVerifier verifier(KeyringEngine engine, KeyringEngine.Use c) throws InvalidKeyException {
    if (c.material().algorithm() == KeyAlgorithm.SECP256K1) {
      // only SHA256withECDSA's service takes SECP256K1 handles (its key types): the hash matches
      return hdVerifier(engine, c.version());
    }
    List<byte[]> chain = c.material().certificates();
    if (chain.isEmpty()) {
      throw new InvalidKeyException("key " + c.version() + " has no certificate to verify with");
    }
    try {
      PublicKey pub = CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(chain.get(0))).getPublicKey();
      Signature s = Signature.getInstance(jcaName, JdkKeyPairs.provider(c.material().algorithm()));
      s.initVerify(pub);
      if (params != null) {
        s.setParameter(params);
      }
      return VersionVerifier.of(s);
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("cannot verify with " + c.version() + ": " + e.getMessage(), e);
    }
  }

  /** A derived key has no certificate: its public key is k·G of the version just granted. */
  private VersionVerifier hdVerifier(KeyringEngine engine, KeyRef version) throws InvalidKeyException {
    byte[] pub;
    try {
      pub = engine.hdPublicKey(version);
    } catch (IllegalStateException | KeyringException e) { // destroyed since the grant
      throw new InvalidKeyException(e.getMessage(), e);
    }
    return Secp256k1Verification.of(version, pub);
  }

  private void resetAll() {
    uses = null;
    use = null;
    op = null;
    started = false;
    fed = false;
    verifyEngine = null;
    verifiers = null;
  }

  private KeyMaterial.SignOperation start(KeyringEngine.Use u) throws InvalidKeyException {
    try {
      return u.material().startSign(jcaName, params);
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("the key store could not start " + jcaName + " with " + u.version() + ": "
          + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- parameters

  /**
   * @throws InvalidAlgorithmParameterException if this algorithm takes no parameters (all but
   *     RSASSA-PSS), the parameters are no {@link PSSParameterSpec}, or data was given already
   */
  @Override
  protected void engineSetParameter(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
    if (!pss) {
      if (spec == null) {
        return;
      }
      throw new InvalidAlgorithmParameterException(jcaName + " takes no parameters");
    }
    if (!(spec instanceof PSSParameterSpec)) {
      throw new InvalidAlgorithmParameterException("RSASSA-PSS takes a PSSParameterSpec, got "
          + (spec == null ? "null" : spec.getClass().getName()));
    }
    if (fed) {
      throw new InvalidAlgorithmParameterException("set the PSS parameters before the first update");
    }
    params = spec;
    op = null;
    if (verifiers != null) {
      for (Verifier v : verifiers) {
        v.signature().setParameter(spec);
      }
    }
  }

  /** @return the PSS parameters set, or null */
  @Override
  protected AlgorithmParameters engineGetParameters() {
    if (!pss || params == null) {
      return null;
    }
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("RSASSA-PSS", JdkKeyPairs.provider(KeyAlgorithm.RSA));
      p.init(params);
      return p;
    } catch (GeneralSecurityException e) {
      throw new ProviderException("cannot encode the PSS parameters: " + e.getMessage(), e);
    }
  }

  /** @throws InvalidParameterException always: use {@link #engineSetParameter(AlgorithmParameterSpec)} */
  @Override
  @Deprecated
  protected void engineSetParameter(String param, Object value) {
    throw new InvalidParameterException("use setParameter(AlgorithmParameterSpec)");
  }

  /** @throws InvalidParameterException always */
  @Override
  @Deprecated
  protected Object engineGetParameter(String param) {
    throw new InvalidParameterException("use getParameters()");
  }

  // ---------------------------------------------------------------- data

  /** The use of the signature in progress: a new message takes (and counts) a new use. */
  private void ensureOp() throws SignatureException {
    try {
      if (!started) {
        KeyringEngine.Use u = uses.next(use);
        if (!u.version().equals(use.version())) {
          op = null; // the name's primary moved on: sign with the new one
        }
        use = u;
        started = true;
      }
      if (op == null) {
        op = start(use);
      }
    } catch (InvalidKeyException e) {
      throw new SignatureException(e.getMessage(), e);
    }
  }

  /** @throws SignatureException if not initialised, or the lifecycle now refuses the key */
  @Override
  protected void engineUpdate(byte b) throws SignatureException {
    engineUpdate(new byte[] {b}, 0, 1);
  }

  /** @throws SignatureException if not initialised, or the lifecycle now refuses the key */
  @Override
  protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
    if (verifiers != null) {
      for (Verifier v : verifiers) {
        v.signature().update(b, off, len);
      }
      return;
    }
    if (uses == null) {
      throw new SignatureException("signature not initialized");
    }
    ensureOp();
    op.update(b, off, len);
    fed = true;
  }

  /**
   * Signs under the state the version has now.
   *
   * @throws SignatureException if not initialised for signing, or the lifecycle refuses the key
   *     now (naming key, version and state: a rotation made it {@code DEPRECATED}, it was
   *     suspended, expired or used up)
   */
  @Override
  protected byte[] engineSign() throws SignatureException {
    if (uses == null) {
      throw new SignatureException("signature not initialized for signing");
    }
    ensureOp();
    try {
      use = uses.recheck(use);
    } catch (InvalidKeyException e) {
      // the message is dropped; the next one takes a use of its own (for a name: the new primary)
      uses.spend();
      started = false;
      fed = false;
      op = null;
      throw new SignatureException(e.getMessage(), e);
    }
    uses.spend();
    started = false;
    fed = false;
    return op.sign();
  }

  /**
   * Verifies with the version (or any of the name's versions) that may still verify now.
   *
   * @throws SignatureException if not initialised for verifying, no version named may
   *     verify any more (naming key, version and state), or the signature is malformed (ECDSA
   *     not in strict DER, Ed25519 not 64 bytes: {@link SignatureEncodings})
   */
  @Override
  protected boolean engineVerify(byte[] sig) throws SignatureException {
    if (verifiers == null) {
      throw new SignatureException("signature not initialized for verifying");
    }
    String malformed = SignatureEncodings.malformed(jcaName, sig); // the JDK verifiers still run, to reset
    SignatureException refused = null;
    boolean ok = false;
    int allowed = 0;
    for (Verifier v : verifiers) {
      boolean may = true;
      try {
        verifyEngine.unprotect(v.version(), false);
      } catch (KeyringException e) {
        may = false;
        refused = new SignatureException(e.getMessage(), e);
      }
      boolean r;
      try {
        r = v.signature().verify(sig); // also resets the JDK verifier for the next message
      } catch (SignatureException e) {
        if (verifiers.size() == 1 && may) {
          throw e;
        }
        r = false; // a malformed signature for this version's key: not this version's
      }
      if (may) {
        allowed++;
        ok |= r;
      }
    }
    if (allowed == 0) {
      throw refused;
    }
    if (malformed != null) {
      throw new SignatureException(malformed);
    }
    return ok;
  }

  // ---------------------------------------------------------------- the algorithms

  /** ECDSA with SHA-256 (FIPS 186-4) on P-256 or P-384; DER-encoded signatures as SunEC's. */
  public static final class Sha256Ecdsa extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public Sha256Ecdsa() {
      super("SHA256withECDSA", EC_SHA256, false);
    }
  }

  /** ECDSA with SHA-384 on P-256 or P-384. */
  public static final class Sha384Ecdsa extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public Sha384Ecdsa() {
      super("SHA384withECDSA", EC, false);
    }
  }

  /** RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2). */
  public static final class Sha256Rsa extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public Sha256Rsa() {
      super("SHA256withRSA", RSA, false);
    }
  }

  /** RSASSA-PKCS1-v1_5 with SHA-384. */
  public static final class Sha384Rsa extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public Sha384Rsa() {
      super("SHA384withRSA", RSA, false);
    }
  }

  /** RSASSA-PSS (RFC 8017 §8.1); parameters through {@code setParameter(PSSParameterSpec)}. */
  public static final class RsaPss extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public RsaPss() {
      super("RSASSA-PSS", RSA, true);
    }
  }

  /** Ed25519 (RFC 8032 §5.1), also reached as {@code EdDSA} with an Ed25519 key. */
  public static final class Ed25519 extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public Ed25519() {
      super("Ed25519", ED, false);
    }
  }

  /**
   * ML-DSA (FIPS 204, pure, empty context) with a key of any parameter set; the JDK's own
   * implementation signs (JDK 24 or later), on older JDKs {@code init} is refused.
   */
  public static final class MlDsaAny extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public MlDsaAny() {
      super("ML-DSA", ML_DSA, false);
    }
  }

  /** ML-DSA-44 only (as the JDK's {@code ML-DSA-44}, and id-ml-dsa-44 in a certificate). */
  public static final class MlDsa44 extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public MlDsa44() {
      super("ML-DSA-44", EnumSet.of(KeyAlgorithm.ML_DSA_44), false);
    }
  }

  /** ML-DSA-65 only. */
  public static final class MlDsa65 extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public MlDsa65() {
      super("ML-DSA-65", EnumSet.of(KeyAlgorithm.ML_DSA_65), false);
    }
  }

  /** ML-DSA-87 only. */
  public static final class MlDsa87 extends ManagedSignatureSpi {
    /** A fresh instance, as JCA creates it. */
    public MlDsa87() {
      super("ML-DSA-87", EnumSet.of(KeyAlgorithm.ML_DSA_87), false);
    }
  }
}
