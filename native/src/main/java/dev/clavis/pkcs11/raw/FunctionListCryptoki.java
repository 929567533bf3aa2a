package dev.clavis.pkcs11.raw;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Calls a module through the {@code CK_FUNCTION_LIST} its {@code C_GetFunctionList} returns
 * (PKCS#11 v2.40 §5.4), never through exported symbols, so modules that export only
 * {@code C_GetFunctionList} work too.
 */
public final class FunctionListCryptoki implements Cryptoki {

  /** Index of each function in {@code CK_FUNCTION_LIST} after the version (pkcs11f.h order). */
  private static final int C_INITIALIZE = 0;
  private static final int C_FINALIZE = 1;
  private static final int C_GET_INFO = 2;
  private static final int C_GET_SLOT_LIST = 4;
  private static final int C_GET_SLOT_INFO = 5;
  private static final int C_GET_TOKEN_INFO = 6;
  private static final int C_GET_MECHANISM_LIST = 7;
  private static final int C_GET_MECHANISM_INFO = 8;
  private static final int C_OPEN_SESSION = 12;
  private static final int C_CLOSE_SESSION = 13;
  private static final int C_CLOSE_ALL_SESSIONS = 14;
  private static final int C_GET_SESSION_INFO = 15;
  private static final int C_LOGIN = 18;
  private static final int C_LOGOUT = 19;
  private static final int C_CREATE_OBJECT = 20;
  private static final int C_DESTROY_OBJECT = 22;
  private static final int C_GET_ATTRIBUTE_VALUE = 24;
  private static final int C_SET_ATTRIBUTE_VALUE = 25;
  private static final int C_FIND_OBJECTS_INIT = 26;
  private static final int C_FIND_OBJECTS = 27;
  private static final int C_FIND_OBJECTS_FINAL = 28;
  private static final int C_ENCRYPT_INIT = 29;
  private static final int C_ENCRYPT = 30;
  private static final int C_ENCRYPT_UPDATE = 31;
  private static final int C_ENCRYPT_FINAL = 32;
  private static final int C_DECRYPT_INIT = 33;
  private static final int C_DECRYPT = 34;
  private static final int C_DECRYPT_UPDATE = 35;
  private static final int C_DECRYPT_FINAL = 36;
  private static final int C_SIGN_INIT = 42;
  private static final int C_SIGN = 43;
  private static final int C_SIGN_UPDATE = 44;
  private static final int C_SIGN_FINAL = 45;
  private static final int C_VERIFY_INIT = 48;
  private static final int C_VERIFY = 49;
  private static final int C_VERIFY_UPDATE = 50;
  private static final int C_VERIFY_FINAL = 51;
  private static final int C_GENERATE_KEY = 58;
  private static final int C_GENERATE_KEY_PAIR = 59;
  private static final int C_WRAP_KEY = 60;
  private static final int C_UNWRAP_KEY = 61;
  private static final int C_GENERATE_RANDOM = 64;
  private static final int FUNCTION_COUNT = 68;

  private final NativeLibrary library;
  private final Function[] functions = new Function[FUNCTION_COUNT];
  private final String cryptokiVersion;

  private FunctionListCryptoki(NativeLibrary library, Pointer functionList) {
    this.library = library;
    // CK_VERSION is two bytes; the pointers after it are aligned to pointer size, except on
    // Windows where pkcs11.h packs to 1 byte.
    int first = Platform.isWindows() ? 2 : Native.POINTER_SIZE;
    this.cryptokiVersion = (functionList.getByte(0) & 0xff) + "." + (functionList.getByte(1) & 0xff);
    for (int i = 0; i < FUNCTION_COUNT; i++) {
      Pointer fp = functionList.getPointer(first + (long) i * Native.POINTER_SIZE);
      functions[i] = fp == null ? null : Function.getFunction(fp, Function.C_CONVENTION);
    }
  }

  /**
   * Fetches the function list of a loaded library.
   *
   * @param lib the loaded library
   * @return the raw interface
   * @throws UnsatisfiedLinkError if the library exports no {@code C_GetFunctionList}
   * @throws IllegalStateException if {@code C_GetFunctionList} fails or returns null
   */
  public static FunctionListCryptoki of(NativeLibrary lib) {
    Function getFunctionList = lib.getFunction("C_GetFunctionList");
    PointerByReference ref = new PointerByReference();
    long rv = toUnsigned(getFunctionList.invoke(NativeLong.class, new Object[] {ref}));
    if (rv != 0 || ref.getValue() == null) {
      throw new IllegalStateException("C_GetFunctionList returned 0x" + Long.toHexString(rv));
    }
    return new FunctionListCryptoki(lib, ref.getValue());
  }

  /** @return the Cryptoki version in the module's function list, such as {@code 2.40} */
  public String functionListVersion() {
    return cryptokiVersion;
  }

  /** @return the loaded library */
  public NativeLibrary library() {
    return library;
  }

  private static long toUnsigned(Object rv) {
    long v = ((NativeLong) rv).longValue();
    return NativeLong.SIZE == 4 ? v & 0xffffffffL : v;
  }

  private NativeLong call(int index, Object... args) {
    Function f = functions[index];
    if (f == null) {
      return CKR_FUNCTION_NOT_SUPPORTED;
    }
    if (NativeLong.SIZE == 8) {
      return new NativeLong(f.invokeLong(args));
    }
    return new NativeLong(f.invokeInt(args) & 0xffffffffL);
  }

  private static final NativeLong CKR_FUNCTION_NOT_SUPPORTED = new NativeLong(0x54);

  @Override
  public NativeLong C_Initialize(CK_C_INITIALIZE_ARGS pInitArgs) {
    return call(C_INITIALIZE, pInitArgs);
  }

  @Override
  public NativeLong C_Finalize(Pointer pReserved) {
    return call(C_FINALIZE, pReserved);
  }

  @Override
  public NativeLong C_GetInfo(CK_INFO pInfo) {
    return call(C_GET_INFO, pInfo);
  }

  @Override
  public NativeLong C_GetSlotList(byte tokenPresent, Pointer pSlotList, NativeLongByReference pulCount) {
    return call(C_GET_SLOT_LIST, tokenPresent, pSlotList, pulCount);
  }

  @Override
  public NativeLong C_GetSlotInfo(NativeLong slotID, CK_SLOT_INFO pInfo) {
    return call(C_GET_SLOT_INFO, slotID, pInfo);
  }

  @Override
  public NativeLong C_GetTokenInfo(NativeLong slotID, CK_TOKEN_INFO pInfo) {
    return call(C_GET_TOKEN_INFO, slotID, pInfo);
  }

  @Override
  public NativeLong C_GetMechanismList(NativeLong slotID, Pointer pMechanismList, NativeLongByReference pulCount) {
    return call(C_GET_MECHANISM_LIST, slotID, pMechanismList, pulCount);
  }

  @Override
  public NativeLong C_GetMechanismInfo(NativeLong slotID, NativeLong type, CK_MECHANISM_INFO pInfo) {
    return call(C_GET_MECHANISM_INFO, slotID, type, pInfo);
  }

  @Override
  public NativeLong C_OpenSession(NativeLong slotID, NativeLong flags, Pointer pApplication, Pointer notify,
      NativeLongByReference phSession) {
    return call(C_OPEN_SESSION, slotID, flags, pApplication, notify, phSession);
  }

  @Override
  public NativeLong C_CloseSession(NativeLong hSession) {
    return call(C_CLOSE_SESSION, hSession);
  }

  @Override
  public NativeLong C_CloseAllSessions(NativeLong slotID) {
    return call(C_CLOSE_ALL_SESSIONS, slotID);
  }

  @Override
  public NativeLong C_GetSessionInfo(NativeLong hSession, CK_SESSION_INFO pInfo) {
    return call(C_GET_SESSION_INFO, hSession, pInfo);
  }

  @Override
  public NativeLong C_Login(NativeLong hSession, NativeLong userType, Pointer pPin, NativeLong ulPinLen) {
    return call(C_LOGIN, hSession, userType, pPin, ulPinLen);
  }

  @Override
  public NativeLong C_Logout(NativeLong hSession) {
    return call(C_LOGOUT, hSession);
  }

  @Override
  public NativeLong C_CreateObject(NativeLong hSession, CK_ATTRIBUTE[] pTemplate, NativeLong ulCount,
      NativeLongByReference phObject) {
    return call(C_CREATE_OBJECT, hSession, pTemplate, ulCount, phObject);
  }

  @Override
  public NativeLong C_DestroyObject(NativeLong hSession, NativeLong hObject) {
    return call(C_DESTROY_OBJECT, hSession, hObject);
  }

  @Override
  public NativeLong C_GetAttributeValue(NativeLong hSession, NativeLong hObject, CK_ATTRIBUTE[] pTemplate,
      NativeLong ulCount) {
    return call(C_GET_ATTRIBUTE_VALUE, hSession, hObject, pTemplate, ulCount);
  }

  @Override
  public NativeLong C_SetAttributeValue(NativeLong hSession, NativeLong hObject, CK_ATTRIBUTE[] pTemplate,
      NativeLong ulCount) {
    return call(C_SET_ATTRIBUTE_VALUE, hSession, hObject, pTemplate, ulCount);
  }

  @Override
  public NativeLong C_FindObjectsInit(NativeLong hSession, CK_ATTRIBUTE[] pTemplate, NativeLong ulCount) {
    return call(C_FIND_OBJECTS_INIT, hSession, pTemplate, ulCount);
  }

  @Override
  public NativeLong C_FindObjects(NativeLong hSession, Pointer phObject, NativeLong ulMaxObjectCount,
      NativeLongByReference pulObjectCount) {
    return call(C_FIND_OBJECTS, hSession, phObject, ulMaxObjectCount, pulObjectCount);
  }

  @Override
  public NativeLong C_FindObjectsFinal(NativeLong hSession) {
    return call(C_FIND_OBJECTS_FINAL, hSession);
  }

  @Override
  public NativeLong C_EncryptInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey) {
    return call(C_ENCRYPT_INIT, hSession, pMechanism, hKey);
  }

  @Override
  public NativeLong C_Encrypt(NativeLong hSession, byte[] pData, NativeLong ulDataLen, byte[] pEncryptedData,
      NativeLongByReference pulEncryptedDataLen) {
    return call(C_ENCRYPT, hSession, pData, ulDataLen, pEncryptedData, pulEncryptedDataLen);
  }

  @Override
  public NativeLong C_EncryptUpdate(NativeLong hSession, byte[] pPart, NativeLong ulPartLen, byte[] pEncryptedPart,
      NativeLongByReference pulEncryptedPartLen) {
    return call(C_ENCRYPT_UPDATE, hSession, pPart, ulPartLen, pEncryptedPart, pulEncryptedPartLen);
  }

  @Override
  public NativeLong C_EncryptFinal(NativeLong hSession, byte[] pLastEncryptedPart,
      NativeLongByReference pulLastEncryptedPartLen) {
    return call(C_ENCRYPT_FINAL, hSession, pLastEncryptedPart, pulLastEncryptedPartLen);
  }

  @Override
  public NativeLong C_DecryptInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey) {
    return call(C_DECRYPT_INIT, hSession, pMechanism, hKey);
  }

  @Override
  public NativeLong C_Decrypt(NativeLong hSession, byte[] pEncryptedData, NativeLong ulEncryptedDataLen,
      byte[] pData, NativeLongByReference pulDataLen) {
    return call(C_DECRYPT, hSession, pEncryptedData, ulEncryptedDataLen, pData, pulDataLen);
  }

  @Override
  public NativeLong C_DecryptUpdate(NativeLong hSession, byte[] pEncryptedPart, NativeLong ulEncryptedPartLen,
      byte[] pPart, NativeLongByReference pulPartLen) {
    return call(C_DECRYPT_UPDATE, hSession, pEncryptedPart, ulEncryptedPartLen, pPart, pulPartLen);
  }

  @Override
  public NativeLong C_DecryptFinal(NativeLong hSession, byte[] pLastPart, NativeLongByReference pulLastPartLen) {
    return call(C_DECRYPT_FINAL, hSession, pLastPart, pulLastPartLen);
  }

  @Override
  public NativeLong C_SignInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey) {
    return call(C_SIGN_INIT, hSession, pMechanism, hKey);
  }

  @Override
  public NativeLong C_Sign(NativeLong hSession, byte[] pData, NativeLong ulDataLen, byte[] pSignature,
      NativeLongByReference pulSignatureLen) {
    return call(C_SIGN, hSession, pData, ulDataLen, pSignature, pulSignatureLen);
  }

  @Override
  public NativeLong C_SignUpdate(NativeLong hSession, byte[] pPart, NativeLong ulPartLen) {
    return call(C_SIGN_UPDATE, hSession, pPart, ulPartLen);
  }

  @Override
  public NativeLong C_SignFinal(NativeLong hSession, byte[] pSignature, NativeLongByReference pulSignatureLen) {
    return call(C_SIGN_FINAL, hSession, pSignature, pulSignatureLen);
  }

  @Override
  public NativeLong C_VerifyInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey) {
    return call(C_VERIFY_INIT, hSession, pMechanism, hKey);
  }

  @Override
  public NativeLong C_Verify(NativeLong hSession, byte[] pData, NativeLong ulDataLen, byte[] pSignature,
      NativeLong ulSignatureLen) {
    return call(C_VERIFY, hSession, pData, ulDataLen, pSignature, ulSignatureLen);
  }

  @Override
  public NativeLong C_VerifyUpdate(NativeLong hSession, byte[] pPart, NativeLong ulPartLen) {
    return call(C_VERIFY_UPDATE, hSession, pPart, ulPartLen);
  }

  @Override
  public NativeLong C_VerifyFinal(NativeLong hSession, byte[] pSignature, NativeLong ulSignatureLen) {
    return call(C_VERIFY_FINAL, hSession, pSignature, ulSignatureLen);
  }

  @Override
  public NativeLong C_GenerateKey(NativeLong hSession, CK_MECHANISM pMechanism, CK_ATTRIBUTE[] pTemplate,
      NativeLong ulCount, NativeLongByReference phKey) {
    return call(C_GENERATE_KEY, hSession, pMechanism, pTemplate, ulCount, phKey);
  }

  @Override
  public NativeLong C_GenerateKeyPair(NativeLong hSession, CK_MECHANISM pMechanism, CK_ATTRIBUTE[] pPublicKeyTemplate,
      NativeLong ulPublicKeyAttributeCount, CK_ATTRIBUTE[] pPrivateKeyTemplate, NativeLong ulPrivateKeyAttributeCount,
      NativeLongByReference phPublicKey, NativeLongByReference phPrivateKey) {
    return call(C_GENERATE_KEY_PAIR, hSession, pMechanism, pPublicKeyTemplate, ulPublicKeyAttributeCount,
        pPrivateKeyTemplate, ulPrivateKeyAttributeCount, phPublicKey, phPrivateKey);
  }

  @Override
  public NativeLong C_WrapKey(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hWrappingKey,
      NativeLong hKey, byte[] pWrappedKey, NativeLongByReference pulWrappedKeyLen) {
    return call(C_WRAP_KEY, hSession, pMechanism, hWrappingKey, hKey, pWrappedKey, pulWrappedKeyLen);
  }

  @Override
  public NativeLong C_UnwrapKey(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hUnwrappingKey,
      byte[] pWrappedKey, NativeLong ulWrappedKeyLen, CK_ATTRIBUTE[] pTemplate, NativeLong ulAttributeCount,
      NativeLongByReference phKey) {
    return call(C_UNWRAP_KEY, hSession, pMechanism, hUnwrappingKey, pWrappedKey, ulWrappedKeyLen, pTemplate,
        ulAttributeCount, phKey);
  }

  @Override
  public NativeLong C_GenerateRandom(NativeLong hSession, byte[] randomData, NativeLong ulRandomLen) {
    return call(C_GENERATE_RANDOM, hSession, randomData, ulRandomLen);
  }
}
