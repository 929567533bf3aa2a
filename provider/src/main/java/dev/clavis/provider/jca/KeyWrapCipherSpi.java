package dev.clavis.provider.jca;

import dev.clavis.keyring.ManagedKey;
import dev.clavis.keyring.lifecycle.KeyringEngine;
import dev.clavis.spec.UnwrapToTokenSpec;

import dev.clavis.engine.kw.BlockCipher128;
import dev.clavis.engine.kw.IntegrityCheckException;
import dev.clavis.engine.kw.JdkAesBlock;
import dev.clavis.engine.kw.KeyWrap;
import dev.clavis.engine.kw.KeyWrapPadded;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.InvalidParameterSpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * JCA plumbing for AES Key Wrap, {@code AES/KW/NoPadding} (RFC 3394), and AES Key Wrap with
 * Padding, {@code AES/KWP/NoPadding} (RFC 5649). The algorithms live in {@link KeyWrap} and
 * {@link KeyWrapPadded}; this class maps modes, keys, parameters and errors.
 *
 * <ul>
 *   <li>{@code WRAP_MODE}/{@code UNWRAP_MODE} wrap secret, private and public keys by their
 *       encoding; {@code ENCRYPT_MODE}/{@code DECRYPT_MODE} take bytes, buffered until
 *       {@code doFinal} (the whole input is needed before any output is safe).
 *   <li>A custom initial value comes as an {@link IvParameterSpec}: any 8 bytes for KW (RFC 3394
 *       §2.2.3.2); for KWP only the 4-byte AIV constant A65959A6, since RFC 5649 §3 defines no other.
 *   <li>A failed integrity check is a {@link BadPaddingException}, or an {@link InvalidKeyException}
 *       from {@code unwrap}, with the one message "integrity check failed".
 *   <li>The fixed-size subclasses serve the OID names, each of which fixes the KEK size.
 *   <li>A managed KEK ({@link ManagedKey}) is checked and counted per operation, not per init:
 *       every {@code wrap}, {@code unwrap} and {@code doFinal} asks its keyring again (the
 *       cached-state fast path), so a usage limit of N allows N wraps and a revoked or suspended
 *       KEK wraps and unwraps nothing more; on such a refusal the Cipher wipes its copy of the
 *       KEK bytes at once.
 *   <li>A managed KEK whose material cannot leave its backend (a token) gives this class no bytes:
 *       every operation is the backend's ({@link BackendKeyWrap}: on the token, with RFC output
 *       for every length), after the same per-operation check; only the default initial value is
 *       accepted then, and an {@link UnwrapToTokenSpec} makes {@code unwrap} leave the key on the
 *       token (see {@code docs/token-key-wrap.md}).
 * </ul>
 *
 * <p>Why this class is over 400 lines: it is one JCA {@code CipherSpi} with four modes (wrap, unwrap,
 * encrypt, decrypt), each with its {@code engine*} overloads over one per-init state (IV, KEK copy,
 * the thread's keyed AES, the managed KEK's per-operation check, the buffered input), plus the eight
 * fixed-size subclasses the OID names need. The algorithms are {@link KeyWrap}'s and
 * {@link KeyWrapPadded}'s, the managed KEK's counting {@link PerOperationUse}'s and the AES key
 * schedules {@link AesBlockCache}'s; what is left shares that state, and a split would pass it
 * around. A candidate for a later split: the KEK binding (KEK copy, token, slot, re-keying).
 */
public abstract class KeyWrapCipherSpi extends CipherSpi {

  private static final int SEMIBLOCK = 8;
  private static final byte[] EMPTY = new byte[0];
  /** RFC 3394 §2.2.3.1. Never handed out: callers get clones. */
  private static final byte[] KW_DEFAULT_IV = {
    (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6
  };
  /** RFC 5649 §3, the AIV constant. Never handed out: callers get clones. */
  private static final byte[] KWP_AIV = {(byte) 0xA6, (byte) 0x59, (byte) 0x59, (byte) 0xA6};

  /** {@code AES/KW/NoPadding}, {@code AESWrap}, {@code AESKW}: any AES KEK size. */
  public static final class Kw extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kw(AesBlockCache cache) {
      super(cache, false, 0, "AES/KW/NoPadding");
    }
  }

  /** {@code AES_128/KW/NoPadding}, OID 2.16.840.1.101.3.4.1.5: 128-bit KEK only. */
  public static final class Kw128 extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kw128(AesBlockCache cache) {
      super(cache, false, 16, "AES_128/KW/NoPadding");
    }
  }

  /** {@code AES_192/KW/NoPadding}, OID 2.16.840.1.101.3.4.1.25: 192-bit KEK only. */
  public static final class Kw192 extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kw192(AesBlockCache cache) {
      super(cache, false, 24, "AES_192/KW/NoPadding");
    }
  }

  /** {@code AES_256/KW/NoPadding}, OID 2.16.840.1.101.3.4.1.45: 256-bit KEK only. */
  public static final class Kw256 extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kw256(AesBlockCache cache) {
      super(cache, false, 32, "AES_256/KW/NoPadding");
    }
  }

  /** {@code AES/KWP/NoPadding}, {@code AESWrapPad}, {@code AESKWP}: any AES KEK size. */
  public static final class Kwp extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kwp(AesBlockCache cache) {
      super(cache, true, 0, "AES/KWP/NoPadding");
    }
  }

  /** {@code AES_128/KWP/NoPadding}, OID 2.16.840.1.101.3.4.1.8: 128-bit KEK only. */
  public static final class Kwp128 extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kwp128(AesBlockCache cache) {
      super(cache, true, 16, "AES_128/KWP/NoPadding");
    }
  }

  /** {@code AES_192/KWP/NoPadding}, OID 2.16.840.1.101.3.4.1.28: 192-bit KEK only. */
  public static final class Kwp192 extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kwp192(AesBlockCache cache) {
      super(cache, true, 24, "AES_192/KWP/NoPadding");
    }
  }

  /** {@code AES_256/KWP/NoPadding}, OID 2.16.840.1.101.3.4.1.48: 256-bit KEK only. */
  public static final class Kwp256 extends KeyWrapCipherSpi {
    /** @param cache the provider's AES block cache */
    public Kwp256(AesBlockCache cache) {
      super(cache, true, 32, "AES_256/KWP/NoPadding");
    }
  }

  private final AesBlockCache cache;
  private final boolean padded;
  /** KEK size in bytes fixed by an OID name, 0 when any AES size is accepted. */
  private final int fixedKekBytes;
  private final String name;

  /** 0 until the first successful init. */
  private int opmode;
  private boolean decrypting;
  /** The IV in use: 8 bytes for KW, the 4-byte AIV constant for KWP; null before init. */
  private byte[] iv;
  private long kwIv;
  private int kwpAiv;
  /**
   * This instance's copy of the KEK, kept to re-key should the thread's shared AES move on;
   * replaced and wiped by the next init (a SunJCE cipher likewise keeps its key while it lives).
   */
  private byte[] kek;
  /** Stamps the thread's AES binding made by the last init. */
  private Object token;
  private AesBlockCache.Slot slot;
  /** A private AES block function, made only if the shared one was lost. */
  private JdkAesBlock own;

  /**
   * True when the managed KEK's material cannot leave its backend (a token): every wrap and
   * unwrap is then the backend's own operation ({@link BackendKeyWrap}) and {@link #kek} is null.
   */
  private boolean onBackend;
  /** Set by an {@link UnwrapToTokenSpec}: unwrap returns a handle to a key left on the token. */
  private boolean unwrapToBackend;

  /** For a managed KEK: its per-operation lifecycle check and count; null for a plain key. */
  private PerOperationUse managedUses;
  /** The use the KEK bytes in {@link #kek} came from. */
  private KeyringEngine.Use managedUse;
  /** Set by {@link #kekBytes} for a managed KEK, taken over by init. */
  private PerOperationUse pendingUses;
  private KeyringEngine.Use pendingUse;

  /** Input buffered by update in ENCRYPT/DECRYPT mode. */
  private byte[] buf = EMPTY;
  private int bufLen;

  private KeyWrapCipherSpi(AesBlockCache cache, boolean padded, int fixedKekBytes, String name) {
    this.cache = cache;
    this.padded = padded;
    this.fixedKekBytes = fixedKekBytes;
    this.name = name;
  }

  // ---------------------------------------------------------------- mode, padding, sizes

  /**
   * Accepts only this cipher's own mode name.
   *
   * @throws NoSuchAlgorithmException for any other mode
   */
  @Override
  protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
    String ownMode = padded ? "KWP" : "KW";
    if (mode == null || !ownMode.equals(mode.toUpperCase(Locale.ROOT))) {
      throw new NoSuchAlgorithmException(name + " supports only mode " + ownMode + ", not " + mode);
    }
  }

  /**
   * Accepts only {@code NoPadding}: KWP pads by itself, KW takes whole semiblocks.
   *
   * @throws NoSuchPaddingException for any other padding
   */
  @Override
  protected void engineSetPadding(String padding) throws NoSuchPaddingException {
    if (padding == null || !"NOPADDING".equals(padding.toUpperCase(Locale.ROOT))) {
      throw new NoSuchPaddingException(
          name + " supports only NoPadding, not " + padding
              + (padded ? "" : " (use AES/KWP/NoPadding for lengths that are not a multiple of 8)"));
    }
  }

  /** Returns 8, the semiblock size of RFC 3394 §2. */
  @Override
  protected int engineGetBlockSize() {
    return SEMIBLOCK;
  }

  /**
   * Returns the exact output length for wrapping and encryption and for KW unwrapping; for KWP
   * unwrapping, an upper bound at most 7 bytes too large (the true length is in the integrity
   * block, known only after the check).
   */
  @Override
  protected int engineGetOutputSize(int inputLen) {
    long total = (long) bufLen + Math.max(inputLen, 0);
    long size;
    if (decrypting) {
      size = Math.max(0, total - SEMIBLOCK);
    } else if (padded) {
      size = (total + SEMIBLOCK - 1) / SEMIBLOCK * SEMIBLOCK + SEMIBLOCK;
    } else {
      size = total + SEMIBLOCK;
    }
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  /** Returns the initial value in use (the default if none was given), or null before init. */
  @Override
  protected byte[] engineGetIV() {
    return iv == null ? null : iv.clone();
  }

  /**
   * Returns {@code AES} parameters holding the initial value in use, or the default one before
   * init.
   *
   * @throws ProviderException if the JDK offers no AES {@code AlgorithmParameters}
   */
  @Override
  protected AlgorithmParameters engineGetParameters() {
    byte[] value = iv != null ? iv : defaultIv();
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("AES");
      params.init(new IvParameterSpec(value)); // IvParameterSpec copies
      return params;
    } catch (NoSuchAlgorithmException | InvalidParameterSpecException e) {
      throw new ProviderException("cannot encode the " + name + " initial value as AES parameters", e);
    }
  }

  /**
   * Returns the KEK size in bits.
   *
   * @throws InvalidKeyException if the key is not a KEK this cipher accepts
   */
  @Override
  protected int engineGetKeySize(Key key) throws InvalidKeyException {
    if (key instanceof ManagedKey) {
      // its size, without taking (and counting) a use of it
      return ManagedKeys.managed(key, name).keyAlgorithm().bits();
    }
    byte[] bytes = kekBytes(key, Cipher.WRAP_MODE);
    Arrays.fill(bytes, (byte) 0);
    return bytes.length * 8;
  }

  // ---------------------------------------------------------------- init

  /**
   * Initialises with the default initial value.
   *
   * @throws InvalidKeyException if the key is not an AES KEK of a size this cipher accepts
   */
  @Override
  protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
    try {
      init(opmode, key, null);
    } catch (InvalidAlgorithmParameterException e) {
      throw new ProviderException("the default initial value was refused", e); // cannot happen
    }
  }

  /**
   * Initialises with an optional {@link IvParameterSpec}.
   *
   * @throws InvalidKeyException if the key is not an AES KEK of a size this cipher accepts
   * @throws InvalidAlgorithmParameterException if {@code params} is not an
   *     {@code IvParameterSpec} or holds an initial value RFC 3394/5649 does not allow
   */
  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    if (params instanceof UnwrapToTokenSpec) {
      init(opmode, key, null, true);
      return;
    }
    if (params != null && !(params instanceof IvParameterSpec)) {
      throw new InvalidAlgorithmParameterException(
          name + " takes only an IvParameterSpec, got " + params.getClass().getName());
    }
    init(opmode, key, params == null ? null : ((IvParameterSpec) params).getIV());
  }

  /**
   * Initialises with optional parameters holding an initial value.
   *
   * @throws InvalidKeyException if the key is not an AES KEK of a size this cipher accepts
   * @throws InvalidAlgorithmParameterException if the parameters hold no allowed initial value
   */
  @Override
  protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    byte[] value = null;
    if (params != null) {
      try {
        value = params.getParameterSpec(IvParameterSpec.class).getIV();
      } catch (InvalidParameterSpecException e) {
        throw new InvalidAlgorithmParameterException(
            name + " takes parameters holding an IvParameterSpec; these ("
                + params.getAlgorithm() + ") hold none", e);
      }
    }
    init(opmode, key, value);
  }

  private void init(int mode, Key key, byte[] ivOrNull)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    init(mode, key, ivOrNull, false);
  }

  private void init(int mode, Key key, byte[] ivOrNull, boolean toToken)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    byte[] newIv = checkIv(ivOrNull);
    pendingUses = null;
    pendingUse = null;
    byte[] newKek = kekBytes(key, mode);
    if (toToken && (mode != Cipher.UNWRAP_MODE || newKek != null)) {
      if (newKek != null) {
        Arrays.fill(newKek, (byte) 0);
      }
      pendingUses = null;
      pendingUse = null;
      throw new InvalidAlgorithmParameterException(
          name + ": an UnwrapToTokenSpec needs UNWRAP_MODE and a KEK held on a token (a managed handle of"
              + " a ClavisPKCS11 key store)");
    }
    if (newKek == null && newIv != defaultIv() && !Arrays.equals(newIv, defaultIv())) {
      pendingUses = null;
      pendingUse = null;
      throw new InvalidAlgorithmParameterException(
          name + " with a KEK held on a token takes only the default initial value (the token's"
              + " mechanisms and the RFC computation over its AES-ECB use RFC 3394 §2.2.3.1's)");
    }
    // From here on the new state replaces the old one.
    reset();
    wipeKek();
    own = null;
    opmode = 0;
    kek = newKek;
    onBackend = newKek == null;
    unwrapToBackend = toToken;
    managedUses = pendingUses;
    managedUse = pendingUse;
    pendingUses = null;
    pendingUse = null;
    iv = newIv;
    if (padded) {
      kwpAiv = ((newIv[0] & 0xFF) << 24) | ((newIv[1] & 0xFF) << 16) | ((newIv[2] & 0xFF) << 8)
          | (newIv[3] & 0xFF);
    } else {
      long v = 0;
      for (byte b : newIv) {
        v = (v << 8) | (b & 0xFF);
      }
      kwIv = v;
    }
    decrypting = mode == Cipher.DECRYPT_MODE || mode == Cipher.UNWRAP_MODE;
    token = new Object();
    // One key schedule per init: the thread's AES is keyed now, not per operation.
    slot = onBackend ? null : cache.bind(kek, decrypting, token);
    opmode = mode;
  }

  /**
   * The one place the KEK's bytes are obtained and checked. Returns a copy that the caller owns
   * and must wipe. A managed KEK ({@link ManagedKey}) is resolved by its keyring, which checks
   * its lifecycle for {@code opmode} (wrap and encrypt protect; unwrap and decrypt unprotect) and
   * counts the use that pays for the first operation; the per-operation check is left in
   * {@code pendingUses} for init to take over. Wrapping uses the version the handle resolves to
   * for protection (a name's primary, rotating first when due); unwrapping the exact version, or
   * for a name its newest version that may still unwrap (RFC 3394 output names no version: use
   * {@code name#N} for data wrapped under an older one).
   *
   * @param key the KEK passed to init
   * @param opmode the Cipher mode it is for
   * @return the raw KEK bytes, 16, 24 or 32 of them (the size an OID name fixes, if any); null
   *     for a managed KEK whose material cannot leave its backend (a token)
   * @throws InvalidKeyException if the key is null, not an AES secret key, has no raw encoding or
   *     has the wrong size
   */
  byte[] kekBytes(Key key, int opmode) throws InvalidKeyException {
    if (key == null) {
      throw new InvalidKeyException(name + " needs a KEK, got null");
    }
    if (!(key instanceof SecretKey)) {
      throw new InvalidKeyException(
          name + " needs an AES SecretKey as KEK, got a " + key.getClass().getName());
    }
    if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
      throw new InvalidKeyException(
          name + " needs an AES KEK, got a key of algorithm " + key.getAlgorithm());
    }
    if (key instanceof ManagedKey) {
      byte[] bytes = managedKek((ManagedKey) key, opmode);
      // null: the material stays in its backend, which wraps and unwraps itself
      return bytes == null ? null : checkedKek(bytes);
    }
    return checkedKek(key.getEncoded());
  }

  private byte[] managedKek(ManagedKey mk, int opmode) throws InvalidKeyException {
    ManagedKeys.managed(mk, name);
    if (!mk.keyAlgorithm().isAes()) {
      throw new InvalidKeyException("key " + mk.ref() + " is " + mk.keyAlgorithm() + ", not an AES KEK");
    }
    boolean wrapping = opmode == Cipher.WRAP_MODE || opmode == Cipher.ENCRYPT_MODE;
    PerOperationUse u = new PerOperationUse(mk,
        wrapping ? PerOperationUse.Purpose.PROTECT : PerOperationUse.Purpose.UNPROTECT);
    if (fixedKekBytes != 0 && mk.keyAlgorithm().bits() != fixedKekBytes * 8) {
      throw new InvalidKeyException(
          name + " needs a " + fixedKekBytes * 8 + "-bit KEK, " + mk.ref() + " is "
              + mk.keyAlgorithm().bits() + "-bit (use " + (padded ? "AES/KWP/NoPadding" : "AES/KW/NoPadding")
              + " for any KEK size)");
    }
    KeyringEngine.Use first = u.begin();
    byte[] raw;
    try {
      raw = first.material().rawForInProcessCrypto();
    } catch (UnsupportedOperationException e) {
      raw = null; // a token KEK: its backend wraps and unwraps
    }
    pendingUses = u;
    pendingUse = first;
    return raw;
  }

  private static byte[] raw(KeyringEngine.Use u) throws InvalidKeyException {
    try {
      return u.material().rawForInProcessCrypto();
    } catch (UnsupportedOperationException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  private byte[] checkedKek(byte[] bytes) throws InvalidKeyException {
    if (bytes == null) {
      throw new InvalidKeyException(
          name + " needs a KEK whose raw bytes are available; this key's getEncoded() is null");
    }
    int n = bytes.length;
    if (n != 16 && n != 24 && n != 32) {
      Arrays.fill(bytes, (byte) 0);
      throw new InvalidKeyException(
          name + " needs a 128-, 192- or 256-bit AES KEK, got " + n + " bytes");
    }
    if (fixedKekBytes != 0 && n != fixedKekBytes) {
      Arrays.fill(bytes, (byte) 0);
      throw new InvalidKeyException(
          name + " needs a " + fixedKekBytes * 8 + "-bit KEK, got a " + n * 8
              + "-bit one (use " + (padded ? "AES/KWP/NoPadding" : "AES/KW/NoPadding")
              + " for any KEK size)");
    }
    return bytes;
  }

  private byte[] checkIv(byte[] value) throws InvalidAlgorithmParameterException {
    if (value == null) {
      return defaultIv(); // shared constant: iv is only read or cloned
    }
    if (!padded) {
      if (value.length != SEMIBLOCK) {
        throw new InvalidAlgorithmParameterException(
            name + " takes an 8-byte initial value (RFC 3394 §2.2.3), got " + value.length
                + " bytes");
      }
      return value.clone();
    }
    if (value.length != 4) {
      throw new InvalidAlgorithmParameterException(
          name + " takes a 4-byte initial value, the RFC 5649 AIV constant A65959A6, got "
              + value.length + " bytes");
    }
    if (!Arrays.equals(value, defaultIv())) {
      throw new InvalidAlgorithmParameterException(
          name + " initial value must be the RFC 5649 AIV constant A65959A6 (RFC 5649 §3"
              + " defines no alternative)");
    }
    return value.clone();
  }

  private byte[] defaultIv() {
    return padded ? KWP_AIV : KW_DEFAULT_IV;
  }

  /**
   * The per-operation lifecycle check of a managed KEK (nothing for a plain key): counts a wrap,
   * re-keys if a name's primary moved to another version, and on a refusal wipes the KEK bytes
   * this Cipher holds, so a refused KEK is not kept alive in it.
   */
  private void checkManaged() throws InvalidKeyException {
    if (managedUses == null) {
      return;
    }
    KeyringEngine.Use u;
    try {
      u = managedUses.next(managedUse);
    } catch (InvalidKeyException e) {
      wipeKek();
      slot = null;
      own = null;
      token = null;
      throw e;
    }
    if (!onBackend && (kek == null || !u.version().equals(managedUse.version()))) {
      byte[] fresh = checkedKek(raw(u));
      wipeKek();
      kek = fresh;
      own = null;
      token = new Object();
      slot = cache.bind(kek, decrypting, token);
    }
    managedUse = u;
  }

  /**
   * Counts (and with {@code --audit-decrypts} records) an unwrap under a managed KEK before its
   * result is handed out; if the record cannot be written the output written so far is wiped.
   */
  private void releasedManaged(byte[] output, int off, int n) {
    if (managedUses == null) {
      return;
    }
    try {
      managedUses.released(managedUse);
    } catch (IllegalStateException e) {
      if (output != null) {
        Arrays.fill(output, off, off + n, (byte) 0);
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- bytes: update, doFinal

  /**
   * Buffers the input; key wrap produces output only in {@code doFinal}.
   *
   * @return null: no output yet
   * @throws IllegalStateException if not in ENCRYPT_MODE or DECRYPT_MODE
   */
  @Override
  protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
    requireBytesMode();
    append(input, inputOffset, inputLen);
    return null;
  }

  /**
   * Buffers the input; key wrap produces output only in {@code doFinal}.
   *
   * @return 0: no output yet
   * @throws IllegalStateException if not in ENCRYPT_MODE or DECRYPT_MODE
   */
  @Override
  protected int engineUpdate(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset) {
    requireBytesMode();
    append(input, inputOffset, inputLen);
    return 0;
  }

  /**
   * Wraps or unwraps the buffered input plus {@code input}.
   *
   * @throws IllegalBlockSizeException if the total length is not one this algorithm takes
   * @throws IllegalStateException if not initialised for bytes, or a managed KEK's lifecycle now
   *     refuses it (caused by an {@code InvalidKeyException} naming key, version and state)
   * @throws BadPaddingException "integrity check failed" when unwrapping finds a wrong integrity
   *     value
   */
  @Override
  protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
      throws IllegalBlockSizeException, BadPaddingException {
    requireBytesMode();
    byte[] out = new byte[engineGetOutputSize(inputLen)];
    int n;
    try {
      n = doFinalInto(input, inputOffset, inputLen, out, 0);
    } catch (ShortBufferException e) {
      throw new ProviderException("output sized by getOutputSize was too short", e); // cannot happen
    }
    if (n == out.length) {
      return out;
    }
    try {
      return Arrays.copyOf(out, n);
    } finally {
      Arrays.fill(out, (byte) 0);
    }
  }

  /**
   * Wraps or unwraps the buffered input plus {@code input} into {@code output}, which must hold
   * {@link #engineGetOutputSize} bytes; a too-short buffer leaves the state unchanged for a retry.
   *
   * @throws ShortBufferException if {@code output} is too short
   * @throws IllegalBlockSizeException if the total length is not one this algorithm takes
   * @throws IllegalStateException if not initialised for bytes, or a managed KEK's lifecycle now
   *     refuses it (caused by an {@code InvalidKeyException} naming key, version and state)
   * @throws BadPaddingException "integrity check failed" when unwrapping finds a wrong integrity
   *     value
   */
  @Override
  protected int engineDoFinal(
      byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    requireBytesMode();
    return doFinalInto(input, inputOffset, inputLen, output, outputOffset);
  }

  private int doFinalInto(byte[] input, int inOff, int inLen, byte[] output, int outOff)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    int need = engineGetOutputSize(inLen);
    if (output.length - outOff < need) {
      throw new ShortBufferException(
          name + " needs " + need + " bytes of output from offset " + outOff + ", got "
              + (output.length - outOff));
    }
    try {
      try {
        checkManaged();
      } catch (InvalidKeyException e) {
        throw PerOperationUse.refusedNow(e);
      }
      byte[] src = input;
      int srcOff = inOff;
      int srcLen = inLen;
      if (bufLen > 0) {
        append(input, inOff, inLen);
        src = buf;
        srcOff = 0;
        srcLen = bufLen;
      } else if (input == null) {
        src = EMPTY;
        srcOff = 0;
        srcLen = 0;
      }
      if (decrypting) {
        checkCiphertextLength(srcLen);
        int n = unwrapInto(src, srcOff, srcLen, output, outOff);
        releasedManaged(output, outOff, n);
        return n;
      }
      checkPlaintextLength(srcLen);
      if (onBackend) {
        byte[] data = Arrays.copyOfRange(src, srcOff, srcOff + srcLen);
        try {
          byte[] w = BackendKeyWrap.wrap(managedUse.material(), padded, data);
          System.arraycopy(w, 0, output, outOff, w.length);
          return w.length;
        } catch (InvalidKeyException e) {
          throw PerOperationUse.refusedNow(e);
        } finally {
          Arrays.fill(data, (byte) 0);
        }
      }
      wrapInto(src, srcOff, srcLen, output, outOff);
      return need;
    } catch (IntegrityCheckException e) {
      throw new BadPaddingException(IntegrityCheckException.MESSAGE);
    } finally {
      // Cipher.doFinal leaves the cipher as init left it, buffer empty, even on failure.
      reset();
    }
  }

  // ---------------------------------------------------------------- keys: wrap, unwrap

  /**
   * Wraps a key's encoding.
   *
   * @throws InvalidKeyException if the key has no encoding, or a managed KEK's lifecycle now
   *     refuses it (naming key, version and state)
   * @throws IllegalBlockSizeException for KW, if the encoding is not a multiple of 8 bytes of at
   *     least 16
   */
  @Override
  protected byte[] engineWrap(Key key) throws IllegalBlockSizeException, InvalidKeyException {
    requireMode(Cipher.WRAP_MODE, "wrap");
    byte[] encoded = key == null ? null : key.getEncoded();
    if (encoded == null || encoded.length == 0) {
      throw new InvalidKeyException(
          name + " wraps a key by its encoding; this key has none (getEncoded() is null or empty)");
    }
    try {
      checkPlaintextLength(encoded.length);
      checkManaged();
      if (onBackend) {
        return BackendKeyWrap.wrap(managedUse.material(), padded, encoded);
      }
      byte[] out = new byte[engineGetOutputSize(encoded.length)];
      wrapInto(encoded, 0, encoded.length, out, 0);
      return out;
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  /**
   * Unwraps a key and rebuilds it: a {@link SecretKeySpec} for {@code SECRET_KEY}, a PKCS#8 or
   * X.509 encoding through {@link KeyFactory} for {@code PRIVATE_KEY} and {@code PUBLIC_KEY}.
   *
   * @throws InvalidKeyException "integrity check failed" when the integrity value is wrong; a
   *     managed KEK's lifecycle refusal (naming key, version and state); or if
   *     the wrapped length is impossible, or the bytes are not a key of the stated type
   * @throws NoSuchAlgorithmException if no provider has a KeyFactory for the algorithm
   */
  @Override
  protected Key engineUnwrap(byte[] wrappedKey, String wrappedKeyAlgorithm, int wrappedKeyType)
      throws InvalidKeyException, NoSuchAlgorithmException {
    requireMode(Cipher.UNWRAP_MODE, "unwrap");
    if (wrappedKey == null) {
      throw new InvalidKeyException(name + " needs a wrapped key, got null");
    }
    if (wrappedKeyAlgorithm == null || wrappedKeyAlgorithm.isEmpty()) {
      throw new NoSuchAlgorithmException(
          name + " needs the wrapped key's algorithm name, got " + wrappedKeyAlgorithm);
    }
    try {
      checkCiphertextLength(wrappedKey.length);
    } catch (IllegalBlockSizeException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
    checkManaged();
    if (unwrapToBackend) {
      if (wrappedKeyType != Cipher.SECRET_KEY) {
        throw new InvalidKeyException(
            name + ": only a secret key unwraps onto the token (UnwrapToTokenSpec), not type " + wrappedKeyType);
      }
      return BackendKeyWrap.unwrapToBackend(managedUse.material(), padded, wrappedKey, wrappedKeyAlgorithm);
    }
    if (onBackend) {
      byte[] plain = null;
      try {
        plain = BackendKeyWrap.unwrap(managedUse.material(), padded, wrappedKey);
        return rebuild(plain, 0, plain.length, wrappedKeyAlgorithm, wrappedKeyType);
      } catch (IntegrityCheckException e) {
        throw new InvalidKeyException(
            IntegrityCheckException.MESSAGE, new BadPaddingException(IntegrityCheckException.MESSAGE));
      } finally {
        if (plain != null) {
          Arrays.fill(plain, (byte) 0);
        }
      }
    }
    // Unwrap in place in a private copy; the key data starts after the integrity semiblock.
    byte[] work = wrappedKey.clone();
    try {
      BlockCipher128 aes = aes();
      int n = padded
          ? KeyWrapPadded.unwrapInPlace(aes, kwpAiv, work, 0, work.length)
          : KeyWrap.unwrapInPlace(aes, kwIv, work, 0, work.length);
      releasedManaged(null, 0, 0);
      return rebuild(work, SEMIBLOCK, n, wrappedKeyAlgorithm, wrappedKeyType);
    } catch (IntegrityCheckException e) {
      throw new InvalidKeyException(
          IntegrityCheckException.MESSAGE, new BadPaddingException(IntegrityCheckException.MESSAGE));
    } finally {
      Arrays.fill(work, (byte) 0);
    }
  }

  private Key rebuild(byte[] data, int off, int n, String algorithm, int type)
      throws InvalidKeyException, NoSuchAlgorithmException {
    switch (type) {
      case Cipher.SECRET_KEY:
        return new SecretKeySpec(data, off, n, algorithm);
      case Cipher.PRIVATE_KEY:
      case Cipher.PUBLIC_KEY:
        byte[] encoding = Arrays.copyOfRange(data, off, off + n);
        try {
          KeyFactory factory = KeyFactory.getInstance(algorithm);
          return type == Cipher.PRIVATE_KEY
              ? factory.generatePrivate(new PKCS8EncodedKeySpec(encoding))
              : factory.generatePublic(new X509EncodedKeySpec(encoding));
        } catch (InvalidKeySpecException e) {
          // No cause: a parser's message may quote the bytes it choked on.
          throw new InvalidKeyException(
              "the unwrapped bytes are not a " + algorithm
                  + (type == Cipher.PRIVATE_KEY ? " PKCS#8 private key" : " X.509 public key")
                  + "; check wrappedKeyAlgorithm and wrappedKeyType");
        } finally {
          Arrays.fill(encoding, (byte) 0);
        }
      default:
        throw new InvalidKeyException(
            "wrappedKeyType must be Cipher.SECRET_KEY, PRIVATE_KEY or PUBLIC_KEY, got " + type);
    }
  }

  // ---------------------------------------------------------------- engine calls

  private void wrapInto(byte[] in, int inOff, int inLen, byte[] out, int outOff) {
    BlockCipher128 aes = aes();
    if (padded) {
      KeyWrapPadded.wrap(aes, kwpAiv, in, inOff, inLen, out, outOff);
    } else {
      KeyWrap.wrap(aes, kwIv, in, inOff, inLen, out, outOff);
    }
  }

  private int unwrapInto(byte[] in, int inOff, int inLen, byte[] out, int outOff)
      throws IntegrityCheckException {
    if (onBackend) {
      byte[] wrapped = Arrays.copyOfRange(in, inOff, inOff + inLen);
      byte[] plain;
      try {
        plain = BackendKeyWrap.unwrap(managedUse.material(), padded, wrapped);
      } catch (InvalidKeyException e) {
        throw PerOperationUse.refusedNow(e);
      }
      System.arraycopy(plain, 0, out, outOff, plain.length);
      Arrays.fill(plain, (byte) 0);
      return plain.length;
    }
    BlockCipher128 aes = aes();
    return padded
        ? KeyWrapPadded.unwrap(aes, kwpAiv, in, inOff, inLen, out, outOff)
        : KeyWrap.unwrap(aes, kwIv, in, inOff, inLen, out, outOff);
  }

  /** The AES keyed by the last init: the thread's shared one while it still holds our binding. */
  private BlockCipher128 aes() {
    AesBlockCache.Slot s = slot;
    if (s != null) {
      JdkAesBlock shared = s.bound(token, decrypting);
      if (shared != null) {
        return shared;
      }
      slot = null;
    }
    if (own == null) {
      own = AesBlockCache.privateBlock(kek, decrypting);
    }
    return own;
  }

  private void checkPlaintextLength(int length) throws IllegalBlockSizeException {
    if (padded) {
      if (length < 1) {
        throw new IllegalBlockSizeException(name + " needs at least 1 byte to wrap, got 0");
      }
    } else if (!KeyWrap.isValidPlaintextLength(length)) {
      throw new IllegalBlockSizeException(
          name + " wraps a multiple of 8 bytes, at least 16 (RFC 3394 §2), got " + length
              + " bytes; use AES/KWP/NoPadding for other lengths");
    }
  }

  private void checkCiphertextLength(int length) throws IllegalBlockSizeException {
    boolean ok =
        padded ? KeyWrapPadded.isValidCiphertextLength(length) : KeyWrap.isValidCiphertextLength(length);
    if (!ok) {
      throw new IllegalBlockSizeException(
          name + " unwraps a multiple of 8 bytes, at least " + (padded ? 16 : 24) + ", got "
              + length + " bytes");
    }
  }

  // ---------------------------------------------------------------- state

  private void requireBytesMode() {
    if (opmode != Cipher.ENCRYPT_MODE && opmode != Cipher.DECRYPT_MODE) {
      throw new IllegalStateException(
          name + " is not initialised for ENCRYPT_MODE or DECRYPT_MODE");
    }
  }

  private void requireMode(int mode, String what) {
    if (opmode != mode) {
      throw new IllegalStateException(name + " is not initialised to " + what);
    }
  }

  private void append(byte[] input, int off, int len) {
    if (len <= 0) {
      return;
    }
    if (buf.length - bufLen < len) {
      int size = Math.max(Math.addExact(bufLen, len), Math.min(Integer.MAX_VALUE - 8, buf.length * 2));
      byte[] bigger = Arrays.copyOf(buf, size);
      Arrays.fill(buf, (byte) 0);
      buf = bigger;
    }
    System.arraycopy(input, off, buf, bufLen, len);
    bufLen += len;
  }

  private void reset() {
    Arrays.fill(buf, 0, bufLen, (byte) 0);
    bufLen = 0;
  }

  private void wipeKek() {
    if (kek != null) {
      Arrays.fill(kek, (byte) 0);
      kek = null;
    }
  }

  @Override
  public String toString() {
    return "Clavis " + name;
  }
}
