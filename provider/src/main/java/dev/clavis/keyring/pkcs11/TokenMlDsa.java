package dev.clavis.keyring.pkcs11;

import dev.clavis.keyring.KeyAlgorithm;

/** Why a token holds no ML-DSA key: PKCS#11 defines ML-DSA only from v3.2 (CKM_ML_DSA), which Clavis does not drive yet. */
public final class TokenMlDsa {

  private TokenMlDsa() {}

  /**
   * @param what the key that was to be put on the token (such as {@code key api#2})
   * @param alg its ML-DSA algorithm
   * @return the refusal's message, naming key and algorithm
   */
  public static String refusal(String what, KeyAlgorithm alg) {
    return what + " is " + alg + ": ML-DSA on a PKCS#11 token needs PKCS#11 v3.2 (CKM_ML_DSA), which"
        + " Clavis does not use yet (SoftHSM2 has no ML-DSA); keep ML-DSA keys in a file store; nothing was stored";
  }
}
