package dev.clavis.spec;

import java.security.KeyStore;

/** The password handling the keyring parameters share: wiping, and comparing in constant time. */
final class ProtectedPasswords {

  private ProtectedPasswords() {}

  /** Wipes the copied password. */
  static void destroy(KeyStore.PasswordProtection protection) {
    try {
      protection.destroy();
    } catch (javax.security.auth.DestroyFailedException e) {
      // PasswordProtection.destroy clears the array and does not fail
    }
  }

  /**
   * @return whether both passwords are equal, compared in constant time (in their longer length);
   *     false if either was destroyed
   */
  static boolean sameInConstantTime(KeyStore.PasswordProtection x, KeyStore.PasswordProtection y) {
    if (x.isDestroyed() || y.isDestroyed()) {
      return false;
    }
    char[] a = x.getPassword();
    char[] b = y.getPassword();
    int diff = a.length ^ b.length;
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      diff |= (i < a.length ? a[i] : 0) ^ (i < b.length ? b[i] : 0);
    }
    return diff == 0;
  }
}
