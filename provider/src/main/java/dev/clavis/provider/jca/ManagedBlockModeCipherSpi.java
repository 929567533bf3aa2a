package dev.clavis.provider.jca;

import dev.clavis.keyring.KeyRef;
import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.keyring.spi.BlockModeOperation;
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
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code AES/CBC/PKCS5Padding} and {@code AES/CTR/NoPadding} (NIST SP 800-38A) for managed keys,
 * so data made under a key before it was migrated from PKCS12 or JCEKS still opens.
 *
 * <p><b>Decryption</b> follows the decrypt column of the state table, checked at {@code init}, at
 * the start of each operation and again at its {@code doFinal}. These modes carry no tag that
 * could tell which version made a ciphertext, so a name decrypts only while exactly one of its
 * versions may decrypt; otherwise the handle must name the version ({@code name#N}).
 *
 * <p><b>Encryption</b> needs the key's policy switch ({@link LegacyEncryptionPolicy}, off by
 * default) and the encrypt column of the state table; one use is counted per encryption, as for
 * GCM. Clavis draws the 16-byte IV (CBC) or initial counter block (CTR) from its own
 * {@code SecureRandom}: a caller's IV is refused in {@code ENCRYPT_MODE}, since a repeated CTR
 * counter block gives away the XOR of two plaintexts and a predictable CBC IV allows chosen
 * plaintext attacks. One encryption per {@code init}: the next needs a new {@code init}, which
 * draws a new IV.
 *
 * <p>A refusal after {@code init} is an {@link IllegalStateException} caused by the
 * {@link InvalidKeyException} naming key, version and state.
 */
public class ManagedBlockModeCipherSpi extends CipherSpi {

  private static final SecureRandom IVS = new SecureRandom();
  private static final int BLOCK = 16;

  private final BlockModeOperation.Mode blockMode;
  private int opmode;
  private ManagedKey key;
  private byte[] iv;
  private PerOperationUse uses;
  private KeyringEngine.Use use;
  private BlockModeOperation op;
  /** Whether the operation in progress has been granted (false after doFinal). */
  private boolean started;
  private boolean reinitRequired;

  /** @param blockMode the mode this cipher implements */
  ManagedBlockModeCipherSpi(BlockModeOperation.Mode blockMode) {
    this.blockMode = blockMode;
  }

  /** {@code AES/CBC/PKCS5Padding} for managed keys. */
  public static final class Cbc extends ManagedBlockModeCipherSpi {
    /** Creates an uninitialised cipher. */
    public Cbc() {
      super(BlockModeOperation.Mode.CBC_PKCS5);
    }
  }

  /** {@code AES/CTR/NoPadding} for managed keys. */
  public static final class Ctr extends ManagedBlockModeCipherSpi {
    /** Creates an uninitialised cipher. */
    public Ctr() {
      super(BlockModeOperation.Mode.CTR);
    }
  }

  private String transformation() {
    return blockMode.transformation();
  }

  /**
   * Accepts this class's mode only.
   *
   * @throws NoSuchAlgorithmException for any other mode
   */
  @Override
  protected void engineSetMode(String m) throws NoSuchAlgorithmException {
    String want = blockMode == BlockModeOperation.Mode.CTR ? "CTR" : "CBC";
    if (!want.equalsIgnoreCase(m)) {
      throw new NoSuchAlgorithmException(transformation() + " does not do mode " + m);
    }
  }

  /**
   * Accepts this class's padding only.
   *
   * @throws NoSuchPaddingException for any other padding
   */
  @Override
  protected void engineSetPadding(String p) throws NoSuchPaddingException {
    String want = blockMode == BlockModeOperation.Mode.CTR ? "NoPadding" : "PKCS5Padding";
    if (!want.equalsIgnoreCase(p)) {
      throw new NoSuchPaddingException(transformation() + " does not do padding " + p);
    }
  }

  /** @return 16, the AES block size */
  @Override
  protected int engineGetBlockSize() {
    return BLOCK;
  }

  /** @return the output an update or doFinal of {@code inputLen} more bytes may need */
  @Override
  protected int engineGetOutputSize(int inputLen) {
    return op != null ? op.outputSize(inputLen) : inputLen + BLOCK;
  }

  /** @return a copy of the IV Clavis drew (encryption) or was given (decryption); null before init */
  @Override
  protected byte[] engineGetIV() {
    return iv == null ? null : iv.clone();
  }

  /**
   * @return {@code AES} parameters holding the IV; null before init
   * @throws IllegalStateException if the JDK has no AES {@code AlgorithmParameters}
   */
  @Override
  protected AlgorithmParameters engineGetParameters() {
    if (iv == null) {
      return null;
    }
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("AES");
      p.init(new IvParameterSpec(iv));
      return p;
    } catch (NoSuchAlgorithmException | InvalidParameterSpecException e) {
      throw new IllegalStateException("the JDK has no AES parameters", e);
    }
  }

  /**
   * @return the key size in bits
   * @throws InvalidKeyException if the key is not a live managed handle
   */
  @Override
  protected int engineGetKeySize(Key k) throws InvalidKeyException {
    return ManagedKeys.managed(k, transformation()).keyAlgorithm().bits();
  }

  /**
   * Initialises without parameters: encryption only (Clavis draws the IV).
   *
   * @param random not used: Clavis draws IVs from its own {@code SecureRandom}
   * @throws InvalidKeyException if the key is refused (see the three-argument form), or in
   *     {@code DECRYPT_MODE}, which needs the IV
   */
  @Override
  protected void engineInit(int mode, Key k, SecureRandom random) throws InvalidKeyException {
    try {
      engineInit(mode, k, (AlgorithmParameterSpec) null, random);
    } catch (InvalidAlgorithmParameterException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  /**
   * Initialises with {@code AES} parameters holding the IV, for decryption.
   *
   * @throws InvalidKeyException as the three-argument form
   * @throws InvalidAlgorithmParameterException if the parameters hold no IV, or are given to encrypt
   */
  @Override
  protected void engineInit(int mode, Key k, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    IvParameterSpec spec = null;
    if (params != null) {
      try {
        spec = params.getParameterSpec(IvParameterSpec.class);
      } catch (InvalidParameterSpecException e) {
        throw new InvalidAlgorithmParameterException(transformation() + " needs IV parameters", e);
      }
    }
    engineInit(mode, k, spec, random);
  }

  /**
   * Initialises: to encrypt without parameters (Clavis draws the IV and counts one use), to
   * decrypt with an {@code IvParameterSpec} of 16 bytes.
   *
   * @param random not used: Clavis draws IVs from its own {@code SecureRandom}
   * @throws InvalidKeyException if the key is not a live managed AES handle; if the lifecycle
   *     refuses it (naming key, version and state); to encrypt, if the key's policy keeps the
   *     legacy modes to decryption; to decrypt with a name, if more than one version may decrypt
   * @throws InvalidAlgorithmParameterException if parameters are given to encrypt, are not a
   *     16-byte {@code IvParameterSpec}, or are missing to decrypt
   */
  @Override
  protected void engineInit(int mode, Key k, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    ManagedKey mk = ManagedKeys.managed(k, transformation());
    if (!mk.keyAlgorithm().isAes()) {
      throw new InvalidKeyException("key " + mk.ref() + " is " + mk.keyAlgorithm() + ", not an AES key");
    }
    KeyringEngine eng = ManagedKeys.engine(mk);
    boolean enc = mode == Cipher.ENCRYPT_MODE || mode == Cipher.WRAP_MODE;
    boolean dec = mode == Cipher.DECRYPT_MODE || mode == Cipher.UNWRAP_MODE;
    if (!enc && !dec) {
      throw new InvalidAlgorithmParameterException("unknown cipher mode " + mode);
    }
    if (enc && params != null) {
      throw new InvalidAlgorithmParameterException("Clavis draws the IV for managed key " + mk.ref() + ": init "
          + "ENCRYPT_MODE without parameters and read getIV() (a repeated " + transformation() + " IV leaks plaintext)");
    }
    byte[] nonce;
    if (dec) {
      if (!(params instanceof IvParameterSpec)) {
        throw new InvalidAlgorithmParameterException(transformation() + " decryption needs an IvParameterSpec, got "
            + (params == null ? "none" : params.getClass().getName()));
      }
      nonce = ((IvParameterSpec) params).getIV();
      if (nonce.length != BLOCK) {
        throw new InvalidAlgorithmParameterException(transformation() + " takes a 16-byte IV, got " + nonce.length);
      }
      requireOneVersion(eng, mk.ref());
    } else {
      LegacyEncryptionPolicy.requireEncryptionAllowed(eng, mk.ref(), transformation());
      nonce = new byte[BLOCK];
      IVS.nextBytes(nonce);
    }
    PerOperationUse u = new PerOperationUse(mk, enc ? PerOperationUse.Purpose.PROTECT : PerOperationUse.Purpose.UNPROTECT);
    KeyringEngine.Use granted = u.begin();
    BlockModeOperation o = start(granted, enc, nonce);
    if (!enc) {
      released(u, granted);
    }
    this.opmode = mode;
    this.key = mk;
    this.iv = nonce;
    this.uses = u;
    this.use = granted;
    this.op = o;
    this.started = true;
    this.reinitRequired = false;
  }

  /**
   * CBC and CTR release plaintext from the first update, so a decryption is counted (and, when
   * decryptions are audited, recorded) when it starts; a failed record starts nothing.
   *
   * @throws InvalidKeyException if the audit record cannot be written
   */
  private static void released(PerOperationUse uses, KeyringEngine.Use u) throws InvalidKeyException {
    try {
      uses.released(u);
    } catch (IllegalStateException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  /** CBC and CTR have no tag to pick a version by: a name must have only one that may decrypt. */
  private static void requireOneVersion(KeyringEngine eng, KeyRef ref) throws InvalidKeyException {
    if (ref.version().isPresent()) {
      return;
    }
    List<KeyringEngine.Use> c = DecryptionVersions.candidates(eng, ref);
    if (c.size() > 1) {
      StringBuilder vs = new StringBuilder();
      for (KeyringEngine.Use u : c) {
        vs.append(vs.length() == 0 ? "" : ", ").append(u.version());
      }
      throw new InvalidKeyException("key " + ref + " has " + c.size() + " versions that may decrypt (" + vs
          + ") and these legacy modes have no integrity check to tell which one made the data: decrypt with a"
          + " handle to the version, " + ref.name() + "#N");
    }
  }

  private BlockModeOperation start(KeyringEngine.Use u, boolean encrypt, byte[] nonce) throws InvalidKeyException {
    try {
      return u.material().startBlockMode(blockMode, encrypt, nonce);
    } catch (UnsupportedOperationException e) {
      throw new InvalidKeyException("the key store of " + u.version() + " does not offer " + transformation()
          + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("the key store could not start " + transformation() + " for " + u.version()
          + ": " + e.getMessage(), e);
    }
  }

  private boolean encrypting() {
    return opmode == Cipher.ENCRYPT_MODE || opmode == Cipher.WRAP_MODE;
  }

  /** Grants the operation about to start: the one init paid for, or (decryption) a re-checked next one. */
  private void ensureStarted() {
    if (reinitRequired) {
      throw new IllegalStateException("one encryption per init for managed " + transformation()
          + ": init again (Clavis draws a new IV)");
    }
    if (uses == null) {
      throw new IllegalStateException("Cipher not initialized");
    }
    if (started) {
      return;
    }
    try {
      KeyringEngine.Use u = uses.next(use);
      op = start(u, false, iv); // only decryption gets here: encryption needs a new init
      use = u;
      started = true;
      released(uses, u);
    } catch (InvalidKeyException e) {
      throw PerOperationUse.refusedNow(e);
    }
  }

  /**
   * Processes more input.
   *
   * @throws IllegalStateException if not initialised, already finished (encryption), or the
   *     lifecycle now refuses the key
   */
  @Override
  protected byte[] engineUpdate(byte[] input, int offset, int len) {
    ensureStarted();
    return op.update(input, offset, len);
  }

  /**
   * As {@link #engineUpdate(byte[], int, int)}, into {@code output}.
   *
   * @throws ShortBufferException if {@code output} is too short
   * @throws IllegalStateException as the other form
   */
  @Override
  protected int engineUpdate(byte[] input, int offset, int len, byte[] output, int outOffset)
      throws ShortBufferException {
    ensureStarted();
    if (output.length - outOffset < op.outputSize(len)) {
      throw new ShortBufferException(transformation() + " needs " + op.outputSize(len) + " bytes of output space");
    }
    byte[] out = op.update(input, offset, len);
    System.arraycopy(out, 0, output, outOffset, out.length);
    Arrays.fill(out, (byte) 0);
    return out.length;
  }

  /**
   * Checks the lifecycle again and ends the operation.
   *
   * @throws BadPaddingException if CBC decryption finds bad padding
   * @throws IllegalBlockSizeException if CBC decryption input is not whole blocks
   * @throws IllegalStateException if not initialised, already finished (encryption), or the
   *     lifecycle (or, to encrypt, the policy) now refuses the key; caused by the
   *     {@link InvalidKeyException} naming key, version and state
   */
  @Override
  protected byte[] engineDoFinal(byte[] input, int offset, int len) throws IllegalBlockSizeException,
      BadPaddingException {
    ensureStarted();
    started = false;
    uses.spend();
    BlockModeOperation o = op;
    op = null;
    if (encrypting()) {
      reinitRequired = true;
    }
    try {
      uses.recheck(use);
      if (encrypting()) {
        LegacyEncryptionPolicy.requireEncryptionAllowed(ManagedKeys.engine(key), key.ref(), transformation());
      }
    } catch (InvalidKeyException e) {
      throw PerOperationUse.refusedNow(e);
    }
    try {
      return o.doFinal(input == null ? new byte[0] : input, input == null ? 0 : offset, input == null ? 0 : len);
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(transformation() + " failed in the key store: " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #engineDoFinal(byte[], int, int)}, into {@code output}.
   *
   * @throws ShortBufferException if {@code output} is too short (the operation is then over)
   * @throws BadPaddingException if CBC decryption finds bad padding
   * @throws IllegalBlockSizeException if CBC decryption input is not whole blocks
   * @throws IllegalStateException as the other form
   */
  @Override
  protected int engineDoFinal(byte[] input, int offset, int len, byte[] output, int outOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    if (op != null && output.length - outOffset < op.outputSize(len)) {
      throw new ShortBufferException(transformation() + " needs " + op.outputSize(len) + " bytes of output space");
    }
    byte[] out = engineDoFinal(input, offset, len);
    try {
      if (output.length - outOffset < out.length) {
        throw new ShortBufferException(transformation() + " needs " + out.length + " bytes of output space");
      }
      System.arraycopy(out, 0, output, outOffset, out.length);
      return out.length;
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * Encrypts a key's encoding (WRAP_MODE).
   *
   * @throws InvalidKeyException if the key has no encoding, or the lifecycle or policy now refuses the KEK
   * @throws IllegalBlockSizeException never for these modes
   */
  @Override
  protected byte[] engineWrap(Key k) throws IllegalBlockSizeException, InvalidKeyException {
    return EncodedKeyWrap.wrap(k, this::engineDoFinal);
  }

  /**
   * Decrypts a wrapped secret key (UNWRAP_MODE). CBC padding is no integrity check: a wrong key
   * passes it about once in 256 tries.
   *
   * @throws InvalidKeyException if the type is not {@code SECRET_KEY}, the padding is bad, or the
   *     lifecycle now refuses the KEK
   */
  @Override
  protected Key engineUnwrap(byte[] wrapped, String algorithm, int type) throws InvalidKeyException,
      NoSuchAlgorithmException {
    if (type != Cipher.SECRET_KEY) {
      throw new InvalidKeyException("managed " + transformation() + " unwraps secret keys only");
    }
    try {
      byte[] k = engineDoFinal(wrapped, 0, wrapped.length);
      try {
        return new SecretKeySpec(k, algorithm);
      } finally {
        Arrays.fill(k, (byte) 0);
      }
    } catch (BadPaddingException | IllegalBlockSizeException e) {
      throw new InvalidKeyException("the wrapped key does not decrypt to a padded key under " + key.ref(), e);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof InvalidKeyException) {
        throw (InvalidKeyException) e.getCause();
      }
      throw e;
    }
  }
}
