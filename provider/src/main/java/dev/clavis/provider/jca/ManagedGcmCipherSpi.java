package dev.clavis.provider.jca;

import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.GcmIvSource;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.spi.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code AES/GCM/NoPadding} for managed keys (NIST SP 800-38D), enforcing the lifecycle per
 * encryption and per decryption. Standard JCA GCM otherwise: 128-bit tags by default, a
 * {@code GCMParameterSpec} to decrypt.
 *
 * <p><b>IVs.</b> Clavis draws every encryption IV itself ({@link GcmIvSource}: 96 random bits
 * from its own {@code SecureRandom}, under the 2^32 invocation limit of SP 800-38D §8.3): read it
 * with {@code getIV()} or {@code getParameters()} after {@code init}. An IV (or
 * {@code GCMParameterSpec}, or {@code AlgorithmParameters}) passed in {@code ENCRYPT_MODE} or
 * {@code WRAP_MODE} is refused, and a caller's {@code SecureRandom} is not used for the IV: with
 * either a caller could make two encryptions share an IV, whatever Cipher object, handle
 * ({@code k} or {@code k#1}), thread or process they run in.
 *
 * <p><b>Lifecycle.</b> Encryption resolves a name to its primary (rotating it first when due) and
 * counts one use at {@code init}, which allows exactly one encryption ({@code doFinal} requires a
 * new {@code init}); {@code doFinal} checks the version again and refuses, with an
 * {@code IllegalStateException} caused by an {@code InvalidKeyException} naming key, version and
 * state, if it was revoked, suspended or expired meanwhile. Decryption reads the versions that
 * may decrypt at each {@code doFinal}, so a Cipher kept in {@code DECRYPT_MODE} stops decrypting
 * with a version once it is refused.
 *
 * <p>GCM output names no key version, so with a name-level handle decryption buffers the input
 * and tries the versions that may decrypt, newest first; the first whose tag verifies wins. A
 * {@code name#N} handle decrypts with that version only. When none verifies, the
 * {@code AEADBadTagException} names the versions not tried because of their state.
 *
 * <p>Why this class is over 400 lines: it is one JCA {@code CipherSpi}, whose contract is a fixed set
 * of about twenty {@code engine*} methods over one per-init state (mode, version, IV, buffered
 * input); the IV source ({@link GcmIvSource}) and the per-operation lifecycle checks are separate
 * classes already, and most of the rest is the documentation of those methods.
 */
public final class ManagedGcmCipherSpi extends CipherSpi {

  private int mode;
  private ManagedKey key;
  private KeyringEngine engine;
  private byte[] iv;
  private int tagBits = 128;
  private PerOperationUse uses; // encrypt
  private KeyringEngine.Use use; // encrypt
  private KeyMaterial.AeadOperation op; // encrypt
  private boolean decryptReady; // decrypt
  private ByteArrayOutputStream aad;
  private ByteArrayOutputStream buffered;
  private boolean reinitRequired;

  /** Creates an uninitialised cipher. */
  public ManagedGcmCipherSpi() {}

  /**
   * Accepts GCM only.
   *
   * @throws NoSuchAlgorithmException for any other mode
   */
  @Override
  protected void engineSetMode(String m) throws NoSuchAlgorithmException {
    if (!"GCM".equalsIgnoreCase(m)) {
      throw new NoSuchAlgorithmException("managed AES supports GCM only, not " + m);
    }
  }

  /**
   * Accepts NoPadding only.
   *
   * @throws NoSuchPaddingException for any other padding
   */
  @Override
  protected void engineSetPadding(String p) throws NoSuchPaddingException {
    if (!"NoPadding".equalsIgnoreCase(p)) {
      throw new NoSuchPaddingException("GCM takes NoPadding, not " + p);
    }
  }

  /** @return 16, the AES block size */
  @Override
  protected int engineGetBlockSize() {
    return 16;
  }

  /** @return the input plus the tag when encrypting; the buffered input less the tag when decrypting */
  @Override
  protected int engineGetOutputSize(int inputLen) {
    int pending = buffered == null ? 0 : buffered.size();
    return encrypting() ? inputLen + tagBits / 8 : Math.max(0, pending + inputLen - tagBits / 8);
  }

  /** @return a copy of the IV Clavis drew (encryption) or was given (decryption); null before init */
  @Override
  protected byte[] engineGetIV() {
    return iv == null ? null : iv.clone();
  }

  /**
   * @return {@code GCM} parameters holding the tag length and the IV; null before init
   * @throws IllegalStateException if the JDK has no GCM {@code AlgorithmParameters}
   */
  @Override
  protected AlgorithmParameters engineGetParameters() {
    if (iv == null) {
      return null;
    }
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("GCM");
      p.init(new GCMParameterSpec(tagBits, iv));
      return p;
    } catch (NoSuchAlgorithmException | InvalidParameterSpecException e) {
      throw new IllegalStateException("the JDK has no GCM parameters", e);
    }
  }

  /**
   * @return the key size in bits
   * @throws InvalidKeyException if the key is not a live managed handle
   */
  @Override
  protected int engineGetKeySize(Key k) throws InvalidKeyException {
    return ManagedKeys.managed(k, "AES/GCM").keyAlgorithm().bits();
  }

  private boolean encrypting() {
    return mode == Cipher.ENCRYPT_MODE || mode == Cipher.WRAP_MODE;
  }

  /**
   * Initialises without parameters: for encryption Clavis draws the IV; decryption needs one.
   *
   * @param random not used: Clavis draws IVs from its own {@code SecureRandom}
   * @throws InvalidKeyException if the key is not a live managed AES handle, the lifecycle refuses
   *     it (naming key, version and state), or in {@code DECRYPT_MODE} (which needs the IV)
   */
  @Override
  protected void engineInit(int opmode, Key k, SecureRandom random) throws InvalidKeyException {
    try {
      engineInit(opmode, k, (AlgorithmParameterSpec) null, random);
    } catch (InvalidAlgorithmParameterException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  /**
   * Initialises with GCM parameters, for decryption only.
   *
   * @throws InvalidKeyException if the key is not a live managed AES handle or the lifecycle refuses it
   * @throws InvalidAlgorithmParameterException if the parameters are not GCM parameters, or are
   *     given to encrypt (Clavis draws encryption IVs)
   */
  @Override
  protected void engineInit(int opmode, Key k, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    GCMParameterSpec spec = null;
    if (params != null) {
      try {
        spec = params.getParameterSpec(GCMParameterSpec.class);
      } catch (InvalidParameterSpecException e) {
        throw new InvalidAlgorithmParameterException("GCM needs GCM parameters", e);
      }
    }
    engineInit(opmode, k, spec, random);
  }

  /**
   * Initialises: for encryption without parameters (Clavis draws the IV and counts one use), for
   * decryption with a {@code GCMParameterSpec}.
   *
   * @param random not used: Clavis draws IVs from its own {@code SecureRandom}
   * @throws InvalidKeyException if the key is not a live managed AES handle or the lifecycle
   *     refuses it (the message names key, version and state)
   * @throws InvalidAlgorithmParameterException if parameters are given to encrypt or wrap, are
   *     not a {@code GCMParameterSpec}, are missing to decrypt, or hold an empty IV or a tag
   *     length SP 800-38D does not allow
   */
  @Override
  protected void engineInit(int opmode, Key k, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    ManagedKey mk = ManagedKeys.managed(k, "AES/GCM/NoPadding");
    if (!mk.keyAlgorithm().isAes()) {
      throw new InvalidKeyException("key " + mk.ref() + " is " + mk.keyAlgorithm() + ", not an AES key");
    }
    KeyringEngine eng = ManagedKeys.engine(mk);
    boolean enc = opmode == Cipher.ENCRYPT_MODE || opmode == Cipher.WRAP_MODE;
    if (enc && params != null) {
      // NIST SP 800-38D §8: one IV twice under one key forfeits confidentiality and authenticity;
      // Clavis cannot prove a caller's IV unused (other Cipher objects, handles, threads and
      // processes encrypt under the same version), so it draws every IV itself
      throw new InvalidAlgorithmParameterException("Clavis draws the IV for managed key " + mk.ref()
          + ": init ENCRYPT_MODE without parameters and read getIV() (a caller's IV could repeat one"
          + " already used under this key, NIST SP 800-38D §8)");
    }
    if (params != null && !(params instanceof GCMParameterSpec)) {
      throw new InvalidAlgorithmParameterException("GCM takes a GCMParameterSpec, got " + params.getClass().getName());
    }
    GCMParameterSpec spec = (GCMParameterSpec) params;
    int tl = spec == null ? 128 : spec.getTLen();
    if (tl < 96 || tl > 128 || tl % 8 != 0) {
      throw new InvalidAlgorithmParameterException("GCM tags are 96 to 128 bits in steps of 8 (NIST SP 800-38D §5.2.1.2), got " + tl);
    }
    reset();
    this.mode = opmode;
    this.key = mk;
    this.engine = eng;
    this.tagBits = tl;
    try {
      if (enc) {
        PerOperationUse u = new PerOperationUse(mk, PerOperationUse.Purpose.PROTECT);
        KeyringEngine.Use granted = u.begin();
        GcmIvSource.Encryption e = GcmIvSource.start(granted.material(), tl);
        this.uses = u;
        this.use = granted;
        this.op = e.operation();
        this.iv = e.iv();
      } else if (opmode == Cipher.DECRYPT_MODE || opmode == Cipher.UNWRAP_MODE) {
        if (spec == null) {
          throw new InvalidAlgorithmParameterException("GCM decryption needs a GCMParameterSpec with the IV");
        }
        byte[] nonce = spec.getIV();
        if (nonce.length == 0) {
          // refused here: at doFinal it would escape as an IllegalStateException
          throw new InvalidAlgorithmParameterException("the GCM IV must not be empty");
        }
        DecryptionVersions.candidates(eng, mk.ref()); // refuse at init what would be refused at doFinal
        this.iv = nonce;
        this.buffered = new ByteArrayOutputStream();
        this.decryptReady = true;
      } else {
        throw new InvalidAlgorithmParameterException("unknown cipher mode " + opmode);
      }
      this.aad = new ByteArrayOutputStream();
    } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
      reset();
      throw e;
    } catch (GeneralSecurityException e) {
      reset();
      throw new InvalidKeyException("the key store could not start GCM for " + mk.ref() + ": " + e.getMessage(), e);
    }
  }

  private void reset() {
    op = null;
    uses = null;
    use = null;
    decryptReady = false;
    buffered = null;
    aad = null;
    iv = null;
    reinitRequired = false;
  }

  private void checkReady() {
    if (reinitRequired) {
      throw new IllegalStateException("Must use either different key or iv for GCM encryption: init again"
          + " (without parameters: Clavis draws a new IV)");
    }
    if (key == null || (op == null && !decryptReady)) {
      throw new IllegalStateException("Cipher not initialized");
    }
  }

  /**
   * Adds associated data; before any input.
   *
   * @throws IllegalStateException if not initialised, or input was already given when decrypting
   */
  @Override
  protected void engineUpdateAAD(byte[] src, int offset, int len) {
    checkReady();
    if (op != null) {
      op.updateAad(src, offset, len);
    } else {
      if (buffered.size() > 0) {
        throw new IllegalStateException("AAD must be supplied before encryption/decryption starts");
      }
      aad.write(src, offset, len);
    }
  }

  /**
   * Encrypts more input, or buffers it when decrypting (nothing is released before the tag verifies).
   *
   * @throws IllegalStateException if not initialised or the backend fails
   */
  @Override
  protected byte[] engineUpdate(byte[] input, int offset, int len) {
    checkReady();
    if (op == null) {
      buffered.write(input, offset, len);
      return new byte[0];
    }
    byte[] out = new byte[op.outputSize(len)];
    try {
      int n = op.update(input, offset, len, out, 0);
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("GCM update failed: " + e.getMessage(), e);
    }
  }

  /**
   * Encrypts more input into {@code output}, or buffers it when decrypting.
   *
   * @throws ShortBufferException if {@code output} is too short
   * @throws IllegalStateException if not initialised or the backend fails
   */
  @Override
  protected int engineUpdate(byte[] input, int offset, int len, byte[] output, int outOffset)
      throws ShortBufferException {
    checkReady();
    if (op == null) {
      buffered.write(input, offset, len);
      return 0;
    }
    try {
      return op.update(input, offset, len, output, outOffset);
    } catch (ShortBufferException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("GCM update failed: " + e.getMessage(), e);
    }
  }

  /**
   * Ends the encryption (appending the tag) or decrypts and verifies the buffered input.
   *
   * @throws AEADBadTagException if no version the handle may use verifies the tag (naming the
   *     versions refused by their state, for a name)
   * @throws IllegalStateException if not initialised, if an encryption was already finished (init
   *     again), or if the lifecycle now refuses the key (caused by an {@link InvalidKeyException}
   *     naming key, version and state)
   */
  @Override
  protected byte[] engineDoFinal(byte[] input, int offset, int len) throws IllegalBlockSizeException,
      BadPaddingException {
    checkReady();
    byte[] out = new byte[engineGetOutputSize(len)];
    try {
      int n = engineDoFinal(input, offset, len, out, 0);
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("output size miscalculated", e);
    }
  }

  /**
   * As {@link #engineDoFinal(byte[], int, int)}, into {@code output}.
   *
   * @throws ShortBufferException if {@code output} is too short
   * @throws AEADBadTagException if no version the handle may use verifies the tag
   * @throws IllegalStateException if not initialised, finished, or the lifecycle now refuses the key
   */
  @Override
  protected int engineDoFinal(byte[] input, int offset, int len, byte[] output, int outOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    checkReady();
    if (input == null) {
      input = new byte[0];
      offset = 0;
      len = 0;
    }
    if (output.length - outOffset < engineGetOutputSize(len)) {
      throw new ShortBufferException("GCM needs " + engineGetOutputSize(len) + " bytes of output space");
    }
    if (op != null) {
      try {
        // the use init counted is checked again: a version revoked or suspended since init
        // finishes no encryption
        uses.recheck(use);
        return op.doFinal(input, offset, len, output, outOffset);
      } catch (InvalidKeyException e) {
        throw PerOperationUse.refusedNow(e);
      } catch (ShortBufferException e) {
        throw e;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("GCM encryption failed: " + e.getMessage(), e);
      } finally {
        // one encryption per init and IV: the next needs a new init, which draws a new IV
        op = null;
        reinitRequired = true;
      }
    }
    buffered.write(input, offset, len);
    byte[] all = buffered.toByteArray();
    byte[] a = aad.toByteArray();
    buffered.reset();
    aad.reset();
    try {
      List<KeyringEngine.Use> candidates;
      try {
        candidates = DecryptionVersions.candidates(engine, key.ref()); // read now, not at init
      } catch (InvalidKeyException e) {
        throw PerOperationUse.refusedNow(e);
      }
      return decryptWithCandidates(candidates, all, a, output, outOffset);
    } finally {
      Arrays.fill(all, (byte) 0);
    }
  }

  private int decryptWithCandidates(List<KeyringEngine.Use> candidates, byte[] ct, byte[] a, byte[] output,
      int outOffset) throws AEADBadTagException {
    if (ct.length < tagBits / 8) {
      throw new AEADBadTagException("Input data too short to contain an expected tag length of " + tagBits / 8 + "bytes");
    }
    byte[] tmp = new byte[ct.length - tagBits / 8];
    try {
      for (KeyringEngine.Use u : candidates) {
        try {
          KeyMaterial.AeadOperation d = u.material().startGcm(false, iv, tagBits);
          d.updateAad(a, 0, a.length);
          int n = d.doFinal(ct, 0, ct.length, tmp, 0);
          PerOperationUse.released(engine, u); // counted (and audited, if asked) before the plaintext leaves
          System.arraycopy(tmp, 0, output, outOffset, n);
          return n;
        } catch (AEADBadTagException e) {
          // not this version: try the next older one
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("GCM decryption failed in the key store: " + e.getMessage(), e);
        }
      }
    } finally {
      Arrays.fill(tmp, (byte) 0);
    }
    throw new AEADBadTagException(DecryptionVersions.noneVerified(engine, key.ref()));
  }

  /**
   * Encrypts a key's encoding (WRAP_MODE).
   *
   * @throws InvalidKeyException if the key has no encoding, or the lifecycle now refuses the KEK
   * @throws IllegalStateException if not initialised or already used (init again)
   */
  @Override
  protected byte[] engineWrap(Key k) throws IllegalBlockSizeException, InvalidKeyException {
    return EncodedKeyWrap.wrap(k, this::engineDoFinal);
  }

  /**
   * Decrypts and verifies a wrapped secret key (UNWRAP_MODE).
   *
   * @throws InvalidKeyException if the type is not {@code SECRET_KEY}, the integrity check fails
   *     (naming versions refused by their state, for a name), or the lifecycle now refuses the key
   */
  @Override
  protected Key engineUnwrap(byte[] wrapped, String algorithm, int type) throws InvalidKeyException,
      NoSuchAlgorithmException {
    if (type != Cipher.SECRET_KEY) {
      throw new InvalidKeyException("managed AES/GCM unwraps secret keys only");
    }
    try {
      byte[] k = engineDoFinal(wrapped, 0, wrapped.length);
      try {
        return new SecretKeySpec(k, algorithm);
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      String m = e.getMessage();
      throw new InvalidKeyException("the wrapped key failed its integrity check"
          + (m != null && m.startsWith("Tag mismatch: ") ? m.substring("Tag mismatch".length()) : ""), e);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof InvalidKeyException) {
        throw (InvalidKeyException) e.getCause();
      }
      throw e;
    }
  }
}
