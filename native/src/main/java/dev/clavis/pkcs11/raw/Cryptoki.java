package dev.clavis.pkcs11.raw;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;

/**
 * The raw Cryptoki calls Clavis uses, one method per {@code C_} function of PKCS#11 v2.40 §5,
 * with the C argument order. Every method returns the {@code CK_RV} unchanged (an unsigned
 * {@code CK_ULONG}); checking it is the typed layer's job. {@code CK_ULONG} is {@link NativeLong},
 * which is 32 bits on Windows and 64 bits on 64-bit Unix, as the module's ABI wants.
 *
 * <p>Output buffers given as {@code byte[]} may be {@code null} to ask for the length first
 * (PKCS#11 v2.40 §5.2, "conventions for functions returning output in a variable-length buffer").
 */
public interface Cryptoki {

  NativeLong C_Initialize(CK_C_INITIALIZE_ARGS pInitArgs);

  NativeLong C_Finalize(Pointer pReserved);

  NativeLong C_GetInfo(CK_INFO pInfo);

  NativeLong C_GetSlotList(byte tokenPresent, Pointer pSlotList, NativeLongByReference pulCount);

  NativeLong C_GetSlotInfo(NativeLong slotID, CK_SLOT_INFO pInfo);

  NativeLong C_GetTokenInfo(NativeLong slotID, CK_TOKEN_INFO pInfo);

  NativeLong C_GetMechanismList(NativeLong slotID, Pointer pMechanismList, NativeLongByReference pulCount);

  NativeLong C_GetMechanismInfo(NativeLong slotID, NativeLong type, CK_MECHANISM_INFO pInfo);

  NativeLong C_OpenSession(NativeLong slotID, NativeLong flags, Pointer pApplication, Pointer notify,
      NativeLongByReference phSession);

  NativeLong C_CloseSession(NativeLong hSession);

  NativeLong C_CloseAllSessions(NativeLong slotID);

  NativeLong C_GetSessionInfo(NativeLong hSession, CK_SESSION_INFO pInfo);

  /** The PIN is native memory so the caller can wipe it after the call. */
  NativeLong C_Login(NativeLong hSession, NativeLong userType, Pointer pPin, NativeLong ulPinLen);

  NativeLong C_Logout(NativeLong hSession);

  NativeLong C_CreateObject(NativeLong hSession, CK_ATTRIBUTE[] pTemplate, NativeLong ulCount,
      NativeLongByReference phObject);

  NativeLong C_DestroyObject(NativeLong hSession, NativeLong hObject);

  NativeLong C_GetAttributeValue(NativeLong hSession, NativeLong hObject, CK_ATTRIBUTE[] pTemplate,
      NativeLong ulCount);

  NativeLong C_SetAttributeValue(NativeLong hSession, NativeLong hObject, CK_ATTRIBUTE[] pTemplate,
      NativeLong ulCount);

  NativeLong C_FindObjectsInit(NativeLong hSession, CK_ATTRIBUTE[] pTemplate, NativeLong ulCount);

  NativeLong C_FindObjects(NativeLong hSession, Pointer phObject, NativeLong ulMaxObjectCount,
      NativeLongByReference pulObjectCount);

  NativeLong C_FindObjectsFinal(NativeLong hSession);

  NativeLong C_EncryptInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey);

  NativeLong C_Encrypt(NativeLong hSession, byte[] pData, NativeLong ulDataLen, byte[] pEncryptedData,
      NativeLongByReference pulEncryptedDataLen);

  NativeLong C_EncryptUpdate(NativeLong hSession, byte[] pPart, NativeLong ulPartLen, byte[] pEncryptedPart,
      NativeLongByReference pulEncryptedPartLen);

  NativeLong C_EncryptFinal(NativeLong hSession, byte[] pLastEncryptedPart,
      NativeLongByReference pulLastEncryptedPartLen);

  NativeLong C_DecryptInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey);

  NativeLong C_Decrypt(NativeLong hSession, byte[] pEncryptedData, NativeLong ulEncryptedDataLen, byte[] pData,
      NativeLongByReference pulDataLen);

  NativeLong C_DecryptUpdate(NativeLong hSession, byte[] pEncryptedPart, NativeLong ulEncryptedPartLen,
      byte[] pPart, NativeLongByReference pulPartLen);

  NativeLong C_DecryptFinal(NativeLong hSession, byte[] pLastPart, NativeLongByReference pulLastPartLen);

  NativeLong C_SignInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey);

  NativeLong C_Sign(NativeLong hSession, byte[] pData, NativeLong ulDataLen, byte[] pSignature,
      NativeLongByReference pulSignatureLen);

  NativeLong C_SignUpdate(NativeLong hSession, byte[] pPart, NativeLong ulPartLen);

  NativeLong C_SignFinal(NativeLong hSession, byte[] pSignature, NativeLongByReference pulSignatureLen);

  NativeLong C_VerifyInit(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hKey);

  NativeLong C_Verify(NativeLong hSession, byte[] pData, NativeLong ulDataLen, byte[] pSignature,
      NativeLong ulSignatureLen);

  NativeLong C_VerifyUpdate(NativeLong hSession, byte[] pPart, NativeLong ulPartLen);

  NativeLong C_VerifyFinal(NativeLong hSession, byte[] pSignature, NativeLong ulSignatureLen);

  NativeLong C_GenerateKey(NativeLong hSession, CK_MECHANISM pMechanism, CK_ATTRIBUTE[] pTemplate,
      NativeLong ulCount, NativeLongByReference phKey);

  NativeLong C_GenerateKeyPair(NativeLong hSession, CK_MECHANISM pMechanism, CK_ATTRIBUTE[] pPublicKeyTemplate,
      NativeLong ulPublicKeyAttributeCount, CK_ATTRIBUTE[] pPrivateKeyTemplate, NativeLong ulPrivateKeyAttributeCount,
      NativeLongByReference phPublicKey, NativeLongByReference phPrivateKey);

  NativeLong C_WrapKey(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hWrappingKey, NativeLong hKey,
      byte[] pWrappedKey, NativeLongByReference pulWrappedKeyLen);

  NativeLong C_UnwrapKey(NativeLong hSession, CK_MECHANISM pMechanism, NativeLong hUnwrappingKey,
      byte[] pWrappedKey, NativeLong ulWrappedKeyLen, CK_ATTRIBUTE[] pTemplate, NativeLong ulAttributeCount,
      NativeLongByReference phKey);

  NativeLong C_GenerateRandom(NativeLong hSession, byte[] randomData, NativeLong ulRandomLen);
}
