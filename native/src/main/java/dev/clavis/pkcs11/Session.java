package dev.clavis.pkcs11;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.NativeLongByReference;
import dev.clavis.pkcs11.raw.CK_ATTRIBUTE;
import dev.clavis.pkcs11.raw.CK_SESSION_INFO;
import dev.clavis.pkcs11.raw.Cryptoki;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One Cryptoki session (PKCS#11 v2.40 §5.6). Not thread-safe: one thread at a time, as the
 * standard requires; borrow sessions from a {@link SessionPool} to work from several threads.
 * {@link #close()} calls {@code C_CloseSession}.
 *
 * <p>Why this class is over 400 lines: it is one thin method per Cryptoki function a session offers
 * (objects, attributes, encrypt, decrypt, sign, verify, wrap, random), each a few lines over the
 * same reused native buffers; splitting by function family would give the buffers several
 * owners.
 */
public final class Session implements AutoCloseable {

  /** {@code CK_UNAVAILABLE_INFORMATION}: the length {@code C_GetAttributeValue} reports for a missing value. */
  private static final long UNAVAILABLE = Ulong.SIZE == 8 ? -1L : 0xffffffffL;

  private final Cryptoki ck;
  private final long slotId;
  private final NativeLong handle;
  private final long epoch;
  /** Native buffers reused by every call of this session (one thread at a time). */
  private final Mechanism.Native scratch = new Mechanism.Native();
  private final NativeLongByReference outLen = new NativeLongByReference();
  private boolean closed;

  Session(Cryptoki ck, long slotId, long handle, long epoch) {
    this.ck = ck;
    this.slotId = slotId;
    this.handle = Ulong.of(handle);
    this.epoch = epoch;
  }

  /** @return the {@code CK_SESSION_HANDLE} */
  public long handle() {
    return Ulong.unsigned(handle);
  }

  /** @return the slot this session is on */
  public long slotId() {
    return slotId;
  }

  long epoch() {
    return epoch;
  }

  private static void check(String fn, NativeLong rv) throws Pkcs11Exception {
    long v = Ulong.unsigned(rv);
    if (v != CKR.OK) {
      throw new Pkcs11Exception(fn, v, CKR.name(v));
    }
  }

  /**
   * {@code C_Login}. The PIN is copied to native memory, which is zeroed after the call, and the
   * array given here is wiped before this method returns. One attempt: a wrong PIN is reported,
   * never retried, so the token's retry counter moves by one.
   *
   * @param userType {@link CKU#USER} or {@link CKU#SO}
   * @param pinUtf8 the PIN as UTF-8; wiped
   * @return true if the token checked the PIN ({@code CKR_OK}); false if the application was
   *     already logged in ({@code CKR_USER_ALREADY_LOGGED_IN}), in which case it did not
   * @throws Pkcs11Exception {@code CKR_PIN_INCORRECT}, {@code CKR_PIN_LOCKED}, ... (never with the PIN)
   */
  public boolean login(long userType, byte[] pinUtf8) throws Pkcs11Exception {
    Memory pin = new Memory(Math.max(1, pinUtf8.length));
    try {
      pin.write(0, pinUtf8, 0, pinUtf8.length);
      long rv = Ulong.unsigned(ck.C_Login(handle, Ulong.of(userType), pin, Ulong.of(pinUtf8.length)));
      // SoftHSM answers CKR_GENERAL_ERROR when another process rewrites the token's files while it
      // reads them; the PIN was not judged, so a short retry is safe (a wrong PIN is never retried)
      for (int retry = 0; rv == CKR.GENERAL_ERROR && retry < 5; retry++) {
        try {
          Thread.sleep(20L << retry);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        rv = Ulong.unsigned(ck.C_Login(handle, Ulong.of(userType), pin, Ulong.of(pinUtf8.length)));
      }
      if (rv == CKR.PIN_INCORRECT) {
        throw new Pkcs11Exception("C_Login", rv, CKR.name(rv),
            "the PIN is wrong; Clavis tried once and will not retry (check the 'pin' setting or the password given to load)");
      }
      if (rv == CKR.PIN_LOCKED) {
        throw new Pkcs11Exception("C_Login", rv, CKR.name(rv), "the user PIN is locked; the security officer must reset it");
      }
      if (rv != CKR.OK && rv != CKR.USER_ALREADY_LOGGED_IN) {
        throw new Pkcs11Exception("C_Login", rv, CKR.name(rv));
      }
      return rv == CKR.OK;
    } finally {
      pin.clear();
      pin.close();
      Arrays.fill(pinUtf8, (byte) 0);
    }
  }

  /**
   * {@code C_GetSessionInfo}: @return whether the session has user (or SO) functions, that is,
   *     whether the application is logged in ({@code CKS_RO_USER_FUNCTIONS}, {@code CKS_RW_USER_FUNCTIONS},
   *     {@code CKS_RW_SO_FUNCTIONS}, PKCS#11 v2.40 §5.6)
   */
  public boolean isLoggedIn() throws Pkcs11Exception {
    CK_SESSION_INFO info = new CK_SESSION_INFO();
    check("C_GetSessionInfo", ck.C_GetSessionInfo(handle, info));
    long state = Ulong.unsigned(info.state);
    return state == 1 || state == 3 || state == 4;
  }

  /** {@code C_Logout}; {@code CKR_USER_NOT_LOGGED_IN} is not an error. */
  public void logout() throws Pkcs11Exception {
    long rv = Ulong.unsigned(ck.C_Logout(handle));
    if (rv != CKR.OK && rv != CKR.USER_NOT_LOGGED_IN) {
      throw new Pkcs11Exception("C_Logout", rv, CKR.name(rv));
    }
  }

  /**
   * {@code C_FindObjectsInit}, {@code C_FindObjects} until exhausted, {@code C_FindObjectsFinal}.
   *
   * @return the handles of every object matching the template
   */
  public long[] findObjects(Template template) throws Pkcs11Exception {
    try (Template.Native t = template.nativeForm()) {
      check("C_FindObjectsInit", ck.C_FindObjectsInit(handle, t.array, t.count()));
    }
    long[] found = new long[0];
    Memory buf = new Memory(64L * Ulong.SIZE);
    NativeLongByReference count = new NativeLongByReference();
    try {
      while (true) {
        check("C_FindObjects", ck.C_FindObjects(handle, buf, Ulong.of(64), count));
        int n = (int) Ulong.unsigned(count.getValue());
        if (n == 0) {
          break;
        }
        int old = found.length;
        found = Arrays.copyOf(found, old + n);
        System.arraycopy(Ulong.read(buf, n), 0, found, old, n);
      }
    } finally {
      check("C_FindObjectsFinal", ck.C_FindObjectsFinal(handle));
    }
    return found;
  }

  /** {@code C_GenerateKey}: @return the new key's handle */
  public long generateKey(Mechanism mechanism, Template template) throws Pkcs11Exception {
    NativeLongByReference key = new NativeLongByReference();
    try (Mechanism.Native m = scratch.load(mechanism); Template.Native t = template.nativeForm()) {
      check("C_GenerateKey", ck.C_GenerateKey(handle, m.mechanism, t.array, t.count(), key));
    }
    return Ulong.unsigned(key.getValue());
  }

  /**
   * {@code C_GenerateKeyPair}.
   *
   * @return the handles of the new public key and private key, in that order
   */
  public long[] generateKeyPair(Mechanism mechanism, Template publicKey, Template privateKey) throws Pkcs11Exception {
    NativeLongByReference pub = new NativeLongByReference();
    NativeLongByReference priv = new NativeLongByReference();
    try (Mechanism.Native m = scratch.load(mechanism); Template.Native pt = publicKey.nativeForm();
        Template.Native st = privateKey.nativeForm()) {
      check("C_GenerateKeyPair", ck.C_GenerateKeyPair(handle, m.mechanism, pt.array, pt.count(), st.array, st.count(),
          pub, priv));
    }
    return new long[] {Ulong.unsigned(pub.getValue()), Ulong.unsigned(priv.getValue())};
  }

  /** {@code C_CreateObject}: @return the new object's handle */
  public long createObject(Template template) throws Pkcs11Exception {
    NativeLongByReference obj = new NativeLongByReference();
    try (Template.Native t = template.nativeForm()) {
      check("C_CreateObject", ck.C_CreateObject(handle, t.array, t.count(), obj));
    }
    return Ulong.unsigned(obj.getValue());
  }

  /** {@code C_DestroyObject}. */
  public void destroyObject(long object) throws Pkcs11Exception {
    check("C_DestroyObject", ck.C_DestroyObject(handle, Ulong.of(object)));
  }

  /** {@code C_SetAttributeValue}. */
  public void setAttributes(long object, Template template) throws Pkcs11Exception {
    try (Template.Native t = template.nativeForm()) {
      check("C_SetAttributeValue", ck.C_SetAttributeValue(handle, Ulong.of(object), t.array, t.count()));
    }
  }

  /**
   * {@code C_GetAttributeValue} with the two-call sizing of PKCS#11 v2.40 §5.7: first the lengths,
   * then the values. Attributes the object lacks or keeps sensitive are absent from the result
   * ({@code CKR_ATTRIBUTE_SENSITIVE} and {@code CKR_ATTRIBUTE_TYPE_INVALID} are not errors here).
   */
  public AttributeValues getAttributes(long object, long... types) throws Pkcs11Exception {
    for (int attempt = 1; ; attempt++) {
      AttributeValues v = readAttributes(object, types, attempt < 3);
      if (v != null) {
        return v;
      }
    }
  }

  /**
   * The two calls of PKCS#11 §5.7.5: the lengths, then the values. Another session may change a
   * value in between (a keyring head rewritten by another thread): the second call then says
   * CKR_BUFFER_TOO_SMALL, and the caller asks again.
   *
   * @return the values, or null if one grew between the two calls and {@code mayRetry}
   */
  private AttributeValues readAttributes(long object, long[] types, boolean mayRetry) throws Pkcs11Exception {
    CK_ATTRIBUTE[] a = (CK_ATTRIBUTE[]) new CK_ATTRIBUTE().toArray(types.length);
    for (int i = 0; i < types.length; i++) {
      a[i].type = Ulong.of(types[i]);
      a[i].pValue = null;
      a[i].ulValueLen = Ulong.of(0);
    }
    long rv = Ulong.unsigned(ck.C_GetAttributeValue(handle, Ulong.of(object), a, Ulong.of(types.length)));
    if (rv != CKR.OK && rv != CKR.ATTRIBUTE_SENSITIVE && rv != CKR.ATTRIBUTE_TYPE_INVALID) {
      throw new Pkcs11Exception("C_GetAttributeValue", rv, CKR.name(rv));
    }
    long total = 0;
    for (CK_ATTRIBUTE x : a) {
      long len = Ulong.unsigned(x.ulValueLen);
      if (len != UNAVAILABLE) {
        total += Math.max(1, len);
      }
    }
    Map<Long, byte[]> out = new HashMap<>();
    if (total == 0) {
      return new AttributeValues(out);
    }
    try (Memory mem = new Memory(total)) {
      long off = 0;
      for (CK_ATTRIBUTE x : a) {
        long len = Ulong.unsigned(x.ulValueLen);
        if (len == UNAVAILABLE) {
          x.pValue = null;
          x.ulValueLen = Ulong.of(0);
        } else {
          x.pValue = mem.share(off);
          off += Math.max(1, len);
        }
      }
      rv = Ulong.unsigned(ck.C_GetAttributeValue(handle, Ulong.of(object), a, Ulong.of(types.length)));
      if (rv == CKR.BUFFER_TOO_SMALL && mayRetry) {
        mem.clear();
        return null;
      }
      if (rv != CKR.OK && rv != CKR.ATTRIBUTE_SENSITIVE && rv != CKR.ATTRIBUTE_TYPE_INVALID) {
        throw new Pkcs11Exception("C_GetAttributeValue", rv, CKR.name(rv));
      }
      for (CK_ATTRIBUTE x : a) {
        long len = Ulong.unsigned(x.ulValueLen);
        if (x.pValue != null && len != UNAVAILABLE) {
          out.put(Ulong.unsigned(x.type), x.pValue.getByteArray(0, (int) len));
        }
      }
      mem.clear();
    }
    return new AttributeValues(out);
  }

  /** Reads one string attribute such as {@code CKA_LABEL}; null when absent. */
  public String getString(long object, long type) throws Pkcs11Exception {
    return getAttributes(object, type).string(type).orElse(null);
  }

  // ---- encryption (PKCS#11 v2.40 §5.8, §5.9) ----

  /** {@code C_EncryptInit} + {@code C_Encrypt}, single part. */
  public byte[] encrypt(Mechanism mechanism, long key, byte[] data) throws Pkcs11Exception {
    try (Mechanism.Native m = scratch.load(mechanism)) {
      check("C_EncryptInit", ck.C_EncryptInit(handle, m.mechanism, Ulong.of(key)));
    }
    return sized("C_Encrypt", data.length + 32,
        (out, len) -> ck.C_Encrypt(handle, data, Ulong.of(data.length), out, len));
  }

  /** {@code C_EncryptInit} alone, for a multi-part operation. */
  public void encryptInit(Mechanism mechanism, long key) throws Pkcs11Exception {
    try (Mechanism.Native m = scratch.load(mechanism)) {
      check("C_EncryptInit", ck.C_EncryptInit(handle, m.mechanism, Ulong.of(key)));
    }
  }

  /** {@code C_EncryptUpdate}. */
  public byte[] encryptUpdate(byte[] part) throws Pkcs11Exception {
    return sized("C_EncryptUpdate", part.length + 32,
        (out, len) -> ck.C_EncryptUpdate(handle, part, Ulong.of(part.length), out, len));
  }

  /** {@code C_EncryptFinal}. */
  public byte[] encryptFinal() throws Pkcs11Exception {
    return sized("C_EncryptFinal", 64, (out, len) -> ck.C_EncryptFinal(handle, out, len));
  }

  /** {@code C_DecryptInit} + {@code C_Decrypt}, single part. */
  public byte[] decrypt(Mechanism mechanism, long key, byte[] data) throws Pkcs11Exception {
    try (Mechanism.Native m = scratch.load(mechanism)) {
      check("C_DecryptInit", ck.C_DecryptInit(handle, m.mechanism, Ulong.of(key)));
    }
    return sized("C_Decrypt", data.length + 32,
        (out, len) -> ck.C_Decrypt(handle, data, Ulong.of(data.length), out, len));
  }

  /** {@code C_DecryptInit} alone. */
  public void decryptInit(Mechanism mechanism, long key) throws Pkcs11Exception {
    try (Mechanism.Native m = scratch.load(mechanism)) {
      check("C_DecryptInit", ck.C_DecryptInit(handle, m.mechanism, Ulong.of(key)));
    }
  }

  /** {@code C_DecryptUpdate}. */
  public byte[] decryptUpdate(byte[] part) throws Pkcs11Exception {
    return sized("C_DecryptUpdate", part.length + 32,
        (out, len) -> ck.C_DecryptUpdate(handle, part, Ulong.of(part.length), out, len));
  }

  /** {@code C_DecryptFinal}. */
  public byte[] decryptFinal() throws Pkcs11Exception {
    return sized("C_DecryptFinal", 64, (out, len) -> ck.C_DecryptFinal(handle, out, len));
  }

  // ---- MACs and signatures (PKCS#11 v2.40 §5.11, §5.13) ----

  /** {@code C_SignInit} + {@code C_Sign}. */
  public byte[] sign(Mechanism mechanism, long key, byte[] data) throws Pkcs11Exception {
    signInit(mechanism, key);
    return sized("C_Sign", 64, (out, len) -> ck.C_Sign(handle, data, Ulong.of(data.length), out, len));
  }

  /** {@code C_SignInit}. */
  public void signInit(Mechanism mechanism, long key) throws Pkcs11Exception {
    try (Mechanism.Native m = scratch.load(mechanism)) {
      check("C_SignInit", ck.C_SignInit(handle, m.mechanism, Ulong.of(key)));
    }
  }

  /** {@code C_SignUpdate}. */
  public void signUpdate(byte[] part) throws Pkcs11Exception {
    check("C_SignUpdate", ck.C_SignUpdate(handle, part, Ulong.of(part.length)));
  }

  /** {@code C_SignFinal}. */
  public byte[] signFinal() throws Pkcs11Exception {
    return sized("C_SignFinal", 64, (out, len) -> ck.C_SignFinal(handle, out, len));
  }

  /**
   * {@code C_VerifyInit} + {@code C_Verify}.
   *
   * @return false on {@code CKR_SIGNATURE_INVALID} or {@code CKR_SIGNATURE_LEN_RANGE}
   */
  public boolean verify(Mechanism mechanism, long key, byte[] data, byte[] signature) throws Pkcs11Exception {
    verifyInit(mechanism, key);
    long rv = Ulong.unsigned(ck.C_Verify(handle, data, Ulong.of(data.length), signature, Ulong.of(signature.length)));
    return verdict("C_Verify", rv);
  }

  /** {@code C_VerifyInit}. */
  public void verifyInit(Mechanism mechanism, long key) throws Pkcs11Exception {
    try (Mechanism.Native m = scratch.load(mechanism)) {
      check("C_VerifyInit", ck.C_VerifyInit(handle, m.mechanism, Ulong.of(key)));
    }
  }

  /** {@code C_VerifyUpdate}. */
  public void verifyUpdate(byte[] part) throws Pkcs11Exception {
    check("C_VerifyUpdate", ck.C_VerifyUpdate(handle, part, Ulong.of(part.length)));
  }

  /** {@code C_VerifyFinal}: @return false when the signature does not verify */
  public boolean verifyFinal(byte[] signature) throws Pkcs11Exception {
    return verdict("C_VerifyFinal", Ulong.unsigned(ck.C_VerifyFinal(handle, signature, Ulong.of(signature.length))));
  }

  private static boolean verdict(String fn, long rv) throws Pkcs11Exception {
    if (rv == CKR.OK) {
      return true;
    }
    if (rv == CKR.SIGNATURE_INVALID || rv == CKR.SIGNATURE_LEN_RANGE) {
      return false;
    }
    throw new Pkcs11Exception(fn, rv, CKR.name(rv));
  }

  // ---- key wrapping (PKCS#11 v2.40 §5.14) ----

  /** {@code C_WrapKey}: @return the wrapped key */
  public byte[] wrapKey(Mechanism mechanism, long wrappingKey, long key) throws Pkcs11Exception {
    try (Mechanism.Native m = scratch.load(mechanism)) {
      return sized("C_WrapKey", 96,
          (out, len) -> ck.C_WrapKey(handle, m.mechanism, Ulong.of(wrappingKey), Ulong.of(key), out, len));
    }
  }

  /** {@code C_UnwrapKey}: @return the handle of the new key */
  public long unwrapKey(Mechanism mechanism, long unwrappingKey, byte[] wrapped, Template template)
      throws Pkcs11Exception {
    NativeLongByReference key = new NativeLongByReference();
    try (Mechanism.Native m = scratch.load(mechanism); Template.Native t = template.nativeForm()) {
      check("C_UnwrapKey", ck.C_UnwrapKey(handle, m.mechanism, Ulong.of(unwrappingKey), wrapped,
          Ulong.of(wrapped.length), t.array, t.count(), key));
    }
    return Ulong.unsigned(key.getValue());
  }

  /** {@code C_GenerateRandom}. */
  public byte[] generateRandom(int length) throws Pkcs11Exception {
    byte[] out = new byte[length];
    check("C_GenerateRandom", ck.C_GenerateRandom(handle, out, Ulong.of(length)));
    return out;
  }

  /** A call with an output buffer, as the raw layer takes it. */
  @FunctionalInterface
  private interface SizedCall {
    NativeLong call(byte[] out, NativeLongByReference len);
  }

  /**
   * Runs a call returning variable-length output (PKCS#11 v2.40 §5.2): first with a buffer of the
   * expected size, which is enough for every operation Clavis makes, and again with the reported
   * size on {@code CKR_BUFFER_TOO_SMALL}, which leaves the operation active.
   */
  private byte[] sized(String fn, int guess, SizedCall c) throws Pkcs11Exception {
    byte[] out = new byte[guess];
    NativeLongByReference len = outLen;
    len.setValue(Ulong.of(out.length));
    long rv = Ulong.unsigned(c.call(out, len));
    if (rv == CKR.BUFFER_TOO_SMALL) {
      out = new byte[(int) Ulong.unsigned(len.getValue())];
      len.setValue(Ulong.of(out.length));
      rv = Ulong.unsigned(c.call(out, len));
    }
    if (rv != CKR.OK) {
      Arrays.fill(out, (byte) 0);
      throw new Pkcs11Exception(fn, rv, CKR.name(rv));
    }
    int n = (int) Ulong.unsigned(len.getValue());
    if (n == out.length) {
      return out;
    }
    byte[] result = Arrays.copyOf(out, n);
    Arrays.fill(out, (byte) 0);
    return result;
  }

  /** {@code C_CloseSession}; errors for an already-lost session are ignored. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ck.C_CloseSession(handle);
    }
  }

  @Override
  public String toString() {
    return "Session{slot=" + slotId + ", handle=" + handle() + "}";
  }

  static String label(byte[] padded) {
    return new String(padded, StandardCharsets.UTF_8).trim();
  }
}
