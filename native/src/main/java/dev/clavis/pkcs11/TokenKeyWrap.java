package dev.clavis.pkcs11;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The AES key-wrap mechanisms of a token, checked against RFC 3394 (KW) and RFC 5649 (KWP), and
 * the raw token calls the RFC computation needs.
 *
 * <p>PKCS#11 v2.40's {@code CKM_AES_KEY_WRAP_PAD} (0x210A) is not RFC 5649 on every module, and
 * v3.0's {@code CKM_AES_KEY_WRAP_KWP} (0x210B) is not offered everywhere. SoftHSM 2.6.1, for one,
 * zero-pads a key whose length is not a multiple of 8 before wrapping, so its output differs from
 * RFC 5649 and unwraps to a longer key. {@link #probe} therefore runs known-answer tests once per
 * token, on a session-only KEK ({@code CKA_TOKEN} false, destroyed at once), and records which
 * module mechanism passed for what:
 *
 * <ul>
 *   <li>KW: {@code CKM_AES_KEY_WRAP} if it reproduces RFC 3394 §4.1.
 *   <li>KWP of a length that is a multiple of 8, and KWP unwrap: 0x210B, else 0x210A, if it passed.
 *   <li>KWP of any other length: 0x210B/0x210A if it passed for such lengths too.
 * </ul>
 *
 * <p>Where no mechanism passed, the provider computes RFC 3394/5649 itself with its one
 * implementation ({@code dev.clavis.engine.kw}) over the token's {@code CKM_AES_ECB} under the KEK
 * ({@link #ecb}; the KEK never leaves the token); this binding holds no RFC code. For a key held
 * only on the token there is no such fallback, and {@link #wrapKwp} refuses naming the deviation.
 */
public final class TokenKeyWrap {

  private static final HexFormat HEX = HexFormat.of();
  // RFC 3394 §4.1: wrap 128 bits of key data with a 128-bit KEK.
  private static final byte[] KAT_KW_KEK = HEX.parseHex("000102030405060708090A0B0C0D0E0F");
  private static final byte[] KAT_KW_KEY = HEX.parseHex("00112233445566778899AABBCCDDEEFF");
  private static final byte[] KAT_KW_OUT = HEX.parseHex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
  // RFC 5649 §6, 192-bit KEK; the two 16- and 32-byte cases were computed with the JDK's
  // AES/KWP/NoPadding under the same KEK.
  private static final byte[] KAT_KWP_KEK = HEX.parseHex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");
  private static final byte[][] KAT_KWP_UNALIGNED = {
      HEX.parseHex("c37b7e6492584340bed12207808941155068f738"),
      HEX.parseHex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"),
      HEX.parseHex("466f7250617369"),
      HEX.parseHex("afbeb0f07dfbf5419200f2ccb50bb24f")};
  private static final byte[][] KAT_KWP_ALIGNED = {
      HEX.parseHex("00112233445566778899aabbccddeeff"),
      HEX.parseHex("3d5096111d227d3c97f6a8d619ccf2ee7912eebeb1b41e43"),
      HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
      HEX.parseHex("fe6a0320617d94d5abcd3cadbb5a15ee23574ad2a6509b3f5a2b3b9d96fda766e6d1204253503895")};

  private final String token;
  private final boolean kw;
  private final long kwpAligned; // 0 = none
  private final long kwpUnaligned; // 0 = none
  private final long kwpUnwrap; // 0 = none
  private final boolean ecb;
  private final String findings;

  private TokenKeyWrap(String token, boolean kw, long kwpAligned, long kwpUnaligned, long kwpUnwrap, boolean ecb,
      String findings) {
    this.token = token;
    this.kw = kw;
    this.kwpAligned = kwpAligned;
    this.kwpUnaligned = kwpUnaligned;
    this.kwpUnwrap = kwpUnwrap;
    this.ecb = ecb;
    this.findings = findings;
  }

  /**
   * Detects the wrap mechanisms the token offers ({@code C_GetMechanismList}) and checks each
   * against the RFC vectors on session-only objects, destroyed before this returns.
   */
  public static TokenKeyWrap probe(Pkcs11Token t) throws Pkcs11Exception {
    StringBuilder notes = new StringBuilder();
    boolean ecb = t.offers(CKM.AES_ECB);
    return t.call(s -> {
      boolean kw = false;
      if (t.offers(CKM.AES_KEY_WRAP)) {
        long kek = s.createObject(katKey(CKK.AES, KAT_KW_KEK));
        try {
          kw = Arrays.equals(KAT_KW_OUT, nativeWrap(s, CKM.AES_KEY_WRAP, kek, KAT_KW_KEY));
        } catch (Pkcs11Exception e) {
          notes.append("CKM_AES_KEY_WRAP failed its known-answer test: ").append(e.getMessage()).append("; ");
        } finally {
          s.destroyObject(kek);
        }
        notes.append("CKM_AES_KEY_WRAP ").append(kw ? "matches" : "does not match").append(" RFC 3394; ");
      }
      long aligned = 0;
      long unaligned = 0;
      long unwrap = 0;
      for (long m : new long[] {CKM.AES_KEY_WRAP_KWP, CKM.AES_KEY_WRAP_PAD}) {
        if (!t.offers(m)) {
          continue;
        }
        long kek = s.createObject(katKey(CKK.AES, KAT_KWP_KEK));
        try {
          boolean a = kat(s, m, kek, KAT_KWP_ALIGNED);
          boolean u = kat(s, m, kek, KAT_KWP_UNALIGNED);
          boolean uw = unwrapKat(s, m, kek, KAT_KWP_UNALIGNED) && unwrapKat(s, m, kek, KAT_KWP_ALIGNED);
          notes.append(CKM.name(m)).append(a ? " matches" : " does not match").append(" RFC 5649 for lengths that are a multiple of 8, ")
              .append(u ? "matches" : "does not match").append(" for other lengths, and ")
              .append(uw ? "unwraps" : "does not unwrap").append(" RFC 5649 blobs correctly; ");
          aligned = aligned == 0 && a ? m : aligned;
          unaligned = unaligned == 0 && u ? m : unaligned;
          unwrap = unwrap == 0 && uw ? m : unwrap;
        } finally {
          s.destroyObject(kek);
        }
      }
      return new TokenKeyWrap(t.info().label(), kw, aligned, unaligned, unwrap, ecb, notes.toString());
    });
  }

  private static boolean kat(Session s, long mech, long kek, byte[][] cases) {
    try {
      for (int i = 0; i < cases.length; i += 2) {
        if (!Arrays.equals(cases[i + 1], nativeWrap(s, mech, kek, cases[i]))) {
          return false;
        }
      }
      return true;
    } catch (Pkcs11Exception e) {
      return false;
    }
  }

  private static boolean unwrapKat(Session s, long mech, long kek, byte[][] cases) {
    try {
      for (int i = 0; i < cases.length; i += 2) {
        if (!Arrays.equals(cases[i], nativeUnwrapBytes(s, mech, kek, cases[i + 1]))) {
          return false;
        }
      }
      return true;
    } catch (Pkcs11Exception e) {
      return false;
    }
  }

  private static Template katKey(long keyType, byte[] value) {
    return Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, keyType).bytes(CKA.VALUE, value)
        .bool(CKA.TOKEN, false).bool(CKA.PRIVATE, true).bool(CKA.SENSITIVE, true).bool(CKA.EXTRACTABLE, false)
        .bool(CKA.WRAP, true).bool(CKA.UNWRAP, true).build();
  }

  /** A session-only, extractable generic secret holding {@code data}, to be wrapped and destroyed. */
  private static Template carrier(byte[] data) {
    return Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY).ulong(CKA.KEY_TYPE, CKK.GENERIC_SECRET)
        .bytes(CKA.VALUE, data).bool(CKA.TOKEN, false).bool(CKA.PRIVATE, true).bool(CKA.SENSITIVE, false)
        .bool(CKA.EXTRACTABLE, true).build();
  }

  private static final Template CARRIER_UNWRAP = Template.builder().ulong(CKA.CLASS, CKO.SECRET_KEY)
      .ulong(CKA.KEY_TYPE, CKK.GENERIC_SECRET).bool(CKA.TOKEN, false).bool(CKA.PRIVATE, true)
      .bool(CKA.SENSITIVE, false).bool(CKA.EXTRACTABLE, true).build();

  private static byte[] nativeWrap(Session s, long mech, long kek, byte[] data) throws Pkcs11Exception {
    Template t = carrier(data);
    long obj = s.createObject(t);
    t.wipe();
    try {
      return s.wrapKey(Mechanism.of(mech), kek, obj);
    } finally {
      s.destroyObject(obj);
    }
  }

  private static byte[] nativeUnwrapBytes(Session s, long mech, long kek, byte[] wrapped) throws Pkcs11Exception {
    long obj = s.unwrapKey(Mechanism.of(mech), kek, wrapped, CARRIER_UNWRAP);
    try {
      return s.getAttributes(obj, CKA.VALUE).bytes(CKA.VALUE)
          .orElseThrow(() -> new Pkcs11Exception("C_GetAttributeValue", "the token did not return the unwrapped value", null));
    } finally {
      s.destroyObject(obj);
    }
  }

  /** @return what the known-answer tests found, for diagnostics */
  public String findings() {
    return findings;
  }

  /** @return whether RFC 3394 wrap runs on the module's {@code CKM_AES_KEY_WRAP} */
  public boolean nativeKw() {
    return kw;
  }

  /** @return the module mechanism used for KWP when the length is a multiple of 8, 0 if none passed */
  public long kwpMechanismAligned() {
    return kwpAligned;
  }

  /** @return the module mechanism used for KWP of other lengths, 0 if none passed */
  public long kwpMechanismUnaligned() {
    return kwpUnaligned;
  }

  /** @return the module mechanism used for KWP unwrap, 0 if none passed */
  public long kwpMechanismUnwrap() {
    return kwpUnwrap;
  }

  // ---- operations ----

  /** RFC 3394 wrap of a token key (by handle) under a token KEK. */
  public byte[] wrapKw(Session s, long kek, long key) throws Pkcs11Exception {
    requireKw("wrap");
    return s.wrapKey(Mechanism.of(CKM.AES_KEY_WRAP), kek, key);
  }

  /**
   * RFC 5649 wrap of a token key (by handle) under a token KEK.
   *
   * @param keyLength the key's length in bytes ({@code CKA_VALUE_LEN})
   * @throws Pkcs11Exception if the module cannot wrap this length as RFC 5649 says; the message
   *     names the deviation
   */
  public byte[] wrapKwp(Session s, long kek, long key, int keyLength) throws Pkcs11Exception {
    long m = kwpMechanismFor(keyLength);
    if (m == 0) {
      throw kwpRefusal("wrap a " + keyLength + "-byte key held on the token");
    }
    return s.wrapKey(Mechanism.of(m), kek, key);
  }

  /**
   * RFC 5649 unwrap into a new token key (bring your own key).
   *
   * @param template the new key's attributes
   * @return its handle
   */
  public long unwrapKwp(Session s, long kek, byte[] wrapped, Template template) throws Pkcs11Exception {
    if (kwpUnwrap == 0) {
      throw kwpRefusal("unwrap a key onto the token");
    }
    return s.unwrapKey(Mechanism.of(kwpUnwrap), kek, wrapped, template);
  }

  /**
   * Tells which module mechanism wraps a key held on the token ({@code key}, sensitive) as RFC 5649
   * says, without its value leaving the token. Modules do not always report the length of an
   * unwrapped secret ({@code CKA_VALUE_LEN} is 0 on SoftHSM 2.6.1), and where the module's
   * mechanism is RFC 5649 only for lengths that are a multiple of 8 the length decides:
   *
   * <ul>
   *   <li>one mechanism that passed for every length needs no length;
   *   <li>a credible {@code CKA_VALUE_LEN} (at most 7 below {@code paddedLength}) chooses;
   *   <li>otherwise, for a padded length of 16, 24 or 32 and a key of type {@code CKK_AES} with
   *       {@code CKA_ENCRYPT}, a trial {@code CKM_AES_ECB} encryption of one zero block (output
   *       discarded) succeeds only for an AES key length, and the only one in
   *       ({@code paddedLength} − 8, {@code paddedLength}] is {@code paddedLength} itself;
   *   <li>else none: the caller handles the key another way and says so.
   * </ul>
   *
   * @param key the held key, extractable by wrapping
   * @param paddedLength the length of the RFC 5649 output it was unwrapped from, less 8
   * @return the mechanism, or 0 when it cannot be told that the module gives RFC 5649 output for this key
   * @throws Pkcs11Exception if the token fails while reading the length
   */
  public long kwpMechanismForHeld(Session s, long key, int paddedLength) throws Pkcs11Exception {
    if (kwpAligned != 0 && kwpAligned == kwpUnaligned) {
      return kwpAligned;
    }
    long len = s.getAttributes(key, CKA.VALUE_LEN).ulong(CKA.VALUE_LEN).orElse(0L);
    if (len > paddedLength - 8 && len <= paddedLength) {
      return kwpMechanismFor((int) len);
    }
    if (kwpAligned == 0 || !ecb || (paddedLength != 16 && paddedLength != 24 && paddedLength != 32)) {
      return 0;
    }
    try {
      byte[] block = s.encrypt(Mechanism.of(CKM.AES_ECB), key, new byte[16]);
      Arrays.fill(block, (byte) 0);
      return kwpAligned;
    } catch (Pkcs11Exception e) {
      if (e.isSessionLost()) {
        throw e;
      }
      return 0; // not a key of an AES length (CKR_KEY_SIZE_RANGE, or the module's own code for it)
    }
  }

  /**
   * Tells which module mechanism wraps a KWP plaintext of this length as RFC 5649 says.
   *
   * @param length the plaintext length in bytes
   * @return {@code CKM_AES_KEY_WRAP_KWP} or {@code CKM_AES_KEY_WRAP_PAD}, or 0 if none passed
   */
  public long kwpMechanismFor(int length) {
    return length % 8 == 0 && kwpAligned != 0 ? kwpAligned : kwpUnaligned;
  }

  /** @return whether the token offers {@code CKM_AES_ECB}, for the provider's RFC computation */
  public boolean offersEcb() {
    return ecb;
  }

  /**
   * Wraps bytes the caller holds with a module mechanism: they go onto the token as a
   * session-only extractable carrier object, which is wrapped and destroyed.
   *
   * @param mechanism {@code CKM_AES_KEY_WRAP}, {@code CKM_AES_KEY_WRAP_PAD} or {@code _KWP}
   * @param kek the wrapping key's handle
   * @param data the key data
   * @return the module's output
   * @throws Pkcs11Exception if the token refuses or fails, with its {@code CKR_} code
   */
  public byte[] wrapBytes(Session s, long mechanism, long kek, byte[] data) throws Pkcs11Exception {
    return nativeWrap(s, mechanism, kek, data);
  }

  /**
   * Unwraps to bytes with a module mechanism, through a session-only extractable carrier object.
   * The return values that can only mean a bad wrapped key become a {@link WrapIntegrityException};
   * a vague failure ({@code CKR_GENERAL_ERROR}, which SoftHSM2 returns for a failed integrity
   * check) stays a {@link Pkcs11Exception}, for the caller to settle.
   *
   * @param mechanism the unwrap mechanism
   * @param kek the unwrapping key's handle
   * @param wrapped the wrapped key
   * @return the key data
   * @throws WrapIntegrityException if the token says the wrapped key is invalid
   * @throws Pkcs11Exception on any other failure, with its {@code CKR_} code
   */
  public byte[] unwrapBytes(Session s, long mechanism, long kek, byte[] wrapped)
      throws Pkcs11Exception, WrapIntegrityException {
    try {
      return nativeUnwrapBytes(s, mechanism, kek, wrapped);
    } catch (Pkcs11Exception e) {
      long rv = e.returnValue();
      if (rv == CKR.WRAPPED_KEY_INVALID || rv == CKR.ENCRYPTED_DATA_INVALID || rv == CKR.WRAPPED_KEY_LEN_RANGE
          || rv == CKR.DATA_INVALID || rv == CKR.ENCRYPTED_DATA_LEN_RANGE) {
        throw new WrapIntegrityException();
      }
      throw e;
    }
  }

  /**
   * AES-ECB of whole 16-byte blocks under a token key, in one {@code C_Encrypt} or
   * {@code C_Decrypt} call however many blocks there are.
   *
   * @param encrypt true to encrypt, false to decrypt
   * @param kek the key's handle; it needs {@code CKA_ENCRYPT} or {@code CKA_DECRYPT}
   * @param blocks a multiple of 16 bytes
   * @return the transformed blocks
   * @throws Pkcs11Exception if the token refuses or fails, with its {@code CKR_} code
   * @throws IllegalArgumentException if {@code blocks} is not whole blocks
   */
  public static byte[] ecb(Session s, boolean encrypt, long kek, byte[] blocks) throws Pkcs11Exception {
    if (blocks.length == 0 || blocks.length % 16 != 0) {
      throw new IllegalArgumentException("AES-ECB takes whole 16-byte blocks, got " + blocks.length + " bytes");
    }
    Mechanism m = Mechanism.of(CKM.AES_ECB);
    return encrypt ? s.encrypt(m, kek, blocks) : s.decrypt(m, kek, blocks);
  }

  /**
   * Throws unless the token offers {@code CKM_AES_ECB}.
   *
   * @param what the mechanism family that needs it, e.g. "KW"
   * @throws Pkcs11Exception naming the token and what is missing
   */
  public void requireEcb(String what) throws Pkcs11Exception {
    if (!ecb) {
      throw new Pkcs11Exception("C_EncryptInit", "token '" + token + "' offers no working " + what
          + " mechanism and no CKM_AES_ECB to compute it with", null);
    }
  }

  /**
   * The refusal when neither a module mechanism nor the token's AES-ECB can give RFC 5649 output.
   *
   * @param what the operation refused, e.g. "wrap 20 bytes"
   * @return the exception to throw, naming the token and what the known-answer tests found
   */
  public Pkcs11Exception kwpRefusal(String what) {
    return new Pkcs11Exception("C_WrapKey", "token '" + token + "' cannot " + what + " as RFC 5649 (AES/KWP) requires:"
        + " its CKM_AES_KEY_WRAP_PAD deviates from RFC 5649 for lengths that are not a multiple of 8"
        + " and it offers neither CKM_AES_KEY_WRAP_KWP nor a usable CKM_AES_ECB; Clavis refuses rather than"
        + " produce non-standard output (known-answer test: " + findings + ")", null);
  }

  private void requireKw(String op) throws Pkcs11Exception {
    if (!kw) {
      throw new Pkcs11Exception("C_WrapKey", "token '" + token + "' cannot " + op + " a token key with RFC 3394 (AES/KW):"
          + " CKM_AES_KEY_WRAP is missing or failed its known-answer test (" + findings + ")", null);
    }
  }

  @Override
  public String toString() {
    return "TokenKeyWrap{" + token + ": " + findings + "ECB " + (ecb ? "offered" : "not offered") + "}";
  }
}
