package dev.clavis.pkcs11;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * AES key wrap on a token, made to give RFC 3394 (KW) and RFC 5649 (KWP) output whatever the
 * module's own mechanisms do.
 *
 * <p>PKCS#11 v2.40's {@code CKM_AES_KEY_WRAP_PAD} (0x210A) is not RFC 5649 on every module, and
 * v3.0's {@code CKM_AES_KEY_WRAP_KWP} (0x210B) is not offered everywhere. SoftHSM 2.6.1, for one,
 * zero-pads a key whose length is not a multiple of 8 before wrapping, so its output differs from
 * RFC 5649 and unwraps to a longer key. {@link #probe} therefore runs known-answer tests once per
 * token, on a session-only KEK ({@code CKA_TOKEN} false, destroyed at once), and the operations
 * then use a module mechanism only where it passed:
 *
 * <ul>
 *   <li>KW: {@code CKM_AES_KEY_WRAP} if it reproduces RFC 3394 §4.1.
 *   <li>KWP of a length that is a multiple of 8, and KWP unwrap: 0x210B, else 0x210A, if it passed.
 *   <li>KWP of any other length: 0x210B/0x210A if it passed for such lengths too; otherwise, for
 *       bytes the caller holds, RFC 5649 computed with the token's {@code CKM_AES_ECB} under the
 *       KEK (the KEK never leaves the token); for a key held only on the token, a refusal naming
 *       the deviation.
 * </ul>
 */
public final class TokenKeyWrap {

  private static final HexFormat HEX = HexFormat.of();
  /** RFC 3394 §2.2.3.1 default IV. */
  private static final byte[] KW_IV = HEX.parseHex("A6A6A6A6A6A6A6A6");
  /** RFC 5649 §3: the first half of the alternative IV. */
  private static final byte[] KWP_AIV_PREFIX = HEX.parseHex("A65959A6");

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
    long m = keyLength % 8 == 0 && kwpAligned != 0 ? kwpAligned : kwpUnaligned;
    if (m == 0) {
      throw refusal("wrap a " + keyLength + "-byte key held on the token");
    }
    return s.wrapKey(Mechanism.of(m), kek, key);
  }

  /** RFC 3394 wrap of bytes (key data the caller holds) under a token KEK. */
  public byte[] encryptKw(Session s, long kek, byte[] data) throws Pkcs11Exception {
    if (data.length < 16 || data.length % 8 != 0) {
      throw new IllegalArgumentException("RFC 3394 wraps 16 bytes or more, a multiple of 8; got " + data.length);
    }
    if (kw) {
      return nativeWrap(s, CKM.AES_KEY_WRAP, kek, data);
    }
    requireEcb("KW");
    return w(s, kek, KW_IV, data);
  }

  /** RFC 3394 unwrap to bytes; @throws WrapIntegrityException if the integrity check fails */
  public byte[] decryptKw(Session s, long kek, byte[] wrapped) throws Pkcs11Exception, WrapIntegrityException {
    if (wrapped.length < 24 || wrapped.length % 8 != 0) {
      throw new WrapIntegrityException();
    }
    if (kw) {
      return nativeUnwrapOrIntegrity(s, CKM.AES_KEY_WRAP, kek, wrapped, false);
    }
    requireEcb("KW");
    return ecbUnwrapKw(s, kek, wrapped);
  }

  private static byte[] ecbUnwrapKw(Session s, long kek, byte[] wrapped) throws Pkcs11Exception, WrapIntegrityException {
    byte[] r = unW(s, kek, wrapped);
    try {
      // RFC 3394 §2.2.3: the recovered A must equal the default IV.
      if (!MessageDigest.isEqual(Arrays.copyOf(r, 8), KW_IV)) {
        throw new WrapIntegrityException();
      }
      return Arrays.copyOfRange(r, 8, r.length);
    } finally {
      Arrays.fill(r, (byte) 0);
    }
  }

  /** RFC 5649 wrap of 1 or more bytes the caller holds, under a token KEK. */
  public byte[] encryptKwp(Session s, long kek, byte[] data) throws Pkcs11Exception {
    if (data.length == 0) {
      throw new IllegalArgumentException("RFC 5649 wraps at least 1 byte");
    }
    long m = data.length % 8 == 0 && kwpAligned != 0 ? kwpAligned : kwpUnaligned;
    if (m != 0) {
      return nativeWrap(s, m, kek, data);
    }
    if (!ecb) {
      throw refusal("wrap " + data.length + " bytes");
    }
    // RFC 5649 §4.1: AIV = A65959A6 || MLI (32-bit big-endian length), zero padding to a multiple of 8.
    byte[] aiv = aiv(data.length);
    int padded = (data.length + 7) / 8 * 8;
    byte[] p = Arrays.copyOf(data, padded);
    try {
      if (padded == 8) {
        // RFC 5649 §4.1: a single 64-bit block is encrypted once with AES in ECB mode.
        byte[] block = concat(aiv, p);
        try {
          return ecbEncrypt(s, kek, block);
        } finally {
          Arrays.fill(block, (byte) 0);
        }
      }
      return w(s, kek, aiv, p);
    } finally {
      Arrays.fill(p, (byte) 0);
    }
  }

  /** RFC 5649 unwrap to bytes; @throws WrapIntegrityException if the integrity check fails */
  public byte[] decryptKwp(Session s, long kek, byte[] wrapped) throws Pkcs11Exception, WrapIntegrityException {
    if (wrapped.length < 16 || wrapped.length % 8 != 0) {
      throw new WrapIntegrityException();
    }
    if (kwpUnwrap != 0) {
      return nativeUnwrapOrIntegrity(s, kwpUnwrap, kek, wrapped, true);
    }
    if (!ecb) {
      throw refusal("unwrap");
    }
    return ecbUnwrapKwp(s, kek, wrapped);
  }

  private static byte[] ecbUnwrapKwp(Session s, long kek, byte[] wrapped) throws Pkcs11Exception, WrapIntegrityException {
    byte[] r = wrapped.length == 16 ? ecbDecrypt(s, kek, wrapped) : unW(s, kek, wrapped);
    try {
      // RFC 5649 §4.2: check the AIV prefix, that MLI fits the length, and that the padding is zero.
      int n = r.length - 8;
      long mli = ((r[4] & 0xffL) << 24) | ((r[5] & 0xff) << 16) | ((r[6] & 0xff) << 8) | (r[7] & 0xff);
      boolean ok = MessageDigest.isEqual(Arrays.copyOf(r, 4), KWP_AIV_PREFIX) && mli > n - 8 && mli <= n;
      int zeros = 0;
      for (int i = 8 + (ok ? (int) mli : n); i < r.length; i++) {
        zeros |= r[i];
      }
      if (!ok || zeros != 0) {
        throw new WrapIntegrityException();
      }
      return Arrays.copyOfRange(r, 8, 8 + (int) mli);
    } finally {
      Arrays.fill(r, (byte) 0);
    }
  }

  /**
   * RFC 5649 unwrap into a new token key (bring your own key).
   *
   * @param template the new key's attributes
   * @return its handle
   */
  public long unwrapKwp(Session s, long kek, byte[] wrapped, Template template) throws Pkcs11Exception {
    if (kwpUnwrap == 0) {
      throw refusal("unwrap a key onto the token");
    }
    return s.unwrapKey(Mechanism.of(kwpUnwrap), kek, wrapped, template);
  }

  /**
   * Unwraps with the module's mechanism. Modules report a failed integrity check differently
   * (SoftHSM2 says {@code CKR_GENERAL_ERROR}); a vague failure is settled by the RFC computation
   * on the token's AES-ECB when the KEK allows it.
   */
  private byte[] nativeUnwrapOrIntegrity(Session s, long mech, long kek, byte[] wrapped, boolean kwp)
      throws Pkcs11Exception, WrapIntegrityException {
    try {
      return nativeUnwrapBytes(s, mech, kek, wrapped);
    } catch (Pkcs11Exception e) {
      long rv = e.returnValue();
      if (rv == CKR.WRAPPED_KEY_INVALID || rv == CKR.ENCRYPTED_DATA_INVALID || rv == CKR.WRAPPED_KEY_LEN_RANGE
          || rv == CKR.DATA_INVALID || rv == CKR.ENCRYPTED_DATA_LEN_RANGE) {
        throw new WrapIntegrityException();
      }
      if ((rv == CKR.GENERAL_ERROR || rv == CKR.FUNCTION_FAILED) && ecb) {
        try {
          return kwp ? ecbUnwrapKwp(s, kek, wrapped) : ecbUnwrapKw(s, kek, wrapped);
        } catch (Pkcs11Exception ecbFailure) {
          e.addSuppressed(ecbFailure);
          throw e;
        }
      }
      throw e;
    }
  }

  private Pkcs11Exception refusal(String what) {
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

  private void requireEcb(String what) throws Pkcs11Exception {
    if (!ecb) {
      throw new Pkcs11Exception("C_EncryptInit", "token '" + token + "' offers no working " + what
          + " mechanism and no CKM_AES_ECB to compute it with", null);
    }
  }

  private static byte[] aiv(int length) {
    return new byte[] {KWP_AIV_PREFIX[0], KWP_AIV_PREFIX[1], KWP_AIV_PREFIX[2], KWP_AIV_PREFIX[3],
        (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
  }

  /** RFC 3394 §2.2.1, index-based wrapping W, with the token's AES-ECB as the block cipher. */
  private static byte[] w(Session s, long kek, byte[] iv, byte[] p) throws Pkcs11Exception {
    int n = p.length / 8;
    byte[] a = iv.clone();
    byte[] r = p.clone();
    byte[] b = new byte[16];
    try {
      for (int j = 0; j <= 5; j++) {
        for (int i = 1; i <= n; i++) {
          // B = AES(K, A | R[i]); A = MSB(64, B) ^ t where t = (n*j)+i; R[i] = LSB(64, B)
          System.arraycopy(a, 0, b, 0, 8);
          System.arraycopy(r, (i - 1) * 8, b, 8, 8);
          byte[] e = ecbEncrypt(s, kek, b);
          System.arraycopy(e, 0, a, 0, 8);
          xorCounter(a, (long) n * j + i);
          System.arraycopy(e, 8, r, (i - 1) * 8, 8);
          Arrays.fill(e, (byte) 0);
        }
      }
      return concat(a, r);
    } finally {
      Arrays.fill(r, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
  }

  /** RFC 3394 §2.2.2, index-based unwrapping W⁻¹; returns A | R for the caller to check. */
  private static byte[] unW(Session s, long kek, byte[] c) throws Pkcs11Exception {
    int n = c.length / 8 - 1;
    byte[] a = Arrays.copyOf(c, 8);
    byte[] r = Arrays.copyOfRange(c, 8, c.length);
    byte[] b = new byte[16];
    try {
      for (int j = 5; j >= 0; j--) {
        for (int i = n; i >= 1; i--) {
          // B = AES-1(K, (A ^ t) | R[i]) where t = n*j+i; A = MSB(64, B); R[i] = LSB(64, B)
          xorCounter(a, (long) n * j + i);
          System.arraycopy(a, 0, b, 0, 8);
          System.arraycopy(r, (i - 1) * 8, b, 8, 8);
          byte[] d = ecbDecrypt(s, kek, b);
          System.arraycopy(d, 0, a, 0, 8);
          System.arraycopy(d, 8, r, (i - 1) * 8, 8);
          Arrays.fill(d, (byte) 0);
        }
      }
      return concat(a, r);
    } finally {
      Arrays.fill(r, (byte) 0);
      Arrays.fill(b, (byte) 0);
    }
  }

  private static void xorCounter(byte[] a, long t) {
    for (int k = 0; k < 8; k++) {
      a[7 - k] ^= (byte) (t >>> (8 * k));
    }
  }

  private static byte[] ecbEncrypt(Session s, long kek, byte[] block) throws Pkcs11Exception {
    return s.encrypt(Mechanism.of(CKM.AES_ECB), kek, block);
  }

  private static byte[] ecbDecrypt(Session s, long kek, byte[] block) throws Pkcs11Exception {
    return s.decrypt(Mechanism.of(CKM.AES_ECB), kek, block);
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  @Override
  public String toString() {
    return "TokenKeyWrap{" + token + ": " + findings + "ECB " + (ecb ? "offered" : "not offered") + "}";
  }
}
