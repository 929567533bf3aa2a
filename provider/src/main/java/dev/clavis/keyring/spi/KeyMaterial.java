package dev.clavis.keyring.spi;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import dev.clavis.keyring.KeyAlgorithm;
import dev.clavis.keyring.KeyRef;

/**
 * The operations a backend performs with the material of one key version. The engine has already
 * checked the lifecycle (state, expiry, usage) before it calls any of these: a backend only does
 * the cryptography. Material need not leave the backend: a PKCS#11 token implements every method
 * with token mechanisms ({@code CKM_AES_GCM}, {@code CKM_SHA256_HMAC}, {@code CKM_AES_KEY_WRAP_KWP})
 * and refuses {@link #exportRaw()}.
 *
 * <p>Instances are safe for use by several threads; the operation objects they hand out
 * ({@link AeadOperation}, {@link MacOperation}) are not, and each caller uses its own.
 */
public interface KeyMaterial {

  /** @return the version this material belongs to, {@code name#N} */
  KeyRef ref();

  /** @return the algorithm and size of the material */
  KeyAlgorithm algorithm();

  /**
   * Starts one AES-GCM operation (NIST SP 800-38D) with 128-bit or shorter tags.
   *
   * @param encrypt true to encrypt, false to decrypt (the tag is the last {@code tagBits/8} bytes of the input)
   * @param iv the IV (12 bytes recommended); copied
   * @param tagBits tag length in bits (128, 120, 112, 104 or 96)
   * @return a fresh, single-use operation
   * @throws GeneralSecurityException if the backend cannot start the operation
   */
  AeadOperation startGcm(boolean encrypt, byte[] iv, int tagBits) throws GeneralSecurityException;

  /**
   * Starts an HMAC-SHA256 computation (RFC 2104).
   *
   * @return a fresh operation, reusable after {@link MacOperation#doFinal()}
   * @throws GeneralSecurityException if the backend cannot start the operation
   */
  MacOperation startHmac() throws GeneralSecurityException;

  /**
   * Starts an AES-CBC or AES-CTR operation (NIST SP 800-38A) for data migrated from PKCS12/JCEKS.
   * A backend that does not offer these modes keeps the default, and refuses.
   *
   * @param mode CBC with PKCS#5 padding, or CTR
   * @param encrypt true to encrypt, false to decrypt
   * @param iv the 16-byte IV (CBC) or initial counter block (CTR); copied
   * @return a fresh, single-use operation
   * @throws GeneralSecurityException if the material is not AES or the backend cannot start it
   * @throws UnsupportedOperationException if the backend does not offer the mode
   */
  default BlockModeOperation startBlockMode(BlockModeOperation.Mode mode, boolean encrypt, byte[] iv)
      throws GeneralSecurityException {
    throw new UnsupportedOperationException("the backend of " + ref() + " does not offer " + mode.transformation());
  }

  /**
   * Wraps key bytes with AES Key Wrap with Padding (RFC 5649) under this material.
   *
   * @param keyBytes the key to wrap; not kept
   * @return the RFC 5649 output (8 bytes longer than the padded input)
   * @throws GeneralSecurityException if the backend cannot wrap
   */
  byte[] wrapKwp(byte[] keyBytes) throws GeneralSecurityException;

  /**
   * Unwraps an RFC 5649 output made under this material.
   *
   * @param wrapped the RFC 5649 output
   * @return the key bytes; the caller wipes them
   * @throws GeneralSecurityException (an {@link javax.crypto.AEADBadTagException} or
   *     {@link java.security.InvalidKeyException}) if the integrity check fails
   */
  byte[] unwrapKwp(byte[] wrapped) throws GeneralSecurityException;

  /**
   * Unwraps many RFC 5649 outputs at once. Backends holding material in memory interleave the
   * independent unwraps so AES-NI pipelines; the default loops over {@link #unwrapKwp(byte[])}.
   *
   * @param wrapped the wrapped keys
   * @return the key bytes in the same order
   * @throws GeneralSecurityException naming the index of the first entry that failed its check
   */
  default List<byte[]> unwrapKwpAll(List<byte[]> wrapped) throws GeneralSecurityException {
    List<byte[]> out = new ArrayList<>(wrapped.size());
    for (byte[] w : wrapped) {
      out.add(unwrapKwp(w));
    }
    return out;
  }

  /**
   * Wraps many keys at once; see {@link #unwrapKwpAll(List)}.
   *
   * @param keys the key bytes, not kept
   * @return the RFC 5649 outputs in the same order
   * @throws GeneralSecurityException if the backend cannot wrap
   */
  default List<byte[]> wrapKwpAll(List<byte[]> keys) throws GeneralSecurityException {
    List<byte[]> out = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      out.add(wrapKwp(k));
    }
    return out;
  }

  /**
   * Wraps key bytes with AES Key Wrap (RFC 3394, default initial value) under this material.
   * Backends whose material is in memory keep the default: the provider computes RFC 3394 itself
   * over {@link #rawForInProcessCrypto()}.
   *
   * @param keyBytes a multiple of 8 bytes, at least 16; not kept
   * @return the RFC 3394 output, 8 bytes longer than the input
   * @throws GeneralSecurityException if the backend cannot wrap
   * @throws UnsupportedOperationException if the backend offers no RFC 3394 operation
   */
  default byte[] wrapKw(byte[] keyBytes) throws GeneralSecurityException {
    throw new UnsupportedOperationException(ref() + ": this backend offers no RFC 3394 operation");
  }

  /**
   * Unwraps an RFC 3394 output (default initial value) made under this material.
   *
   * @param wrapped the RFC 3394 output
   * @return the key bytes; the caller wipes them
   * @throws GeneralSecurityException ({@link javax.crypto.AEADBadTagException}) if the integrity
   *     check fails, or if the backend cannot unwrap
   * @throws UnsupportedOperationException if the backend offers no RFC 3394 operation
   */
  default byte[] unwrapKw(byte[] wrapped) throws GeneralSecurityException {
    throw new UnsupportedOperationException(ref() + ": this backend offers no RFC 3394 operation");
  }

  /**
   * Unwraps an RFC 3394 or RFC 5649 output made under this material into a secret key that stays
   * in the backend (on a token: a sensitive, non-extractable session object) and returns a handle
   * with no encoding.
   *
   * @param wrapped the wrapped key
   * @param padded RFC 5649 (KWP) rather than RFC 3394 (KW)
   * @param algorithm the JCA algorithm of the key, e.g. {@code AES}
   * @return the handle; its {@code destroy()} removes the key from the backend
   * @throws GeneralSecurityException ({@link javax.crypto.AEADBadTagException}) if the integrity
   *     check fails, or if the backend refuses
   * @throws UnsupportedOperationException if the backend holds no keys of its own
   */
  default javax.crypto.SecretKey unwrapToBackend(byte[] wrapped, boolean padded, String algorithm)
      throws GeneralSecurityException {
    throw new UnsupportedOperationException("the material of " + ref() + " is in host memory: its backend"
        + " cannot keep an unwrapped key (UnwrapToTokenSpec needs a KEK on a token)");
  }

  /**
   * Unwraps RFC 5649 outputs made under this material into keys held inside the backend (a
   * token's session objects, sensitive), so they can be wrapped under another version of the same
   * backend without existing in host memory ({@link HeldKeys#wrapKwpUnder}). Nothing is held
   * unless every output passes its integrity check.
   *
   * @param wrapped the RFC 5649 outputs
   * @return the held keys, which the caller closes; null when this backend cannot hold keys
   *     (its material is in host memory, or it lacks the mechanism), see {@link #heldKeysLimitation()}
   * @throws GeneralSecurityException naming the index of the first output that failed its check
   */
  default HeldKeys unwrapKwpHeld(List<byte[]> wrapped) throws GeneralSecurityException {
    return null;
  }

  /** @return why {@link #unwrapKwpHeld} returns null here, for the caller's report */
  default String heldKeysLimitation() {
    return "the material of " + ref() + " is held in host memory by its backend, so the data keys pass through it";
  }

  /**
   * Hands out a copy of the raw material. The engine calls this only for versions created
   * exportable; a backend whose material cannot leave it throws.
   *
   * @return a copy of the raw key; the caller wipes it
   * @throws UnsupportedOperationException if the backend never exports material (PKCS#11 sensitive keys)
   */
  byte[] exportRaw();

  /**
   * Hands the raw material to another part of Clavis in this process, for algorithms the backend
   * does not offer as operations (RFC 3394 KW, with a managed KEK). The engine calls it only after
   * the lifecycle check; it is not export: the bytes never leave Clavis. A backend whose material
   * cannot leave it (a token) keeps the default, and such KEKs work only through
   * {@link #wrapKwp}/{@link #unwrapKwp}.
   *
   * @return a copy of the raw key; the caller wipes it
   * @throws UnsupportedOperationException if the material cannot leave the backend
   */
  default byte[] rawForInProcessCrypto() {
    throw new UnsupportedOperationException("the material of " + ref() + " cannot leave its backend");
  }

  /**
   * The certificates held with this material: a key pair's chain (its own certificate first) or
   * a trusted certificate. Public data.
   *
   * @return the DER encodings; empty for a secret key
   */
  default List<byte[]> certificates() {
    return List.of();
  }

  /**
   * Starts one signature with a key pair's private key, which stays inside the backend.
   *
   * @param jcaAlgorithm the JCA signature name ({@code SHA256withECDSA}, {@code RSASSA-PSS}, {@code Ed25519}, ...)
   * @param params the signature's parameters ({@code PSSParameterSpec}), or null
   * @return a fresh operation, reusable after {@link SignOperation#sign()}
   * @throws GeneralSecurityException if this material does not sign, or not with that algorithm
   */
  default SignOperation startSign(String jcaAlgorithm, java.security.spec.AlgorithmParameterSpec params)
      throws GeneralSecurityException {
    throw new java.security.InvalidKeyException("key " + ref() + " is " + algorithm() + " and does not sign");
  }

  /** One signature, used like {@link java.security.Signature} between {@code initSign} and {@code sign}. */
  interface SignOperation {
    /**
     * Adds input.
     *
     * @param in the input buffer
     * @param offset where the input starts
     * @param length how many bytes
     * @throws java.security.SignatureException if the backend fails
     */
    void update(byte[] in, int offset, int length) throws java.security.SignatureException;

    /**
     * @return the signature; the operation is reset and may be reused
     * @throws java.security.SignatureException if the backend fails
     */
    byte[] sign() throws java.security.SignatureException;
  }

  /** One AEAD operation, used like {@link javax.crypto.Cipher} between {@code init} and {@code doFinal}. */
  interface AeadOperation {
    /**
     * Adds associated data; only before the first {@link #update}.
     *
     * @param aad the buffer holding the associated data
     * @param offset where it starts
     * @param length how many bytes
     */
    void updateAad(byte[] aad, int offset, int length);

    /**
     * The output size an {@link #update} or {@link #doFinal} of {@code inputLength} more bytes may need.
     *
     * @param inputLength bytes of input still to come
     * @return the output buffer size to provide
     */
    int outputSize(int inputLength);

    /**
     * Processes more input.
     *
     * @param in the input buffer
     * @param offset where the input starts
     * @param length how many bytes
     * @param out the output buffer
     * @param outOffset where output is written
     * @return bytes written to {@code out} at {@code outOffset}
     * @throws GeneralSecurityException if the output buffer is too small or the backend fails
     */
    int update(byte[] in, int offset, int length, byte[] out, int outOffset) throws GeneralSecurityException;

    /**
     * Ends the operation; for decryption checks the tag and releases nothing before it passed.
     *
     * @param in the last input (for decryption ending with the tag)
     * @param offset where the input starts
     * @param length how many bytes
     * @param out the output buffer
     * @param outOffset where output is written
     * @return bytes written to {@code out} at {@code outOffset}
     * @throws javax.crypto.AEADBadTagException if the tag does not verify
     * @throws GeneralSecurityException if the output buffer is too small or the backend fails
     */
    int doFinal(byte[] in, int offset, int length, byte[] out, int outOffset) throws GeneralSecurityException;
  }

  /** One MAC computation. */
  interface MacOperation {
    /**
     * Adds input.
     *
     * @param in the input buffer
     * @param offset where the input starts
     * @param length how many bytes
     */
    void update(byte[] in, int offset, int length);

    /** @return the tag; the operation is reset and may be reused */
    byte[] doFinal();

    /** Discards input given so far. */
    void reset();
  }
}
