package dev.clavis.keyring.pkcs11;

import dev.clavis.engine.kw.IntegrityCheckException;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.spi.KeyMaterial;
import dev.clavis.pkcs11.CKA;
import dev.clavis.pkcs11.CKM;
import dev.clavis.pkcs11.CKR;
import dev.clavis.pkcs11.Mechanism;
import dev.clavis.pkcs11.Pkcs11Exception;
import dev.clavis.pkcs11.WrapIntegrityException;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.ProviderException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.ShortBufferException;

/**
 * The material of one key version, held on the token as a secret-key object. Every operation is a
 * token mechanism ({@code CKM_AES_GCM}, {@code CKM_SHA256_HMAC}, key wrap through
 * {@link TokenRfcWrap}); the key value never leaves the token. The object handle
 * is re-resolved by {@code CKA_ID} when the module renumbers objects.
 */
final class TokenKeyMaterial implements KeyMaterial {

  private final TokenKeyBackend backend;
  private final KeyRef ref;
  private final KeyAlgorithm algorithm;
  private final boolean exportable;
  volatile long handle;
  volatile long epoch;
  /** The usage attributes last written to the token ({@link TokenStateAttributes#USE_PROTECT} bits), -1 unknown. */
  volatile int usage = -1;
  /**
   * A key pair's leaf certificate {@code notAfter} (epoch ms) as last read, {@link TokenCertificateExpiry#UNREAD}
   * before the first read and after this process replaced the chain.
   */
  volatile long notAfter = TokenCertificateExpiry.UNREAD;
  /** Whether {@link #notAfter} was read after it had passed: the expiry is confirmed, not read again. */
  volatile boolean expiryConfirmed;

  TokenKeyMaterial(TokenKeyBackend backend, KeyRef ref, KeyAlgorithm algorithm, boolean exportable, long handle, long epoch) {
    this.backend = backend;
    this.ref = ref;
    this.algorithm = algorithm;
    this.exportable = exportable;
    this.handle = handle;
    this.epoch = epoch;
  }

  @Override
  public KeyRef ref() {
    return ref;
  }

  @Override
  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public AeadOperation startGcm(boolean encrypt, byte[] iv, int tagBits) throws GeneralSecurityException {
    if (!algorithm.isAes()) {
      throw new InvalidKeyException(ref + " is " + algorithm + ", not an AES key");
    }
    if (tagBits < 96 || tagBits > 128 || tagBits % 8 != 0) {
      throw new InvalidKeyException("GCM tag length must be 96 to 128 bits in steps of 8, got " + tagBits);
    }
    return new TokenGcm(encrypt, iv.clone(), tagBits);
  }

  @Override
  public MacOperation startHmac() throws GeneralSecurityException {
    if (!algorithm.isHmac()) {
      throw new InvalidKeyException(ref + " is " + algorithm + ", not an HMAC key");
    }
    return new TokenHmac();
  }

  @Override
  public byte[] wrapKwp(byte[] keyBytes) throws GeneralSecurityException {
    requireAes("wrap");
    return backend.withKey(this, "wrap", (s, h) -> TokenRfcWrap.encryptKwp(backend.keyWrap(), s, h, keyBytes));
  }

  @Override
  public byte[] unwrapKwp(byte[] wrapped) throws GeneralSecurityException {
    requireAes("unwrap");
    try {
      return backend.withKey(this, "unwrap", (s, h) -> {
        try {
          return TokenRfcWrap.decryptKwp(backend.keyWrap(), s, h, wrapped);
        } catch (WrapIntegrityException e) {
          throw new IntegrityFailure(e);
        }
      });
    } catch (IntegrityFailure e) {
      throw new AEADBadTagException("key wrap integrity check failed");
    }
  }

  @Override
  public byte[] wrapKw(byte[] keyBytes) throws GeneralSecurityException {
    requireAes("wrap");
    return backend.withKey(this, "wrap", (s, h) -> TokenRfcWrap.encryptKw(backend.keyWrap(), s, h, keyBytes));
  }

  @Override
  public byte[] unwrapKw(byte[] wrapped) throws GeneralSecurityException {
    requireAes("unwrap");
    try {
      return backend.withKey(this, "unwrap", (s, h) -> {
        try {
          return TokenRfcWrap.decryptKw(backend.keyWrap(), s, h, wrapped);
        } catch (WrapIntegrityException e) {
          throw new IntegrityFailure(e);
        }
      });
    } catch (IntegrityFailure e) {
      throw new AEADBadTagException("key wrap integrity check failed");
    }
  }

  /**
   * {@code C_UnwrapKey} into a sensitive, non-extractable session object, with the mechanism that
   * passed its known-answer test; SoftHSM2 reports a failed integrity check as
   * {@code CKR_GENERAL_ERROR}, which cannot be settled here without the key in host memory, so
   * it too is an integrity failure.
   */
  @Override
  public javax.crypto.SecretKey unwrapToBackend(byte[] wrapped, boolean padded, String algorithm)
      throws GeneralSecurityException {
    requireAes("unwrap");
    dev.clavis.pkcs11.TokenKeyWrap mechanisms = backend.keyWrap();
    long mech = padded ? mechanisms.kwpMechanismUnwrap() : mechanisms.nativeKw() ? CKM.AES_KEY_WRAP : 0;
    if (mech == 0) {
      throw new InvalidKeyException(backend.describe() + " has no " + (padded ? "RFC 5649" : "RFC 3394")
          + " unwrap mechanism that passed its known-answer test (" + mechanisms.findings()
          + "), so it cannot unwrap onto the token");
    }
    boolean aes = "AES".equalsIgnoreCase(algorithm);
    dev.clavis.pkcs11.Template t = dev.clavis.pkcs11.Template.builder()
        .ulong(CKA.CLASS, dev.clavis.pkcs11.CKO.SECRET_KEY)
        .ulong(CKA.KEY_TYPE, aes ? dev.clavis.pkcs11.CKK.AES : dev.clavis.pkcs11.CKK.GENERIC_SECRET)
        .bool(CKA.TOKEN, false).bool(CKA.PRIVATE, true).bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, false)
        .bool(CKA.ENCRYPT, aes).bool(CKA.DECRYPT, aes).bool(CKA.SIGN, !aes).bool(CKA.VERIFY, !aes).build();
    long h;
    try {
      h = backend.withKey(this, "unwrap", (s, kek) -> s.unwrapKey(Mechanism.of(mech), kek, wrapped, t));
    } catch (TokenOperationException e) {
      long rv = e.pkcs11().returnValue();
      if (rv == CKR.WRAPPED_KEY_INVALID || rv == CKR.WRAPPED_KEY_LEN_RANGE || rv == CKR.ENCRYPTED_DATA_INVALID
          || rv == CKR.ENCRYPTED_DATA_LEN_RANGE || rv == CKR.DATA_INVALID || rv == CKR.GENERAL_ERROR
          || rv == CKR.FUNCTION_FAILED) {
        throw new AEADBadTagException("key wrap integrity check failed");
      }
      throw e;
    }
    return new TokenSessionKey(backend, aes ? "AES" : algorithm, ref, h);
  }

  /** {@code C_UnwrapKey} into sensitive session objects ({@link TokenHeldKeys}); null without an unwrap mechanism that passed. */
  @Override
  public dev.clavis.keyring.spi.HeldKeys unwrapKwpHeld(List<byte[]> wrapped) throws GeneralSecurityException {
    requireAes("unwrap");
    if (backend.keyWrap().kwpMechanismUnwrap() == 0) {
      return null;
    }
    return TokenHeldKeys.unwrap(backend, this, wrapped);
  }

  @Override
  public String heldKeysLimitation() {
    if (backend.keyWrap().kwpMechanismUnwrap() == 0) {
      return backend.describe() + " offers no key-unwrap mechanism that passed the RFC 5649 known-answer test ("
          + backend.keyWrap().findings() + "), so the data keys under " + ref
          + " were unwrapped through the token's AES-ECB into host memory";
    }
    return null;
  }

  /**
   * A key pair's chain, from its chain object beside the private key ({@link TokenKeyPairs}); a
   * trusted certificate's DER, from its certificate object ({@link TokenTrustedCertificates}).
   */
  @Override
  public List<byte[]> certificates() {
    if (algorithm == KeyAlgorithm.CERTIFICATE) {
      return List.of(certificateValue());
    }
    if (!algorithm.isKeyPair()) {
      return List.of();
    }
    byte[] id = TokenObjectIndex.id(ref, algorithm);
    return backend.call("read the certificate chain of " + ref, s -> TokenKeyPairs.readChain(s, id));
  }

  /** Signs on the token ({@link TokenSigner}): the private key never leaves it. */
  @Override
  public SignOperation startSign(String jcaAlgorithm, java.security.spec.AlgorithmParameterSpec params)
      throws GeneralSecurityException {
    if (!algorithm.isKeyPair()) {
      throw new InvalidKeyException("key " + ref + " is " + algorithm + " and does not sign");
    }
    return TokenSigner.start(this, jcaAlgorithm, params);
  }

  /** @return the backend this material belongs to */
  TokenKeyBackend backend() {
    return backend;
  }

  /** Many keys in one session; the keys that need the ECB fallback share each C_Encrypt. */
  @Override
  public List<byte[]> wrapKwpAll(List<byte[]> keys) throws GeneralSecurityException {
    requireAes("wrap");
    return backend.withKey(this, "wrap", (s, h) -> TokenRfcWrap.encryptKwpAll(backend.keyWrap(), s, h, keys));
  }

  /** Many keys in one session; nothing is returned unless every key passes its check. */
  @Override
  public List<byte[]> unwrapKwpAll(List<byte[]> wrapped) throws GeneralSecurityException {
    requireAes("unwrap");
    try {
      return backend.withKey(this, "unwrap", (s, h) -> {
        try {
          return TokenRfcWrap.decryptKwpAll(backend.keyWrap(), s, h, wrapped);
        } catch (IntegrityCheckException e) {
          throw new IntegrityFailure(e);
        }
      });
    } catch (IntegrityFailure e) {
      int index = ((IntegrityCheckException) e.getCause()).index();
      throw new AEADBadTagException("wrapped key " + index + " failed its integrity check (RFC 5649 §3)");
    }
  }

  /** Carries an integrity failure out of a session call. */
  private static final class IntegrityFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IntegrityFailure(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private void requireAes(String what) throws InvalidKeyException {
    if (!algorithm.isAes()) {
      throw new InvalidKeyException("cannot " + what + " with " + ref + ": it is " + algorithm + ", not AES");
    }
  }

  /** @return the DER in a trusted certificate's object */
  private byte[] certificateValue() {
    try {
      return backend.withKey(this, "read the certificate", (s, h) -> TokenTrustedCertificates.value(s, h, ref));
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot read the trusted certificate " + ref + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@inheritDoc} A trusted certificate's DER whatever {@code exportable} says: a certificate is
   * public data (the key store hands it out through {@code getCertificate}), and whether it is
   * known exportable is not on the token after a reopen; the engine refuses the export of a version
   * not created exportable before it asks, on every backend.
   */
  @Override
  public byte[] exportRaw() {
    if (algorithm == KeyAlgorithm.CERTIFICATE) {
      return certificateValue();
    }
    if (!exportable) {
      throw new UnsupportedOperationException("the material of " + ref + " is sensitive on " + backend.describe()
          + " and never leaves it");
    }
    try {
      return backend.withKey(this, "export", (s, h) -> s.getAttributes(h, CKA.VALUE).bytes(CKA.VALUE)
          .orElseThrow(() -> new UnsupportedOperationException("the token does not reveal the material of " + ref)));
    } catch (GeneralSecurityException e) {
      throw new KeyringException("cannot export " + ref + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TokenKeyMaterial{" + ref + ", " + algorithm + "}";
  }

  /** GCM on the token: input is collected and processed in one {@code C_Encrypt}/{@code C_Decrypt}. */
  private final class TokenGcm implements AeadOperation {
    private final boolean encrypt;
    private final byte[] iv;
    private final int tagBits;
    private final ByteArrayOutputStream aad = new ByteArrayOutputStream();
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();
    private boolean done;

    TokenGcm(boolean encrypt, byte[] iv, int tagBits) {
      this.encrypt = encrypt;
      this.iv = iv;
      this.tagBits = tagBits;
    }

    @Override
    public void updateAad(byte[] a, int offset, int length) {
      if (input.size() > 0) {
        throw new IllegalStateException("AAD must be supplied before the data");
      }
      aad.write(a, offset, length);
    }

    @Override
    public int outputSize(int inputLength) {
      int total = input.size() + inputLength;
      return encrypt ? total + tagBits / 8 : Math.max(0, total - tagBits / 8);
    }

    @Override
    public int update(byte[] in, int offset, int length, byte[] out, int outOffset) {
      input.write(in, offset, length);
      return 0;
    }

    @Override
    public int doFinal(byte[] in, int offset, int length, byte[] out, int outOffset) throws GeneralSecurityException {
      if (done) {
        throw new IllegalStateException("this GCM operation is finished");
      }
      done = true;
      if (length > 0) {
        input.write(in, offset, length);
      }
      byte[] data = input.toByteArray();
      int expected = outputSize(0);
      if (out.length - outOffset < expected) {
        throw new ShortBufferException("need " + expected + " bytes of output space");
      }
      Mechanism m = Mechanism.gcm(iv, aad.toByteArray(), tagBits);
      byte[] result;
      try {
        result = backend.withKey(TokenKeyMaterial.this, encrypt ? "encrypt" : "decrypt",
            (s, h) -> encrypt ? s.encrypt(m, h, data) : s.decrypt(m, h, data));
      } catch (TokenOperationException e) {
        long rv = e.pkcs11().returnValue();
        if (!encrypt && (rv == CKR.ENCRYPTED_DATA_INVALID || rv == CKR.ENCRYPTED_DATA_LEN_RANGE
            || rv == CKR.GENERAL_ERROR || rv == CKR.FUNCTION_FAILED || rv == CKR.DATA_LEN_RANGE)) {
          throw new AEADBadTagException("tag mismatch");
        }
        throw e;
      } finally {
        Arrays.fill(data, (byte) 0);
      }
      System.arraycopy(result, 0, out, outOffset, result.length);
      Arrays.fill(result, (byte) 0);
      return result.length;
    }
  }

  /** HMAC-SHA256 on the token ({@code CKM_SHA256_HMAC}). */
  /** @return the PKCS#11 HMAC mechanism of an HMAC key's hash */
  static long hmacMechanism(KeyAlgorithm alg) {
    switch (alg) {
      case HMAC_SHA384: return CKM.SHA384_HMAC;
      case HMAC_SHA512: return CKM.SHA512_HMAC;
      default: return CKM.SHA256_HMAC;
    }
  }

  private final class TokenHmac implements MacOperation {
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();

    @Override
    public void update(byte[] in, int offset, int length) {
      input.write(in, offset, length);
    }

    @Override
    public byte[] doFinal() {
      byte[] data = input.toByteArray();
      input.reset();
      try {
        return backend.withKey(TokenKeyMaterial.this, "sign", (s, h) -> s.sign(Mechanism.of(hmacMechanism(algorithm)), h, data));
      } catch (GeneralSecurityException e) {
        throw new ProviderException("HMAC on the token failed for " + ref + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void reset() {
      input.reset();
    }
  }

  /** A token failure during an operation, with the {@code CKR_} code; never carries data. */
  static final class TokenOperationException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;
    private final Pkcs11Exception cause;

    TokenOperationException(String message, Pkcs11Exception cause) {
      super(message, cause);
      this.cause = cause;
    }

    Pkcs11Exception pkcs11() {
      return cause;
    }
  }

  /** A token refused the use because the key's own attributes forbid it. */
  static final class TokenRefusedException extends InvalidKeyException {
    private static final long serialVersionUID = 1L;

    TokenRefusedException(String message, Pkcs11Exception cause) {
      super(message, cause);
    }
  }
}
