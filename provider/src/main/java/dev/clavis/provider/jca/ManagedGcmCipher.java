package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyringException;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.engine.KeyringEngine;
import dev.clavis.keyring.store.KeyMaterial;
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
 * {@code AES/GCM/NoPadding} for managed keys (NIST SP 800-38D), enforcing the lifecycle at
 * {@code init}: encryption resolves a name to its primary (rotating it first when due) and counts
 * one use per init; decryption accepts any version that may still decrypt. Standard JCA GCM
 * otherwise: a random 12-byte IV when none is given, 128-bit tags by default, a
 * {@code GCMParameterSpec} to decrypt, and no second encryption under the same key and IV.
 *
 * <p>GCM output names no key version, so with a name-level handle decryption buffers the input
 * and tries the versions that may decrypt, newest first; the first whose tag verifies wins. A
 * {@code name#N} handle decrypts with that version only.
 */
public final class ManagedGcmCipher extends CipherSpi {

  private static final SecureRandom RANDOM = new SecureRandom();

  private int mode;
  private ManagedKey key;
  private byte[] iv;
  private int tagBits = 128;
  private KeyMaterial.AeadOperation op; // encrypt
  private List<KeyringEngine.Use> candidates; // decrypt
  private ByteArrayOutputStream aad;
  private ByteArrayOutputStream buffered;
  private boolean reinitRequired;
  private byte[] lastEncIv;
  private String lastEncKey;

  /** Creates an uninitialised cipher. */
  public ManagedGcmCipher() {}

  @Override
  protected void engineSetMode(String m) throws NoSuchAlgorithmException {
    if (!"GCM".equalsIgnoreCase(m)) {
      throw new NoSuchAlgorithmException("managed AES supports GCM only, not " + m);
    }
  }

  @Override
  protected void engineSetPadding(String p) throws NoSuchPaddingException {
    if (!"NoPadding".equalsIgnoreCase(p)) {
      throw new NoSuchPaddingException("GCM takes NoPadding, not " + p);
    }
  }

  @Override
  protected int engineGetBlockSize() {
    return 16;
  }

  @Override
  protected int engineGetOutputSize(int inputLen) {
    int pending = buffered == null ? 0 : buffered.size();
    return encrypting() ? inputLen + tagBits / 8 : Math.max(0, pending + inputLen - tagBits / 8);
  }

  @Override
  protected byte[] engineGetIV() {
    return iv == null ? null : iv.clone();
  }

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

  @Override
  protected int engineGetKeySize(Key k) throws InvalidKeyException {
    return ManagedKeys.managed(k, "AES/GCM").keyAlgorithm().bits();
  }

  private boolean encrypting() {
    return mode == Cipher.ENCRYPT_MODE || mode == Cipher.WRAP_MODE;
  }

  @Override
  protected void engineInit(int opmode, Key k, SecureRandom random) throws InvalidKeyException {
    try {
      engineInit(opmode, k, (AlgorithmParameterSpec) null, random);
    } catch (InvalidAlgorithmParameterException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

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

  @Override
  protected void engineInit(int opmode, Key k, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    ManagedKey mk = ManagedKeys.managed(k, "AES/GCM/NoPadding");
    if (!mk.keyAlgorithm().isAes()) {
      throw new InvalidKeyException("key " + mk.ref() + " is " + mk.keyAlgorithm() + ", not an AES key");
    }
    KeyringEngine engine = ManagedKeys.engine(mk);
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
    this.tagBits = tl;
    try {
      if (opmode == Cipher.ENCRYPT_MODE || opmode == Cipher.WRAP_MODE) {
        byte[] nonce;
        if (spec == null) {
          nonce = new byte[12];
          (random != null ? random : RANDOM).nextBytes(nonce);
        } else {
          nonce = spec.getIV();
          if (nonce.length == 0) {
            throw new InvalidAlgorithmParameterException("the GCM IV must not be empty");
          }
          if (lastEncIv != null && Arrays.equals(nonce, lastEncIv) && mk.ref().toString().equals(lastEncKey)) {
            throw new InvalidAlgorithmParameterException("Cannot reuse iv for GCM encryption");
          }
        }
        KeyringEngine.Use use = engine.protect(mk.ref(), 1);
        this.op = use.material().startGcm(true, nonce, tl);
        this.iv = nonce;
        this.lastEncIv = nonce.clone();
        this.lastEncKey = mk.ref().toString();
      } else if (opmode == Cipher.DECRYPT_MODE || opmode == Cipher.UNWRAP_MODE) {
        if (spec == null) {
          throw new InvalidAlgorithmParameterException("GCM decryption needs a GCMParameterSpec with the IV");
        }
        byte[] nonce = spec.getIV();
        if (nonce.length == 0) {
          // refused here: at doFinal it would escape as an IllegalStateException
          throw new InvalidAlgorithmParameterException("the GCM IV must not be empty");
        }
        this.candidates = engine.unprotectCandidates(mk.ref());
        this.iv = nonce;
        this.buffered = new ByteArrayOutputStream();
      } else {
        throw new InvalidAlgorithmParameterException("unknown cipher mode " + opmode);
      }
      this.aad = new ByteArrayOutputStream();
    } catch (KeyringException e) {
      reset();
      throw ManagedKeys.invalid(e);
    } catch (InvalidAlgorithmParameterException e) {
      reset();
      throw e;
    } catch (GeneralSecurityException e) {
      reset();
      throw new InvalidKeyException("the key store could not start GCM for " + mk.ref() + ": " + e.getMessage(), e);
    }
  }

  private void reset() {
    op = null;
    candidates = null;
    buffered = null;
    aad = null;
    iv = null;
    reinitRequired = false;
  }

  private void checkReady() {
    if (key == null || (op == null && candidates == null)) {
      throw new IllegalStateException("Cipher not initialized");
    }
    if (reinitRequired) {
      throw new IllegalStateException("Must use either different key or iv for GCM encryption");
    }
  }

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
        return op.doFinal(input, offset, len, output, outOffset);
      } catch (ShortBufferException e) {
        throw e;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("GCM encryption failed: " + e.getMessage(), e);
      } finally {
        // SunJCE refuses a second encryption with the same key and IV; so do we
        op = null;
        candidates = null;
        reinitRequired = true;
      }
    }
    buffered.write(input, offset, len);
    byte[] all = buffered.toByteArray();
    byte[] a = aad.toByteArray();
    buffered.reset();
    aad.reset();
    try {
      return decryptWithCandidates(all, a, output, outOffset);
    } finally {
      Arrays.fill(all, (byte) 0);
    }
  }

  private int decryptWithCandidates(byte[] ct, byte[] a, byte[] output, int outOffset) throws AEADBadTagException {
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
    throw new AEADBadTagException("Tag mismatch");
  }

  @Override
  protected byte[] engineWrap(Key k) throws IllegalBlockSizeException, InvalidKeyException {
    byte[] enc = k.getEncoded();
    if (enc == null) {
      throw new InvalidKeyException("the key to wrap has no encoding (is it a non-exportable managed key?)");
    }
    try {
      return engineDoFinal(enc, 0, enc.length);
    } catch (BadPaddingException e) {
      throw new IllegalStateException(e);
    } finally {
      Arrays.fill(enc, (byte) 0);
    }
  }

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
      throw new InvalidKeyException("the wrapped key failed its integrity check", e);
    }
  }
}
