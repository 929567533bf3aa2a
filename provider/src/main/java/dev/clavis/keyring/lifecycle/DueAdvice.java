package dev.clavis.keyring.lifecycle;

import dev.clavis.keyring.KeyAlgorithm;

/**
 * The words of a refusal for a version that is due (expired, past its rotation period or usage
 * limit): what the key would have done, and how to get a version that may. A key pair signs and
 * needs a certificate for its next version, so "encrypt; rotate the key" would send its operator
 * the wrong way.
 */
final class DueAdvice {

  private DueAdvice() {}

  /** @return what a key of {@code a} protects with: encrypt, compute a MAC, or sign */
  static String verb(KeyAlgorithm a) {
    if (a.isAes() || a == KeyAlgorithm.SECRET) {
      return "encrypt";
    }
    return a.isHmac() ? "compute a MAC" : "sign";
  }

  /** @return how to give key {@code name} a version that may */
  static String remedy(String name, KeyAlgorithm a) {
    if (a.isKeyPair()) {
      return "rotate the key pair: 'clavis rotate " + name + "' (self-signed), or 'clavis rotate " + name
          + " --begin --csr FILE' and then '--complete --cert FILE' for a CA's certificate";
    }
    if (a == KeyAlgorithm.SECP256K1) {
      return "derive a new key with another index";
    }
    return "rotate the key";
  }
}
